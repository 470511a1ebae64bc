"""Visible text of an HTML page, its title and its publication date from the metadata.

Blocks (p, div, li, h1, br …) become lines; script, style and other invisible elements are
dropped; white space collapses as a browser shows it (a line break between two Han characters
disappears, other runs become one space).
"""

from __future__ import annotations

from dataclasses import dataclass

import regex
from selectolax.lexbor import LexborHTMLParser

from extractor.published import parse_date

_INVISIBLE = frozenset({"script", "style", "noscript", "template", "head", "iframe", "svg", "canvas",
                        "object", "select", "option", "textarea", "-comment"})
_BLOCK = frozenset({"address", "article", "aside", "blockquote", "br", "caption", "dd", "div", "dl", "dt",
                    "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
                    "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "td",
                    "th", "thead", "title", "tr", "ul"})
#: <meta> attributes (name/property/itemprop values) that carry the publication date.
_DATE_META = ("article:published_time", "og:article:published_time", "og:release_date", "pubdate",
              "publishdate", "publish_date", "publication_date", "datepublished", "date", "dc.date",
              "dc.date.issued", "dcterms.created", "article:create_at", "weibo:article:create_at")

_HAN_BREAK = regex.compile(r"(?<=\p{Han})[ \t\r\f]*\n\s*(?=\p{Han})")
_SPACES = regex.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Page:
    text: str
    title: str | None
    published: str | None


def _collapse(s: str) -> str:
    return _SPACES.sub(" ", _HAN_BREAK.sub("", s))


def _visible_lines(root) -> list[str]:
    lines: list[str] = []
    current: list[str] = []

    def flush() -> None:
        line = _collapse("".join(current)).strip()
        if line:
            lines.append(line)
        current.clear()

    stack = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        tag = node.tag
        if leaving:
            flush()
            continue
        if tag == "-text":
            current.append(node.text(deep=False) or "")
            continue
        if tag in _INVISIBLE:
            continue
        if tag == "pre":
            flush()
            lines.extend(ln.rstrip() for ln in (node.text() or "").splitlines() if ln.strip())
            continue
        block = tag in _BLOCK
        if block:
            flush()
            stack.append((node, True))
        stack.extend((child, False) for child in reversed(list(node.iter(include_text=True))))
    flush()
    return lines


def _published(tree: LexborHTMLParser) -> str | None:
    for node in tree.css("meta"):
        attrs = node.attributes
        key = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").lower()
        if key in _DATE_META:
            date = parse_date(attrs.get("content") or "")
            if date:
                return date
    for node in tree.css("time[datetime]"):
        date = parse_date(node.attributes.get("datetime") or "")
        if date:
            return date
    return None


def parse_html(markup: str) -> Page:
    """Text, title (<h1>, else <title>) and published date (metadata) of a page."""
    tree = LexborHTMLParser(markup)
    title = None
    for selector in ("h1", "title"):
        node = tree.css_first(selector)
        if node is not None and (t := _collapse(node.text() or "").strip()):
            title = t
            break
    root = tree.body or tree.root
    text = "\n".join(_visible_lines(root)) if root is not None else ""
    return Page(text=text, title=title, published=_published(tree))

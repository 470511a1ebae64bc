"""Reading input paths into articles, in reading order.

Formats: `.jsonl` / `.jsonl.gz` (one article object a line, streamed), `.txt` (one article or
one newspaper page a file), `.html` / `.htm` (visible text); folders (recursive, sorted),
globs, and `-` for standard input. Files named with another suffix and standard input are
sniffed: JSON Lines, a JSON array of articles, HTML, else text. Encodings are detected (see
`extractor.encoding`) and recorded in `Article.encoding`. A page holding several articles is
split into `<id>#1`, `<id>#2` … (see `extractor.pages`). A missing publication date is taken
from the text's stamp or dateline (see `extractor.published`); `published=` overrides all.

Every problem becomes a `Failure` naming the file, the line and the reason; reading goes on.
"""

from __future__ import annotations

import glob
import gzip
import io
import json
import sys
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

from pydantic import ValidationError

from extractor.encoding import DecodeError, decode_bytes
from extractor.html import parse_html
from extractor.models import Article, Failure
from extractor.pages import split_article
from extractor.published import infer_published, parse_date

SUFFIXES = (".jsonl", ".jsonl.gz", ".txt", ".html", ".htm")
#: A JSONL line longer than this is an error for that line (memory stays bounded).
MAX_LINE_BYTES = 16 * 1024 * 1024
#: A .txt/.html file larger than this is an error for that file.
MAX_FILE_BYTES = 64 * 1024 * 1024
STDIN = "-"
_CHUNK = 1 << 20

Item = Article | Failure


def read_articles(paths: Sequence[str], *, published: str | None = None, split_pages: bool = True,
                  max_line_bytes: int = MAX_LINE_BYTES, max_file_bytes: int = MAX_FILE_BYTES,
                  stdin: BinaryIO | None = None) -> Iterator[Item]:
    """Articles (and failures) of `paths` in reading order.

    `published` (YYYY-MM-DD or YYYY-MM) overrides every article's date; the id of an article
    already read makes a later article with the same id a failure.
    """
    override = None
    if published is not None:
        override = parse_date(published)
        if override is None:
            raise ValueError(f"published must be YYYY-MM-DD or YYYY-MM, got {published!r}")
    seen: dict[str, str] = {}
    reader = _Reader(max_line_bytes, max_file_bytes, stdin)
    for source in iter_sources(paths):
        items = [source] if isinstance(source, Failure) else reader.read(source)
        for item in items:
            if isinstance(item, Failure):
                yield item
                continue
            if item.id in seen:
                yield Failure(article_id=item.id, source=reader.where, line=reader.line, stage="read",
                              reason=f"duplicate id {item.id!r} (first read from {seen[item.id]})")
                continue
            seen[item.id] = f"{reader.where}:{reader.line}" if reader.line else reader.where
            yield from _finish(item, override, split_pages)


def _finish(article: Article, override: str | None, split_pages: bool) -> Iterator[Article]:
    """Date and split: a page's own date is read from its first piece (the page header), each
    further piece may have a dateline of its own."""
    if override is not None:
        article.published = override
    pieces = split_article(article) if split_pages else [article]
    page_date = article.published
    for n, piece in enumerate(pieces):
        if piece.published is None:
            lo, hi = piece.region or (0, len(piece.text))
            own = infer_published(piece.text[lo:hi])
            if n == 0:
                page_date = own
            piece.published = own or page_date
        yield piece


def iter_sources(paths: Sequence[str]) -> Iterator[str | Failure]:
    """The files named (or `-`), folders expanded recursively and globs matched, sorted."""
    for p in paths:
        if p == STDIN:
            yield p
            continue
        path = Path(p)
        if not path.exists() and any(c in p for c in "*?["):
            matches = sorted(glob.glob(p, recursive=True))
            if not matches:
                yield Failure(source=p, stage="read", reason="no file matches the pattern")
            for m in matches:
                yield from _expand(Path(m), explicit=False)
            continue
        yield from _expand(path, explicit=True)


def _expand(path: Path, explicit: bool) -> Iterator[str | Failure]:
    if path.is_dir():
        files = sorted((f for f in path.rglob("*") if f.is_file() and f.name.lower().endswith(SUFFIXES)),
                       key=str)
        if not files:
            yield Failure(source=str(path), stage="read",
                          reason=f"no input files ({', '.join(SUFFIXES)}) in the folder")
        yield from map(str, files)
    elif path.exists() or explicit:
        yield str(path)


class _Reader:
    """Reads one source at a time; `where` / `line` tell where the last article came from."""

    def __init__(self, max_line_bytes: int, max_file_bytes: int, stdin: BinaryIO | None) -> None:
        self.max_line = max_line_bytes
        self.max_file = max_file_bytes
        self.stdin = stdin
        self.where = ""
        self.line: int | None = None

    def read(self, source: str) -> Iterator[Item]:
        self.where, self.line = ("<stdin>" if source == STDIN else source), None
        if source == STDIN:
            yield from self._read_stdin()
            return
        path = Path(source)
        name = path.name.lower()
        if not path.exists():
            yield Failure(source=source, stage="read", reason="no such file")
            return
        try:
            if name.endswith(".jsonl.gz"):
                with gzip.open(path, "rb") as fh:
                    yield from self._jsonl(fh, path.name)
            elif name.endswith(".jsonl"):
                with path.open("rb") as fh:
                    yield from self._jsonl(fh, path.name)
            else:
                size = path.stat().st_size
                if size > self.max_file:
                    yield Failure(article_id=path.stem, source=source, stage="read",
                                  reason=f"file of {size} bytes is larger than {self.max_file}")
                    return
                data = path.read_bytes()
                if name.endswith((".html", ".htm", ".txt")):
                    yield self._document(data, path.stem, path.name, html=not name.endswith(".txt"))
                else:  # another suffix: sniff the content
                    yield from self._sniffed(data, path.stem, path.name)
        except (OSError, EOFError, zlib.error) as exc:
            yield Failure(source=source, line=self.line, stage="read",
                          reason=f"cannot read: {type(exc).__name__}: {exc}")

    def _read_stdin(self) -> Iterator[Item]:
        stream = self.stdin if self.stdin is not None else sys.stdin.buffer
        if not hasattr(stream, "peek"):
            stream = io.BytesIO(stream.read())
        head = stream.peek(4096) if not isinstance(stream, io.BytesIO) else stream.getvalue()[:4096]
        if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
            yield from self._jsonl(stream, "<stdin>")  # streamed
            return
        data = stream.read(self.max_file + 1)
        if len(data) > self.max_file:
            yield Failure(article_id="stdin", source=self.where, stage="read",
                          reason=f"input larger than {self.max_file} bytes")
            return
        yield from self._sniffed(data, "stdin", "<stdin>")

    def _sniffed(self, data: bytes, doc_id: str, name: str) -> Iterator[Item]:
        """Content of unknown format: JSON Lines (`{`), a JSON array (`[`), HTML, else text."""
        head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
        if head.startswith(b"{"):
            yield from self._jsonl(io.BytesIO(data), name)
        elif head.startswith(b"["):
            yield from self._json_array(data, name)
        else:
            yield self._document(data, doc_id, name, html=_looks_html(head))

    def _json_array(self, data: bytes, name: str) -> Iterator[Item]:
        """A JSON array of article objects (item n is reported as line n)."""
        try:
            rows = json.loads(decode_bytes(data)[0])
        except (DecodeError, json.JSONDecodeError) as exc:
            yield Failure(source=self.where, stage="parse", reason=f"invalid JSON: {exc}")
            return
        for n, row in enumerate(rows, 1):
            self.line = n
            yield self._record(json.dumps(row, ensure_ascii=False).encode(), name, n)

    def _document(self, data: bytes, doc_id: str, name: str, html: bool) -> Item:
        """One .txt/.html document."""
        if not data.strip():
            return Failure(article_id=doc_id, source=self.where, stage="read", reason="empty file")
        try:
            text, encoding = decode_bytes(data)
        except DecodeError as exc:
            return Failure(article_id=doc_id, source=self.where, stage="decode", reason=str(exc))
        title = published = None
        if html:
            page = parse_html(text)
            text, title, published = page.text, page.title, page.published
        if not text.strip():
            return Failure(article_id=doc_id, source=self.where, stage="parse",
                           reason="no visible text" if html else "no text (only white space)")
        return Article(id=doc_id, text=text, title=title, published=published, source=name,
                       encoding=encoding)

    def _jsonl(self, fh: BinaryIO, name: str) -> Iterator[Item]:
        """Stream a JSON Lines file: one line in memory at a time, at most `max_line` bytes."""
        n = 0
        while (line := self._readline(fh)) is not None:
            n += 1
            self.line = n
            if line is _TOO_LONG:
                yield Failure(source=self.where, line=n, stage="read",
                              reason=f"line longer than {self.max_line} bytes")
                continue
            if n == 1 and line.startswith(b"\xef\xbb\xbf"):
                line = line[3:]
            if line.strip():
                yield self._record(line, name, n)

    def _readline(self, fh: BinaryIO) -> bytes | object | None:
        """The next line (without its end), `_TOO_LONG` (its rest skipped), or None at the end."""
        limit = self.max_line + 2
        line = fh.readline(limit)
        if not line:
            return None
        if len(line) >= limit and not line.endswith(b"\n"):
            while (chunk := fh.readline(_CHUNK)) and not chunk.endswith(b"\n"):
                pass  # skip the rest of the line
            return _TOO_LONG
        line = line.rstrip(b"\r\n")
        return _TOO_LONG if len(line) > self.max_line else line

    def _record(self, line: bytes, name: str, n: int) -> Item:
        def fail(stage: str, reason: str, article_id: str | None = None) -> Failure:
            return Failure(article_id=article_id, source=self.where, line=n, stage=stage, reason=reason)

        try:
            text, encoding = decode_bytes(line)
        except DecodeError as exc:
            return fail("decode", str(exc))
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            return fail("parse", f"invalid JSON: {exc}")
        if not isinstance(obj, dict):
            return fail("parse", f"not a JSON object but {type(obj).__name__}")
        doc_id = obj.get("id")
        doc_id = str(doc_id) if isinstance(doc_id, str | int) and not isinstance(doc_id, bool) else None
        if "text" not in obj:
            return fail("parse", "no 'text' field", doc_id)
        if not isinstance(obj["text"], str):
            return fail("parse", f"'text' is {type(obj['text']).__name__}, not a string", doc_id)
        if not obj["text"].strip():
            return fail("parse", "empty 'text'", doc_id)
        if doc_id is None:
            return fail("parse", "no 'id' field (a string or integer)")
        fields = dict(obj, id=doc_id, encoding="utf-8" if encoding == "utf-8-sig" else encoding)
        fields["published"] = parse_date(obj.get("published"))  # unreadable dates are inferred
        fields.setdefault("source", name)
        if fields["source"] is None:
            fields["source"] = name
        fields.pop("region", None)
        try:
            return Article.model_validate(fields)
        except ValidationError as exc:
            err = exc.errors()[0]
            return fail("parse", f"{'.'.join(map(str, err['loc']))}: {err['msg']}", doc_id)


_TOO_LONG = object()


def _looks_html(head: bytes) -> bool:
    return head.lower().startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<div", b"<p>"))

"""The pipeline: article -> working text -> stages -> validated record (or a failure).

Stages are named in `DEFAULT_STAGES` as `"module:function"` references and imported once.
Each takes a `Doc` and adds to `doc.spans` (recognizers) or `doc.projects` (records).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from pydantic import ValidationError

from extractor.document import Doc, Span
from extractor.models import Article, ArticleResult, Failure
from extractor.text import WorkingText, normalise

Stage = Callable[[Doc], None]

#: The stages, in order. A new recognizer is one line here.
DEFAULT_STAGES: dict[str, str] = {
    "money": "extractor.money:recognize",
    "capacity": "extractor.capacity:recognize",
    "jobs": "extractor.jobs:recognize",
    "dates": "extractor.dates:recognize",
    "names": "extractor.names:recognize",
    "orgs": "extractor.orgs:recognize",
    "records": "extractor.records:build",
}


def _resolve(ref: str) -> Stage:
    module, _, attr = ref.partition(":")
    return getattr(importlib.import_module(module), attr)


class Pipeline:
    """Runs the stages over articles. Build once per process; `process` is thread-compatible."""

    def __init__(self, stages: Sequence[str] | None = None) -> None:
        names = list(DEFAULT_STAGES) if stages is None else list(stages)
        unknown = [n for n in names if n not in DEFAULT_STAGES]
        if unknown:
            raise ValueError(f"unknown stages {unknown}; known: {list(DEFAULT_STAGES)}")
        self.stage_names = names
        self.stages: list[Stage] = [_resolve(DEFAULT_STAGES[n]) for n in names]

    def make_doc(self, article: Article) -> Doc:
        return Doc(article=article, working=normalise(article.text, article.region))

    def annotate(self, article: Article) -> Doc:
        """Run every stage; the Doc carries spans in working-text offsets."""
        doc = self.make_doc(article)
        for stage in self.stages:
            stage(doc)
        return doc

    def process(self, article: Article) -> ArticleResult | Failure:
        """The validated result of one article, or a Failure saying why there is none."""
        try:
            doc = self.annotate(article)
            data = to_record(doc)
        except Exception as exc:
            return Failure(article_id=article.id, source=article.source, stage="extract",
                           reason=f"{type(exc).__name__}: {exc}")
        try:
            return ArticleResult.model_validate(data, context={"text": article.text})
        except ValidationError as exc:
            return Failure(article_id=article.id, source=article.source, stage="validate",
                           reason=_short(exc))

    def process_many(self, articles: Iterable[Article]) -> list[ArticleResult | Failure]:
        """`process` over articles in reading order; the pieces of one page (`<id>#n`, given together)
        share one record per project (see `extractor.page_records`)."""
        from extractor.page_records import group_by_input, merge_page_records

        results = [self.process(a) for a in articles]
        for pieces in group_by_input(r for r in results if isinstance(r, ArticleResult) and "#" in r.article_id):
            merge_page_records(pieces)
        return results


def _short(exc: ValidationError, limit: int = 3) -> str:
    errs = exc.errors()
    parts = [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errs[:limit]]
    more = f" (+{len(errs) - limit} more)" if len(errs) > limit else ""
    return "; ".join(parts) + more


_MENTION_KEYS = ("value", "value_max", "unit", "per", "qualifier", "kind", "mod", "product", "rule")
_FACT_KEYS = ("value", "value_max", "unit", "per", "kind", "qualifier", "mod")


def _order_key(s: Span) -> tuple[int, int, str]:
    return (s.start, -s.end, s.label)


_NAME_LABELS = frozenset({"PROJECT", "ORG", "LOC"})


def as_written(wt: WorkingText, name: str | None, near: int = 0) -> str | None:
    """A name found in the working text, as the original writes it (Traditional characters and
    full-width forms kept, a line break inside it dropped); `name` itself where it does not occur."""
    if not name:
        return name
    i = wt.text.find(name, near)
    if i < 0:
        i = wt.text.find(name)
    if i < 0:
        return name
    start, end = wt.to_original(i, i + len(name))
    return "".join(wt.original[start:end].split())


def to_record(doc: Doc) -> dict[str, Any]:
    """The output object of SPEC section 2, offsets mapped back to the original text.

    Names (PROJECT/ORG values, project names, aliases, company, location) and products are given
    as the article writes them, so that they compare equal to annotations of the original text.
    """
    art, wt = doc.article, doc.working
    spans = sorted(doc.spans, key=_order_key)
    position = {id(s): i for i, s in enumerate(spans)}
    mentions = []
    for s in spans:
        start, end = wt.to_original(s.start, s.end)
        m: dict[str, Any] = {"label": s.label, "start": start, "end": end, "text": art.text[start:end]}
        for k in _MENTION_KEYS:
            m[k] = getattr(s, k)
        if s.label in _NAME_LABELS and isinstance(s.value, str):
            m["value"] = as_written(wt, s.value, s.start)
        if s.product:
            m["product"] = as_written(wt, s.product, s.start)
        mentions.append(m)
    projects = []
    for p in doc.projects:
        facts = []
        for f in p.facts:
            idx = sorted({position[id(s)] for s in f.spans if id(s) in position})
            if not idx:
                continue
            first = spans[idx[0]]
            fact: dict[str, Any] = {"label": first.label, "mentions": idx}
            for k in _FACT_KEYS:
                fact[k] = getattr(first, k)
            facts.append(fact)
        name = as_written(wt, p.name)
        aliases = list(dict.fromkeys(a for a in (as_written(wt, x) for x in p.aliases) if a and a != name))
        projects.append({"name": name, "aliases": aliases, "company": as_written(wt, p.company),
                         "location": as_written(wt, p.location), "facts": facts})
    return {"article_id": art.id, "source": art.source, "published": art.published,
            "encoding": art.encoding, "mentions": mentions, "projects": projects}

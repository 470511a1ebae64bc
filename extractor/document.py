"""The objects that flow through the pipeline's stages for one article."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from extractor.models import Article
from extractor.text import WorkingText


@dataclass(slots=True, eq=False)
class Span:
    """A mention found by a stage, with offsets into the WORKING text (mapped back at output)."""

    label: str
    start: int
    end: int
    value: Any = None
    value_max: Any = None
    unit: str | None = None
    per: str | None = None
    qualifier: str | None = None
    kind: str | None = None
    mod: str | None = None
    product: str | None = None
    rule: str | None = None


@dataclass(slots=True, eq=False)
class FactDraft:
    """A value attributed to a project: the spans that state it (the first one gives the value)."""

    spans: list[Span]


@dataclass(slots=True, eq=False)
class ProjectDraft:
    name: str
    aliases: list[str] = field(default_factory=list)
    company: str | None = None
    location: str | None = None
    facts: list[FactDraft] = field(default_factory=list)


@dataclass(slots=True, eq=False)
class Doc:
    """One article being processed: its working text, the spans found so far and the records."""

    article: Article
    working: WorkingText
    spans: list[Span] = field(default_factory=list)
    projects: list[ProjectDraft] = field(default_factory=list)
    #: scratch space shared by stages (e.g. the article's local currency)
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.working.text

    def spans_of(self, *labels: str) -> list[Span]:
        return [s for s in self.spans if s.label in labels]

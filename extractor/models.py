"""The record contract (SPEC sections 1-2) as strict pydantic v2 models.

`ArticleResult.model_validate(data, context={"text": article_text})` also checks that every
mention's `text` is the slice of the article it claims to be.
"""

from __future__ import annotations

import math
import re
from enum import StrEnum
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from extractor.tables import CAPACITY_UNITS, CURRENCY_CODES


class Label(StrEnum):
    PROJECT = "PROJECT"
    ORG = "ORG"
    LOC = "LOC"
    MONEY = "MONEY"
    CAPACITY = "CAPACITY"
    DATE = "DATE"
    JOBS = "JOBS"


NUMERIC_LABELS = frozenset({Label.MONEY, Label.CAPACITY, Label.JOBS})
NAME_LABELS = frozenset({Label.PROJECT, Label.ORG, Label.LOC})
FACT_LABELS = frozenset({Label.MONEY, Label.CAPACITY, Label.DATE, Label.JOBS})

KINDS: dict[str, frozenset[str]] = {
    Label.MONEY: frozenset({"investment_total", "investment_completed", "investment_annual",
                            "output_value", "revenue", "tax", "financing", "other"}),
    Label.DATE: frozenset({"start", "completion", "operation", "signing", "other"}),
    Label.CAPACITY: frozenset({"production", "processing", "power", "storage", "supply", "other"}),
}

Qualifier = Literal["exact", "approx", "at_least", "at_most"]
Per = Literal["year", "month", "day", "hour"]
Mod = Literal["START", "MID", "END"]

DATE_VALUE = re.compile(r"(\d{4}|XXXX)(-(\d{2}|Q[1-4]|H[12])(-\d{2})?)?")
_CLASSIFIER = re.compile(r"[\u3400-\u9fff]{1,3}")

NonNegativeInt = Annotated[int, Field(ge=0)]


def _check_number(x: float | int | None, what: str) -> None:
    if x is None:
        return
    if isinstance(x, bool) or not isinstance(x, int | float):
        raise ValueError(f"{what} must be a number, got {x!r}")
    if not math.isfinite(x) or x < 0:
        raise ValueError(f"{what} must be finite and non-negative, got {x!r}")


def _check_date_value(v: Any) -> None:
    if not isinstance(v, str) or not DATE_VALUE.fullmatch(v):
        raise ValueError(f"DATE value {v!r} is not ISO-8601 partial (YYYY, YYYY-MM, YYYY-MM-DD, YYYY-Q1, YYYY-H1)")
    parts = v.split("-")
    if len(parts) >= 2 and parts[1].isdigit() and not 1 <= int(parts[1]) <= 12:
        raise ValueError(f"DATE value {v!r} has month {parts[1]}")
    if len(parts) == 3 and not 1 <= int(parts[2]) <= 31:
        raise ValueError(f"DATE value {v!r} has day {parts[2]}")


def _check_typed_fields(obj: Mention | Fact) -> None:
    """Value, unit, kind, per and mod agree with the label (shared by Mention and Fact)."""
    label = obj.label
    if label in NUMERIC_LABELS:
        if obj.value is None:
            raise ValueError(f"{label} needs a numeric value")
        _check_number(obj.value, "value")
        _check_number(obj.value_max, "value_max")
        if obj.value_max is not None and obj.value_max < obj.value:
            raise ValueError(f"value_max {obj.value_max} < value {obj.value}")
    elif obj.value_max is not None:
        raise ValueError(f"value_max is for MONEY/CAPACITY/JOBS, not {label}")
    if label == Label.DATE:
        _check_date_value(obj.value)
    elif obj.mod is not None:
        raise ValueError("mod is for DATE only")
    if label in NAME_LABELS and not (isinstance(obj.value, str) and obj.value):
        raise ValueError(f"{label} value must be the canonical name")
    if label == Label.MONEY:
        if obj.unit not in CURRENCY_CODES:
            raise ValueError(f"MONEY unit must be an ISO 4217 code, got {obj.unit!r}")
    elif label == Label.CAPACITY:
        if obj.unit not in CAPACITY_UNITS and not (obj.unit and _CLASSIFIER.fullmatch(obj.unit)):
            raise ValueError(f"CAPACITY unit {obj.unit!r} is neither {sorted(CAPACITY_UNITS)} nor a classifier")
    elif obj.unit is not None:
        raise ValueError(f"unit is for MONEY/CAPACITY, not {label}")
    if obj.per is not None and label != Label.CAPACITY:
        raise ValueError("per is for CAPACITY only")
    if obj.kind is not None:
        allowed = KINDS.get(label)
        if allowed is None or obj.kind not in allowed:
            raise ValueError(f"kind {obj.kind!r} is not one of {sorted(allowed or [])} for {label}")
    if obj.qualifier is not None and label not in NUMERIC_LABELS:
        raise ValueError("qualifier is for MONEY/CAPACITY/JOBS only")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


class Article(_Strict):
    """An input article (SPEC section 1)."""

    model_config = ConfigDict(extra="ignore")

    id: str = Field(min_length=1)
    text: str
    published: str | None = None
    title: str | None = None
    source: str | None = None
    #: detected encoding of the file it was read from (None for str input)
    encoding: str | None = None
    #: [start, end) of this article inside `text` when one input holds several articles
    region: tuple[int, int] | None = None

    @field_validator("id", mode="before")
    @classmethod
    def _id_as_str(cls, v: Any) -> Any:
        return str(v) if isinstance(v, int) and not isinstance(v, bool) else v

    @field_validator("published")
    @classmethod
    def _published_iso(cls, v: str | None) -> str | None:
        if v is not None and not re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", v):
            raise ValueError(f"published must be YYYY-MM-DD or YYYY-MM, got {v!r}")
        return v


class Mention(_Strict):
    """One recognised span with its normalised value (SPEC section 2)."""

    label: Label
    start: NonNegativeInt
    end: NonNegativeInt
    text: str = Field(min_length=1)
    value: float | int | str | None = None
    value_max: float | int | None = None
    unit: str | None = None
    per: Per | None = None
    qualifier: Qualifier | None = None
    kind: str | None = None
    mod: Mod | None = None
    product: str | None = None
    rule: str | None = None

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo) -> Self:
        if self.end <= self.start:
            raise ValueError(f"empty or reversed span [{self.start}, {self.end})")
        if self.end - self.start != len(self.text):
            raise ValueError(f"span [{self.start}, {self.end}) does not have the length of {self.text!r}")
        source = (info.context or {}).get("text") if info else None
        if source is not None and source[self.start:self.end] != self.text:
            raise ValueError(
                f"text {self.text!r} != article.text[{self.start}:{self.end}] "
                f"{source[self.start:self.end]!r}")
        _check_typed_fields(self)
        return self


class Fact(_Strict):
    """A distinct value the article attributes to a project, with the mentions stating it."""

    label: Literal["MONEY", "CAPACITY", "DATE", "JOBS"]
    value: float | int | str
    value_max: float | int | None = None
    unit: str | None = None
    per: Per | None = None
    kind: str | None = None
    qualifier: Qualifier | None = None
    mod: Mod | None = None
    mentions: list[NonNegativeInt] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        _check_typed_fields(self)
        return self


class Project(_Strict):
    """One distinct project of an article."""

    name: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)
    company: str | None = None
    location: str | None = None
    facts: list[Fact] = Field(default_factory=list)


class ArticleResult(_Strict):
    """The output object of one article (SPEC section 2)."""

    article_id: str = Field(min_length=1)
    source: str | None = None
    published: str | None = None
    encoding: str | None = None
    mentions: list[Mention] = Field(default_factory=list)
    projects: list[Project] = Field(default_factory=list)

    @model_validator(mode="after")
    def _facts_point_to_mentions(self) -> Self:
        n = len(self.mentions)
        for p in self.projects:
            for f in p.facts:
                for i in f.mentions:
                    if i >= n:
                        raise ValueError(f"project {p.name!r}: fact mention index {i} >= {n} mentions")
                    if self.mentions[i].label != f.label:
                        raise ValueError(f"project {p.name!r}: fact {f.label} points to a "
                                         f"{self.mentions[i].label} mention ({i})")
        return self


class Failure(_Strict):
    """An article (or input record) that could not be processed, with the reason."""

    article_id: str | None = None
    source: str | None = None
    line: int | None = None
    stage: Literal["read", "decode", "parse", "extract", "validate", "write"]
    reason: str


class GoldArticle(Article):
    """A gold-annotated article: the input fields plus mentions and projects."""

    model_config = ConfigDict(extra="ignore")

    mentions: list[Mention] = Field(default_factory=list)
    projects: list[Project] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check(self) -> Self:
        ArticleResult.model_validate(
            {"article_id": self.id, "mentions": [m.model_dump() for m in self.mentions],
             "projects": [p.model_dump() for p in self.projects]},
            context={"text": self.text})
        return self

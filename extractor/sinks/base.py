"""What every sink offers to the batch runner."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, Protocol

from extractor.models import Failure


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass
class LoadStats:
    """What a database sink did: articles inserted, replaced (changed), unchanged (skipped)."""

    inserted: int = 0
    replaced: int = 0
    unchanged: int = 0
    failures: int = 0

    def add(self, other: LoadStats) -> None:
        self.inserted += other.inserted
        self.replaced += other.replaced
        self.unchanged += other.unchanged
        self.failures += other.failures

    def __str__(self) -> str:
        return (f"database: {self.inserted} articles inserted, {self.replaced} replaced, "
                f"{self.unchanged} unchanged, {self.failures} failures recorded")


class Sink(Protocol):
    stats: LoadStats | None
    #: records the target refused to store (databases record them in their failures table)
    refused: list[Failure]

    def add(self, line: str, record: dict[str, Any] | None = None, text: str | None = None) -> None:
        """One article's record as canonical JSON (`record` = the parsed line when already at hand)."""

    def fail(self, failure: Failure) -> None:
        """An input record or article that could not be processed."""

    def known(self, ids: list[str]) -> dict[str, str | None]:
        """Of `ids`, those already written: id -> text hash when stored (for --resume)."""

    def close(self) -> None:
        """Write what is buffered and release the target."""

"""JSON Lines sink: one record a line to stdout or a file (failures are reported on stderr only)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, TextIO

from extractor.models import Failure


class JsonlSink:
    """Writes each record as one line. With `resume`, appends to an existing file and knows its ids."""

    stats = None

    def __init__(self, path: str | None = None, resume: bool = False) -> None:
        self._done: set[str] = set()
        self.refused: list[Failure] = []  # a file takes every record
        self.path = None if path in (None, "-") else Path(path)
        if self.path is None:
            self.out: TextIO = sys.stdout
        elif resume and self.path.exists():
            self._done = _complete_ids(self.path)
            self.out = self.path.open("a", encoding="utf-8")
        else:
            self.out = self.path.open("w", encoding="utf-8")

    def add(self, line: str, record: dict[str, Any] | None = None, text: str | None = None) -> None:
        self.out.write(line + "\n")

    def fail(self, failure: Failure) -> None:
        pass

    def known(self, ids: list[str]) -> dict[str, str | None]:
        return {i: None for i in ids if i in self._done}

    def close(self) -> None:
        if self.out is sys.stdout:
            self.out.flush()
        else:
            self.out.close()


def _complete_ids(path: Path) -> set[str]:
    """Ids of the complete lines of a previous output; a truncated last line (killed run) is cut off."""
    ids: set[str] = set()
    good = 0
    with path.open("rb") as fh:
        for raw in fh:
            if not raw.endswith(b"\n"):
                break
            try:
                ids.add(json.loads(raw)["article_id"])
            except (ValueError, KeyError, TypeError):
                break
            good += len(raw)
    with path.open("r+b") as fh:
        fh.truncate(good)
    return ids

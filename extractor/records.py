"""One record per distinct project (placeholder, filled in below)."""

from __future__ import annotations

from extractor.document import Doc


def build(doc: Doc) -> None:
    return None

"""The checked-in JSON Schema files are exactly what the models produce."""

from __future__ import annotations

from pathlib import Path

from extractor.schema import render_schemas

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"


def test_schema_files_are_current() -> None:
    for name, text in render_schemas().items():
        path = SCHEMAS / name
        assert path.exists(), f"{path} missing: run `extractor schema`"
        assert path.read_text(encoding="utf-8") == text, f"{path} is stale: run `extractor schema`"


def test_record_schema_enumerates_labels_and_qualifiers() -> None:
    text = render_schemas()["record.schema.json"]
    for word in ("PROJECT", "CAPACITY", "at_least", "at_most", "START", "END"):
        assert f'"{word}"' in text

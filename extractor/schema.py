"""The language-neutral contracts in `schemas/`, generated from the models (and the database DDL)."""

from __future__ import annotations

import json
from pathlib import Path

from extractor.models import Article, ArticleResult, Failure, GoldArticle

SCHEMAS = {
    "article.schema.json": Article,
    "record.schema.json": ArticleResult,
    "failure.schema.json": Failure,
    "gold.schema.json": GoldArticle,
}


def render_schemas() -> dict[str, str]:
    """File name -> JSON Schema text (and the database DDL), exactly as written to `schemas/`."""
    from extractor.sinks.ddl import DDL_FILES, render_ddl

    out = {name: json.dumps(model.model_json_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
           for name, model in SCHEMAS.items()}
    out.update({name: render_ddl(dialect) for name, dialect in DDL_FILES.items()})
    return out


def write_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in render_schemas().items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written

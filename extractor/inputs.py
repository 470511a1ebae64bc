"""Reading input paths into articles: `.jsonl` (one article a line), `.txt` (one a file), folders.

Every problem becomes a `Failure` for that file or line; reading goes on.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path

from pydantic import ValidationError

from extractor.models import Article, Failure

SUFFIXES = (".jsonl", ".txt")


def iter_paths(paths: Sequence[str]) -> Iterator[Path]:
    """The files named, folders expanded recursively in sorted order."""
    for p in map(Path, paths):
        if p.is_dir():
            yield from sorted(f for f in p.rglob("*") if f.is_file() and f.name.endswith(SUFFIXES))
        else:
            yield p


def read_articles(paths: Sequence[str]) -> Iterator[Article | Failure]:
    for path in iter_paths(paths):
        if not path.exists():
            yield Failure(source=str(path), stage="read", reason="no such file")
        elif path.name.endswith(".jsonl"):
            yield from _read_jsonl(path)
        else:
            yield from _read_txt(path)


def _read_txt(path: Path) -> Iterator[Article | Failure]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        yield Failure(article_id=path.stem, source=str(path), stage="decode", reason=str(exc))
        return
    yield Article(id=path.stem, text=text, source=path.name, encoding="utf-8")


def _read_jsonl(path: Path) -> Iterator[Article | Failure]:
    with path.open("r", encoding="utf-8-sig", errors="strict") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
                yield Article.model_validate(obj)
            except (json.JSONDecodeError, ValidationError) as exc:
                yield Failure(source=str(path), line=n, stage="parse", reason=str(exc).splitlines()[0])

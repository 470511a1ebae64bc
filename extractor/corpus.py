"""The bundled gold corpus: build `gold.jsonl` and `articles/corpus.jsonl` from `ann/*.json`, and check them.

An annotation file (`corpus/ann/<id>.json`, format in corpus/README.md) holds the article (its
`text`, or the input `file` whose decoded text is the article) and its mentions written by text
only; building locates every mention in the text, fills `start`/`end`, sorts the mentions,
turns fact indices into the sorted positions and copies each fact's typed fields from its first
mention. `check` rebuilds everything in memory, validates it against `GoldArticle` and compares
it with the committed files, so a stale or hand-edited `gold.jsonl` is caught.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from extractor.models import GoldArticle, Mention

ANN_KEYS = frozenset({"id", "published", "source", "title", "url", "text", "file", "mentions", "projects"})
INPUT_KEYS = ("id", "text", "published", "title", "source")
GOLD_HEAD_KEYS = ("id", "published", "title", "source")
#: fields a fact takes from its first mention
FACT_FIELDS = ("label", "value", "value_max", "unit", "per", "kind", "qualifier", "mod")
NAME_LABELS = frozenset({"PROJECT", "ORG", "LOC"})
GOLD_FILE = "gold.jsonl"
INPUT_FILE = "articles/corpus.jsonl"
WHITESPACE = re.compile(r"\s+")


@dataclass
class Corpus:
    """What `build` produces: gold rows and input rows (both sorted by id) and the problems found."""

    gold: list[dict[str, Any]] = field(default_factory=list)
    inputs: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def dumps_line(row: dict[str, Any]) -> str:
    """One JSON Lines line, exactly as the corpus files are written."""
    return json.dumps(row, ensure_ascii=False) + "\n"


def _validation_messages(exc: ValidationError) -> list[str]:
    return [f"{'.'.join(str(x) for x in e['loc']) or '-'}: {e['msg']}" for e in exc.errors()]


def article_text(ann: dict[str, Any], corpus_dir: Path) -> tuple[str | None, list[str]]:
    """The article text of an annotation: its `text`, or the text the project's reader gives for its `file`."""
    if "file" not in ann:
        if not isinstance(ann.get("text"), str) or not ann["text"]:
            return None, ["needs a non-empty \"text\" or a \"file\""]
        return ann["text"], []
    from extractor.inputs import read_articles

    path = corpus_dir / ann["file"]
    if path.stem != ann.get("id"):
        return None, [f"id {ann.get('id')!r} must equal the stem of file {ann['file']!r}"]
    first = next(iter(read_articles([str(path)])), None)
    if first is None or not hasattr(first, "text"):
        reason = getattr(first, "reason", "nothing read")
        return None, [f"file {ann['file']!r} could not be read: {reason}"]
    text = first.text
    if "text" in ann and ann["text"] != text:
        return None, [f"\"text\" differs from the text read from {ann['file']!r}"]
    return text, []


def _locate(mentions: Iterable[dict[str, Any]], text: str) -> tuple[list[dict[str, Any] | None], list[str]]:
    """Fill `start`/`end` of each mention (None where its text is not found)."""
    located: list[dict[str, Any] | None] = []
    errors: list[str] = []
    after: dict[str, int] = {}
    for i, raw in enumerate(mentions):
        m = dict(raw)
        surface = m.get("text")
        where = f"mention {i} {surface!r}"
        if not isinstance(surface, str) or not surface:
            errors.append(f"{where}: empty text")
            located.append(None)
            continue
        if "n" in m:
            n = m.pop("n")
            pos = -1
            for _ in range(int(n)):
                pos = text.find(surface, pos + 1)
                if pos < 0:
                    break
            if pos < 0:
                errors.append(f"{where}: occurrence n={n} not found in the article")
                located.append(None)
                continue
        else:
            pos = text.find(surface, after.get(surface, 0))
            if pos < 0:
                pos = text.find(surface)
            if pos < 0:
                errors.append(f"{where}: text not found in the article")
                located.append(None)
                continue
        after[surface] = pos + 1
        if m.get("label") in NAME_LABELS and m.get("value") is None:
            m["value"] = surface
        ordered = {"label": m.pop("label", None), "start": pos, "end": pos + len(surface), "text": m.pop("text")}
        ordered.update(m)
        try:
            Mention.model_validate(ordered, context={"text": text})
        except ValidationError as exc:
            errors += [f"{where}: {msg}" for msg in _validation_messages(exc)]
        located.append(ordered)
    return located, errors


def goldify(ann: dict[str, Any], corpus_dir: Path) -> tuple[dict[str, Any] | None, list[str]]:
    """One gold row from one annotation, with the problems found (row is None when it cannot be built)."""
    errors = [f"unknown key {k!r}" for k in ann if k not in ANN_KEYS]
    text, problems = article_text(ann, corpus_dir)
    errors += problems
    if text is None:
        return None, errors
    located, problems = _locate(ann.get("mentions") or [], text)
    errors += problems
    found = [k for k, m in enumerate(located) if m is not None]
    order = sorted(found, key=lambda k: (located[k]["start"], -located[k]["end"]))
    new_index = {old: new for new, old in enumerate(order)}
    mentions = [located[k] for k in order]
    projects = []
    squeezed = _squeeze(text)
    for j, raw in enumerate(ann.get("projects") or []):
        p = dict(raw)
        pname = p.get("name")
        facts = []
        for fi, raw_fact in enumerate(p.get("facts") or []):
            fact = dict(raw_fact)
            idx = fact.pop("m", None)
            if idx is None:
                errors.append(f"project {j} {pname!r} fact {fi}: needs \"m\" (mention indices)")
                continue
            idx = [idx] if isinstance(idx, int) else list(idx)
            missing = [k for k in idx if k not in new_index]
            if missing:
                errors.append(f"project {j} {pname!r} fact {fi}: points to missing mention(s) {missing}")
                continue
            labels = {located[k]["label"] for k in idx}
            if len(labels) > 1:
                errors.append(f"project {j} {pname!r} fact {fi}: mentions {idx} have different labels {sorted(labels)}")
                continue
            src = located[idx[0]]
            for key in FACT_FIELDS:
                if src.get(key) is not None:
                    fact.setdefault(key, src[key])
            fact["mentions"] = sorted(new_index[k] for k in idx)
            facts.append(fact)
        p["facts"] = facts
        p.setdefault("aliases", [])
        errors += [f"project {j} {pname!r}: {what} {name!r} does not occur in the text"
                   for what, name in _written_names(p) if _squeeze(name) not in squeezed]
        projects.append(p)
    row = {k: ann[k] for k in GOLD_HEAD_KEYS if ann.get(k) is not None}
    row["text"] = text
    row["mentions"] = mentions
    row["projects"] = projects
    if not errors:
        try:
            GoldArticle.model_validate(row)
        except ValidationError as exc:
            errors += _describe_gold_errors(exc, row)
    return row, errors


def _squeeze(s: str) -> str:
    """Text without whitespace, so that a name broken across lines still counts as written."""
    return WHITESPACE.sub("", s)


def _written_names(project: dict[str, Any]) -> list[tuple[str, str]]:
    """The names of a project record that must occur in the article: name, aliases, company."""
    names = [("name", project.get("name") or "")]
    names += [("alias", a) for a in project.get("aliases") or []]
    if project.get("company"):
        names.append(("company", project["company"]))
    return [(what, n) for what, n in names if isinstance(n, str)]


def _describe_gold_errors(exc: ValidationError, row: dict[str, Any]) -> list[str]:
    """Validation errors of a gold row, naming the mention or project they are about."""
    out = []
    for e in exc.errors():
        loc = e["loc"]
        what = ".".join(str(x) for x in loc) or "-"
        if len(loc) >= 2 and loc[0] == "mentions" and isinstance(loc[1], int) and loc[1] < len(row["mentions"]):
            what = f"mention {row['mentions'][loc[1]].get('text')!r} ({what})"
        elif len(loc) >= 2 and loc[0] == "projects" and isinstance(loc[1], int) and loc[1] < len(row["projects"]):
            what = f"project {row['projects'][loc[1]].get('name')!r} ({what})"
        out.append(f"{what}: {e['msg']}")
    return out


def input_row(ann: dict[str, Any]) -> dict[str, Any]:
    """The line of `articles/corpus.jsonl` for an annotation that carries its text."""
    return {k: ann[k] for k in INPUT_KEYS if ann.get(k) is not None}


def build(corpus_dir: Path | str) -> Corpus:
    """Build gold and input rows from every `ann/*.json` (nothing is written)."""
    corpus_dir = Path(corpus_dir)
    result = Corpus()
    seen: dict[str, Path] = {}
    paths = sorted((corpus_dir / "ann").glob("*.json"))
    if not paths:
        result.errors.append(f"{corpus_dir / 'ann'}: no annotation files")
    for path in paths:
        try:
            ann = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            result.errors.append(f"{path}: cannot read: {exc}")
            continue
        if not isinstance(ann, dict) or not isinstance(ann.get("id"), str):
            result.errors.append(f"{path}: not an object with a string \"id\"")
            continue
        aid = ann["id"]
        if aid in seen:
            result.errors.append(f"{path}: id {aid!r} already used by {seen[aid]}")
            continue
        seen[aid] = path
        if path.stem != aid:
            result.errors.append(f"{path}: id {aid!r} differs from the file name")
        row, errors = goldify(ann, corpus_dir)
        result.errors += [f"{path}: {e}" for e in errors]
        if row is not None:
            result.gold.append(row)
            if "file" not in ann:
                result.inputs.append(input_row(ann))
    result.gold.sort(key=lambda r: r["id"])
    result.inputs.sort(key=lambda r: r["id"])
    return result


def write(corpus_dir: Path | str, corpus: Corpus) -> list[Path]:
    """Write `gold.jsonl` and `articles/corpus.jsonl`; returns the paths written."""
    corpus_dir = Path(corpus_dir)
    written = []
    for rel, rows in ((GOLD_FILE, corpus.gold), (INPUT_FILE, corpus.inputs)):
        path = corpus_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(dumps_line(r) for r in rows), encoding="utf-8")
        written.append(path)
    return written


def check_gold_file(path: Path) -> list[str]:
    """Validate every line of a gold JSON Lines file against `GoldArticle`; ids must be unique."""
    errors: list[str] = []
    ids: dict[str, int] = {}
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                errors.append(f"{path}:{n}: not JSON: {exc}")
                continue
            aid = row.get("id")
            if aid in ids:
                errors.append(f"{path}:{n}: id {aid!r} already on line {ids[aid]}")
            ids[aid] = n
            try:
                GoldArticle.model_validate(row)
            except ValidationError as exc:
                errors += [f"{path}:{n}: {aid}: {e}" for e in _describe_gold_errors(exc, row)]
    return errors


def _compare(path: Path, rows: list[dict[str, Any]]) -> list[str]:
    expected = "".join(dumps_line(r) for r in rows)
    if not path.exists():
        return [f"{path}: missing; run `extractor corpus build`"]
    actual = path.read_text(encoding="utf-8")
    if actual == expected:
        return []
    want = {r["id"]: dumps_line(r) for r in rows}
    have: dict[str, str] = {}
    for line in actual.splitlines(keepends=True):
        try:
            have[json.loads(line).get("id")] = line
        except (json.JSONDecodeError, AttributeError):
            continue
    differing = sorted(k for k in want.keys() | have.keys() if want.get(k) != have.get(k))
    shown = ", ".join(map(str, differing[:10])) + (" ..." if len(differing) > 10 else "")
    return [f"{path}: stale, differs from what `extractor corpus build` writes (ids: {shown or 'order'})"]


def check(corpus_dir: Path | str) -> list[str]:
    """Every problem of the corpus: annotation errors, invalid or stale generated files."""
    corpus_dir = Path(corpus_dir)
    corpus = build(corpus_dir)
    errors = list(corpus.errors)
    gold_path = corpus_dir / GOLD_FILE
    if gold_path.exists():
        errors += check_gold_file(gold_path)
    errors += _compare(gold_path, corpus.gold)
    errors += _compare(corpus_dir / INPUT_FILE, corpus.inputs)
    errors += _unreferenced_inputs(corpus_dir)
    return errors


def _unreferenced_inputs(corpus_dir: Path) -> list[str]:
    """Input files under articles/ that no annotation file names: the main job would read them without gold."""
    articles = corpus_dir / "articles"
    if not articles.is_dir():
        return []
    named = {(corpus_dir / INPUT_FILE).resolve()}
    for path in (corpus_dir / "ann").glob("*.json"):
        try:
            ann = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            continue
        if isinstance(ann, dict) and isinstance(ann.get("file"), str):
            named.add((corpus_dir / ann["file"]).resolve())
    return [f"{f}: input file without an annotation file (add ann/{f.stem}.json or remove it)"
            for f in sorted(articles.rglob("*")) if f.is_file() and f.resolve() not in named]

"""Evaluation of predictions against gold (SPEC section 4).

Gives the same numbers, under the same keys, as the reference scorer `tools/score.py`:
mentions per label (values compared, not offsets), PROJECT exact, projects paired one-to-one by
the lenient name rule, and record facts counted only inside paired projects.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from typing import Any

NUMERIC = frozenset({"MONEY", "CAPACITY", "JOBS"})
NAMES = frozenset({"PROJECT", "ORG", "LOC"})
CORE = ("PROJECT", "MONEY", "CAPACITY", "DATE", "JOBS")
FACTS = ("MONEY", "CAPACITY", "DATE", "JOBS")
DEFAULT_LABELS = ("PROJECT", "ORG", "MONEY", "CAPACITY", "DATE", "JOBS")

Row = dict[str, Any]


@cache
def _t2s() -> Callable[[str], str]:
    try:
        import opencc

        return opencc.OpenCC("t2s").convert
    except Exception:
        return lambda s: s


@cache
def norm_name(s: str) -> str:
    """NFKC, Traditional->Simplified, without whitespace, punctuation and symbols."""
    s = _t2s()(unicodedata.normalize("NFKC", s or ""))
    return "".join(c for c in s if unicodedata.category(c)[0] not in "PZS" and not c.isspace())


def name_score(a: str, b: str) -> float:
    """1.0 when exactly equal, a similarity in (0, 1) when leniently equal, else 0."""
    a, b = norm_name(a), norm_name(b)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    short, long_ = sorted((a, b), key=len)
    if short in long_ and len(short) >= 4 and len(short) * 2 >= len(long_):
        return 0.5 + 0.49 * len(short) / len(long_)
    ratio = difflib.SequenceMatcher(None, a, b).ratio()
    return ratio if ratio >= 0.75 else 0.0


def _num(x: Any) -> float | None:
    try:
        return float(x)
    except (TypeError, ValueError):
        return None


def same_number(a: Any, b: Any) -> bool:
    """Equal within 0.5 % relative difference."""
    fa, fb = _num(a), _num(b)
    if fa is None or fb is None:
        return False
    return fa == fb or abs(fa - fb) <= 0.005 * max(abs(fa), abs(fb))


def _name_of(m: Row) -> str:
    return str(m.get("value") or m.get("text") or "")


def value_score(label: str, p: Row, g: Row) -> float:
    """How well prediction `p` matches gold `g` for `label`: 0 means no match."""
    if p.get("label") != label or g.get("label") != label:
        return 0.0
    if label in NAMES:
        return name_score(_name_of(p), _name_of(g))
    if label == "DATE":
        return 1.0 if str(p.get("value")) == str(g.get("value")) else 0.0
    if not same_number(p.get("value"), g.get("value")):
        return 0.0
    if label in ("MONEY", "CAPACITY") and (p.get("unit") or None) != (g.get("unit") or None):
        return 0.0
    if label == "CAPACITY" and (p.get("per") or None) != (g.get("per") or None):
        return 0.0
    return 1.0


def match(preds: Sequence[Row], golds: Sequence[Row], score: Callable[[Row, Row], float]) -> list[tuple[Row, Row]]:
    """Greedy one-to-one pairing by descending score."""
    scored = [(s, i, j) for i, p in enumerate(preds) for j, g in enumerate(golds) if (s := score(p, g)) > 0]
    scored.sort(key=lambda t: (-t[0], t[1], t[2]))
    used_p: set[int] = set()
    used_g: set[int] = set()
    out = []
    for _, i, j in scored:
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        out.append((preds[i], golds[j]))
    return out


class Tally:
    """True positives, predictions and gold items; precision, recall and F1."""

    __slots__ = ("gold", "pred", "tp")

    def __init__(self) -> None:
        self.tp = self.pred = self.gold = 0

    def add(self, tp: int, pred: int, gold: int) -> None:
        self.tp += tp
        self.pred += pred
        self.gold += gold

    def row(self) -> dict[str, float | int]:
        p = self.tp / self.pred if self.pred else 0.0
        r = self.tp / self.gold if self.gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"gold": self.gold, "pred": self.pred, "tp": self.tp,
                "precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def _project_names(proj: Row) -> list[str]:
    return [proj.get("name") or "", *(proj.get("aliases") or [])]


def project_score(p: Row, g: Row) -> float:
    return max((name_score(a, b) for a in _project_names(p) for b in _project_names(g)), default=0.0)


def _fact_of(fact: Row, mentions: Sequence[Row]) -> Row:
    """A fact completed from the first mention it points to where fields are missing."""
    f = dict(fact)
    idx = f.get("mention")
    if idx is None and f.get("mentions"):
        idx = f["mentions"][0]
    if isinstance(idx, int) and 0 <= idx < len(mentions):
        for k, v in mentions[idx].items():
            f.setdefault(k, v)
    return f


def distinct_facts(project: Row, mentions: Sequence[Row], label: str) -> list[Row]:
    """The project's facts of one label, the same value counted once."""
    out: list[Row] = []
    for f in (_fact_of(x, mentions) for x in project.get("facts") or []):
        if f.get("label") == label and not any(value_score(label, f, o) for o in out):
            out.append(f)
    return out


def merge_pieces(rows: Iterable[Row]) -> dict[str, Row]:
    """Prediction rows by input id; the pieces `<id>#<n>` of one input merged into one row."""
    merged: dict[str, Row] = {}
    for row in rows:
        key = str(row.get("article_id", row.get("id")))
        base = key.split("#", 1)[0] if key not in merged and "#" in key else key
        tgt = merged.setdefault(base, {"mentions": [], "projects": []})
        offset = len(tgt["mentions"])
        tgt["mentions"].extend(row.get("mentions") or [])
        for proj in row.get("projects") or []:
            proj = dict(proj)
            facts = []
            for f in proj.get("facts") or []:
                f = dict(f)
                if isinstance(f.get("mention"), int):
                    f["mention"] += offset
                if f.get("mentions"):
                    f["mentions"] = [i + offset for i in f["mentions"] if isinstance(i, int)]
                facts.append(f)
            proj["facts"] = facts
            tgt["projects"].append(proj)
    return merged


def score(gold_rows: Sequence[Row], pred_rows: Iterable[Row], labels: Sequence[str] = DEFAULT_LABELS) -> Row:
    """All scores of SPEC section 4, keyed as the reference scorer's `--json` output."""
    preds = merge_pieces(pred_rows)
    mention = {lab: Tally() for lab in labels}
    exact_project = Tally()
    attr = {"kind": [0, 0], "qualifier": [0, 0]}
    records = {lab: Tally() for lab in FACTS}
    projects = Tally()
    missing = 0
    for g in gold_rows:
        p = preds.get(str(g["id"]))
        if p is None:
            missing += 1
            p = {"mentions": [], "projects": []}
        gm, pm = g.get("mentions") or [], p.get("mentions") or []
        for lab in labels:
            gl = [m for m in gm if m.get("label") == lab]
            pl = [m for m in pm if m.get("label") == lab]
            pairs = match(pl, gl, lambda a, b, lab=lab: value_score(lab, a, b))
            mention[lab].add(len(pairs), len(pl), len(gl))
            if lab == "PROJECT":
                exact = match(pl, gl, lambda a, b: 1.0 if name_score(_name_of(a), _name_of(b)) == 1.0 else 0.0)
                exact_project.add(len(exact), len(pl), len(gl))
            for pp, gg in pairs:
                for key, counts in attr.items():
                    if gg.get(key) is not None:
                        counts[1] += 1
                        counts[0] += int(pp.get(key) == gg.get(key))
        gp, pp_ = g.get("projects") or [], p.get("projects") or []
        paired = match(pp_, gp, project_score)
        projects.add(len(paired), len(pp_), len(gp))
        paired_ids = {id(a) for a, _ in paired} | {id(b) for _, b in paired}
        for lab in FACTS:
            for a, b in paired:
                af, bf = distinct_facts(a, pm, lab), distinct_facts(b, gm, lab)
                hits = match(af, bf, lambda x, y, lab=lab: value_score(lab, x, y))
                records[lab].add(len(hits), len(af), len(bf))
            for proj in pp_:
                if id(proj) not in paired_ids:
                    records[lab].add(0, len(distinct_facts(proj, pm, lab)), 0)
            for proj in gp:
                if id(proj) not in paired_ids:
                    records[lab].add(0, 0, len(distinct_facts(proj, gm, lab)))
    core, allm, facts = Tally(), Tally(), Tally()
    for lab, t in mention.items():
        allm.add(t.tp, t.pred, t.gold)
        if lab in CORE:
            core.add(t.tp, t.pred, t.gold)
    for t in records.values():
        facts.add(t.tp, t.pred, t.gold)
    return {
        "articles": len(gold_rows), "missing_predictions": missing,
        "mentions": {lab: t.row() for lab, t in mention.items()},
        "mentions_project_exact": exact_project.row(),
        "mentions_core_micro": core.row(), "mentions_all_micro": allm.row(),
        "attributes": {k: round(v[0] / v[1], 4) if v[1] else None for k, v in attr.items()},
        "projects": projects.row(),
        "records": {lab: t.row() for lab, t in records.items()},
        "records_micro": facts.row(),
    }


def format_table(res: Row) -> str:
    """The scores as a readable table (the same layout as the reference scorer)."""
    lines = [f"articles {res['articles']}  missing predictions {res['missing_predictions']}",
             f"{'':24}{'gold':>6}{'pred':>6}{'tp':>6}{'P':>8}{'R':>8}{'F1':>8}"]

    def line(name: str, r: Row) -> None:
        lines.append(f"{name:24}{r['gold']:>6}{r['pred']:>6}{r['tp']:>6}"
                     f"{r['precision']:>8.3f}{r['recall']:>8.3f}{r['f1']:>8.3f}")

    for lab, r in res["mentions"].items():
        line(f"mention {lab}", r)
    if "PROJECT" in res["mentions"]:
        line("mention PROJECT exact", res["mentions_project_exact"])
    line("mentions core micro", res["mentions_core_micro"])
    line("projects paired", res["projects"])
    for lab, r in res["records"].items():
        line(f"record {lab}", r)
    line("records micro", res["records_micro"])
    attrs = res["attributes"]
    lines.append("attribute accuracy  " + "  ".join(
        f"{k} {v:.3f}" if v is not None else f"{k} -" for k, v in attrs.items()))
    return "\n".join(lines)

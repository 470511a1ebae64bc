"""`extractor eval --json` gives the reference scorer's numbers on the real dev set."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest

from extractor.cli import main
from extractor.scoring import name_score, same_number, score


def _gold(shared: Path) -> list[dict]:
    with open(shared / "devset" / "gold.jsonl", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def _as_pred(gold: list[dict]) -> list[dict]:
    return [{"article_id": g["id"], "mentions": g["mentions"], "projects": g["projects"]} for g in gold]


def _drop_mentions(gold: list[dict]) -> list[dict]:
    pred = copy.deepcopy(_as_pred(gold))
    for row in pred:
        row["mentions"] = row["mentions"][::3]
    return pred


def _change_values(gold: list[dict]) -> list[dict]:
    pred = copy.deepcopy(_as_pred(gold))
    for row in pred:
        for i, m in enumerate(row["mentions"]):
            if i % 2 and isinstance(m.get("value"), int | float):
                m["value"] = m["value"] * 1.1
            if i % 4 == 1 and m["label"] == "DATE":
                m["value"] = "1999"
            if i % 5 == 0 and m.get("kind"):
                m["kind"] = "other"
    return pred


def _rename_projects(gold: list[dict]) -> list[dict]:
    pred = copy.deepcopy(_as_pred(gold))
    for row in pred:
        for j, p in enumerate(row["projects"]):
            if j % 2:
                p["name"], p["aliases"] = "完全不同的名字工程", []
            else:
                p["name"] = p["name"][: max(4, len(p["name"]) * 2 // 3)]
    return pred


def _split_pieces(gold: list[dict]) -> list[dict]:
    """Each article cut into two pieces `<id>#1`, `<id>#2` with mentions and facts re-indexed."""
    out = []
    for row in _as_pred(gold):
        ms = row["mentions"]
        half = len(ms) // 2
        first, second = ms[:half], ms[half:]
        p1, p2 = [], []
        for p in row["projects"]:
            facts = p["facts"]
            a = [dict(f, mentions=[i for i in f["mentions"] if i < half]) for f in facts]
            b = [dict(f, mentions=[i - half for i in f["mentions"] if i >= half]) for f in facts]
            p1.append(dict(p, facts=[f for f in a if f["mentions"]]))
            p2.append(dict(p, facts=[f for f in b if f["mentions"]]))
        out.append({"article_id": f"{row['article_id']}#1", "mentions": first, "projects": p1})
        out.append({"article_id": f"{row['article_id']}#2", "mentions": second, "projects": p2})
    return out


VARIANTS = {"gold": _as_pred, "dropped": _drop_mentions, "changed": _change_values,
            "renamed": _rename_projects, "pieces": _split_pieces}


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_eval_json_equals_reference_scorer(shared_dir: Path, tmp_path: Path, variant: str, capsys) -> None:
    gold_path = shared_dir / "devset" / "gold.jsonl"
    pred = VARIANTS[variant](_gold(shared_dir))
    pred_path = tmp_path / "pred.jsonl"
    pred_path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in pred), encoding="utf-8")
    ref = subprocess.run([sys.executable, str(shared_dir / "tools" / "score.py"), "--gold", str(gold_path),
                          "--pred", str(pred_path), "--json"], capture_output=True, text=True, check=True)
    assert main(["eval", "--gold", str(gold_path), "--pred", str(pred_path), "--json"]) == 0
    ours = json.loads(capsys.readouterr().out)
    assert ours == json.loads(ref.stdout)
    if variant == "gold":
        assert ours["mentions_core_micro"]["f1"] == 1.0 and ours["records_micro"]["f1"] == 1.0
    else:
        assert ours["mentions_all_micro"]["f1"] < 1.0 or ours["records_micro"]["f1"] < 1.0


def test_name_rule() -> None:
    assert name_score("华辰项目", "华辰项目") == 1.0
    # contained, >= 4 chars and at least half the longer one
    assert 0.5 < name_score("负极材料产业项目", "华辰公司负极材料产业项目") < 1.0
    assert name_score("华辰项目", "华辰新材料科技有限公司高端负极材料产业项目") == 0.0
    # Traditional and full-width forms compare equal
    assert name_score("汕頭海上風電產業園", "汕头海上风电产业园") == 1.0


def test_numbers_within_half_a_percent() -> None:
    assert same_number(1250000000, 1250000000.0)
    assert same_number(1000, 1004)
    assert not same_number(1000, 1006)
    assert not same_number(None, 0)


def test_pieces_are_merged_by_input_id() -> None:
    gold = [{"id": "p", "mentions": [{"label": "JOBS", "value": 500}, {"label": "JOBS", "value": 30}],
             "projects": []}]
    pred = [{"article_id": "p#1", "mentions": [{"label": "JOBS", "value": 500}], "projects": []},
            {"article_id": "p#2", "mentions": [{"label": "JOBS", "value": 30}], "projects": []}]
    res = score(gold, pred, ["JOBS"])
    assert res["mentions"]["JOBS"] == {"gold": 2, "pred": 2, "tp": 2, "precision": 1.0, "recall": 1.0, "f1": 1.0}

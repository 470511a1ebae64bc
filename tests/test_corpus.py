"""The bundled corpus is valid and current, and `extractor corpus check` catches broken files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractor import corpus
from extractor.cli import main

CORPUS = Path(__file__).resolve().parent.parent / "corpus"

TEXT = "华辰新材料有限公司年产2万吨负极材料项目总投资12.5亿元，今年9月开工。"


def _ann(**changes) -> dict:
    ann = {
        "id": "t001",
        "published": "2023-05-12",
        "text": TEXT,
        "mentions": [
            {"label": "PROJECT", "text": "华辰新材料有限公司年产2万吨负极材料项目"},
            {"label": "ORG", "text": "华辰新材料有限公司"},
            {"label": "CAPACITY", "text": "年产2万吨", "value": 20000, "unit": "t", "per": "year",
             "kind": "production", "qualifier": "exact", "product": "负极材料"},
            {"label": "MONEY", "text": "12.5亿元", "value": 1250000000, "unit": "CNY",
             "kind": "investment_total", "qualifier": "exact"},
            {"label": "DATE", "text": "今年9月", "value": "2023-09", "kind": "start"},
        ],
        "projects": [{"name": "华辰新材料有限公司年产2万吨负极材料项目", "company": "华辰新材料有限公司",
                      "facts": [{"m": 2}, {"m": 3}, {"m": 4}]}],
    }
    ann.update(changes)
    return ann


def _make(tmp_path: Path, *anns: dict) -> Path:
    (tmp_path / "ann").mkdir()
    for ann in anns:
        (tmp_path / "ann" / f"{ann['id']}.json").write_text(json.dumps(ann, ensure_ascii=False), encoding="utf-8")
    return tmp_path


def _built(tmp_path: Path, *anns: dict) -> Path:
    root = _make(tmp_path, *anns)
    assert main(["corpus", "build", "--dir", str(root)]) == 0
    return root


def test_real_corpus_is_valid_and_current():
    assert corpus.check(CORPUS) == []


def test_real_corpus_size_and_ids():
    gold = [json.loads(line) for line in (CORPUS / "gold.jsonl").read_text(encoding="utf-8").splitlines()]
    ids = [g["id"] for g in gold]
    assert len(ids) == len(set(ids)) >= 60
    assert ids == sorted(ids)
    assert all(g["mentions"] and g["projects"] for g in gold)


def test_build_fills_offsets_sorts_and_copies_fact_fields(tmp_path):
    root = _built(tmp_path, _ann())
    gold = json.loads((root / "gold.jsonl").read_text(encoding="utf-8"))
    texts = [(m["text"], m["start"], m["end"]) for m in gold["mentions"]]
    assert texts == [("华辰新材料有限公司年产2万吨负极材料项目", 0, 20), ("华辰新材料有限公司", 0, 9),
                     ("年产2万吨", 9, 14), ("12.5亿元", 23, 29), ("今年9月", 30, 34)]
    facts = gold["projects"][0]["facts"]
    assert facts[0] == {"label": "CAPACITY", "value": 20000, "unit": "t", "per": "year", "kind": "production",
                        "qualifier": "exact", "mentions": [2]}
    assert facts[2]["value"] == "2023-09" and facts[2]["kind"] == "start"
    line = json.loads((root / "articles" / "corpus.jsonl").read_text(encoding="utf-8"))
    assert line == {"id": "t001", "text": TEXT, "published": "2023-05-12"}
    assert corpus.check(root) == []


def test_occurrence_n_picks_the_second(tmp_path):
    ann = _ann(text=TEXT + "今年9月投产。")
    ann["mentions"].append({"label": "DATE", "text": "今年9月", "n": 2, "value": "2023-09", "kind": "operation"})
    gold = corpus.build(_make(tmp_path, ann)).gold[0]
    assert [m["start"] for m in gold["mentions"] if m["text"] == "今年9月"] == [30, 37]


def test_check_catches_offset_mismatch_in_gold(tmp_path, capsys):
    root = _built(tmp_path, _ann())
    row = json.loads((root / "gold.jsonl").read_text(encoding="utf-8"))
    row["mentions"][3]["start"] += 1
    row["mentions"][3]["end"] += 1
    (root / "gold.jsonl").write_text(corpus.dumps_line(row), encoding="utf-8")
    assert main(["corpus", "check", "--dir", str(root)]) == 1
    err = capsys.readouterr().err
    assert "gold.jsonl:1: t001: mention '12.5亿元'" in err
    assert "!= article.text[24:30]" in err
    assert "stale" in err


def test_check_catches_bad_enum(tmp_path):
    ann = _ann()
    ann["mentions"][3]["kind"] = "investment"
    errors = corpus.check(_make(tmp_path, ann))
    assert any("t001.json: mention 3 '12.5亿元'" in e and "kind 'investment'" in e for e in errors)


def test_check_catches_fact_pointing_to_missing_mention(tmp_path):
    ann = _ann()
    ann["projects"][0]["facts"].append({"m": 7})
    errors = corpus.check(_make(tmp_path, ann))
    assert any("fact 3: points to missing mention(s) [7]" in e for e in errors)


def test_check_catches_mention_not_in_text(tmp_path):
    ann = _ann()
    ann["mentions"][3]["text"] = "13亿元"
    errors = corpus.check(_make(tmp_path, ann))
    assert any("mention 3 '13亿元': text not found" in e for e in errors)


def test_check_catches_stale_gold(tmp_path):
    root = _built(tmp_path, _ann())
    ann = _ann()
    ann["mentions"][3]["value"] = 1300000000
    (root / "ann" / "t001.json").write_text(json.dumps(ann, ensure_ascii=False), encoding="utf-8")
    errors = corpus.check(root)
    assert errors == [f"{root / 'gold.jsonl'}: stale, differs from what `extractor corpus build` writes (ids: t001)"]


def test_check_catches_duplicate_ids(tmp_path):
    root = _make(tmp_path, _ann())
    (root / "ann" / "t002.json").write_text(json.dumps(_ann(), ensure_ascii=False), encoding="utf-8")
    errors = corpus.build(root).errors
    assert any("id 't001' already used" in e for e in errors)


def test_build_writes_nothing_on_errors(tmp_path):
    ann = _ann()
    ann["mentions"][0]["label"] = "PROJEKT"
    root = _make(tmp_path, ann)
    assert main(["corpus", "build", "--dir", str(root)]) == 1
    assert not (root / "gold.jsonl").exists()


@pytest.mark.parametrize("suffix", [".txt"])
def test_file_article_takes_the_reader_text(tmp_path, suffix):
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / f"t003{suffix}").write_text(TEXT, encoding="utf-8")
    ann = _ann(id="t003", file=f"articles/t003{suffix}")
    del ann["text"]
    built = corpus.build(_make(tmp_path, ann))
    assert built.errors == []
    assert built.gold[0]["text"] == TEXT and built.inputs == []


def test_check_catches_project_name_not_in_text(tmp_path):
    ann = _ann()
    ann["projects"][0]["aliases"] = ["华辰负极材料项目"]
    errors = corpus.check(_make(tmp_path, ann))
    assert any("alias '华辰负极材料项目' does not occur in the text" in e for e in errors)


def test_check_catches_input_file_without_annotation(tmp_path):
    root = _built(tmp_path, _ann())
    (root / "articles" / "t009.txt").write_text(TEXT, encoding="utf-8")
    errors = corpus.check(root)
    assert errors == [f"{root / 'articles' / 't009.txt'}: input file without an annotation file "
                      "(add ann/t009.json or remove it)"]

"""Reading inputs: formats, encodings, folders/globs/stdin, publication dates and bad input."""

from __future__ import annotations

import gzip
import io
import json
import tracemalloc
from pathlib import Path

import pytest

from extractor.inputs import read_articles
from extractor.models import Article, Failure
from extractor.text import normalise

SIMPLIFIED = ("本报讯 某某新材料有限公司年产5万吨锂电负极材料项目昨日开工，"
              "项目总投资12.5亿元，建成后可提供就业岗位500个。")
TRADITIONAL = "台電公司宣布投資新台幣500億元，在台南興建裝置容量達150萬瓩的太陽光電場，預計明年併網發電。"


def read(*paths, **kw) -> list[Article | Failure]:
    return list(read_articles([str(p) for p in paths], **kw))


def jsonl(path: Path, rows: list, raw_lines: list[bytes] = ()) -> Path:
    lines = [json.dumps(r, ensure_ascii=False).encode() for r in rows] + list(raw_lines)
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


# --- formats ------------------------------------------------------------------------------------

def test_jsonl_articles_in_order_with_lenient_dates(tmp_path):
    f = jsonl(tmp_path / "a.jsonl", [
        {"id": "n1", "text": SIMPLIFIED, "published": "2022/4/20 08:30"},
        {"id": 7, "text": TRADITIONAL, "published": "2023-02", "title": "太陽光電", "source": "cna"},
    ])
    a, b = read(f)
    assert (a.id, a.published, a.source, a.encoding) == ("n1", "2022-04-20", "a.jsonl", "utf-8")
    assert (b.id, b.published, b.title, b.source) == ("7", "2023-02", "太陽光電", "cna")
    assert b.text == TRADITIONAL


def test_jsonl_gz_is_streamed_like_jsonl(tmp_path):
    f = tmp_path / "a.jsonl.gz"
    with gzip.open(f, "wb") as fh:
        fh.write(json.dumps({"id": "g1", "text": SIMPLIFIED}, ensure_ascii=False).encode() + b"\n")
        fh.write(b"{broken\n")
    a, bad = read(f)
    assert a.id == "g1" and a.text == SIMPLIFIED
    assert isinstance(bad, Failure) and bad.line == 2 and bad.stage == "parse"


@pytest.mark.parametrize(("encoding", "text", "detected"), [
    ("utf-8", SIMPLIFIED, "utf-8"),
    ("utf-8-sig", SIMPLIFIED, "utf-8-sig"),
    ("utf-16", SIMPLIFIED, "utf-16"),
    ("gbk", SIMPLIFIED, "gb18030"),
    ("gb18030", SIMPLIFIED, "gb18030"),
    ("big5", TRADITIONAL, "big5"),
])
def test_txt_encodings_are_detected_and_recorded(tmp_path, encoding, text, detected):
    f = tmp_path / f"doc-{encoding}.txt"
    f.write_bytes(text.encode(encoding))
    (a,) = read(f)
    assert (a.id, a.text, a.encoding, a.source) == (f"doc-{encoding}", text, detected, f.name)


def test_big5_article_works_in_simplified_working_text(tmp_path):
    f = tmp_path / "tw.txt"
    f.write_bytes(TRADITIONAL.encode("big5"))
    (a,) = read(f)
    wt = normalise(a.text)
    assert "投资新台币500亿元" in wt.text
    s = wt.text.index("500亿元")
    start, end = wt.to_original(s, s + len("500亿元"))
    assert a.text[start:end] == "500億元"


def test_short_gbk_and_big5_texts_are_told_apart(tmp_path):
    (tmp_path / "s.txt").write_bytes("项目总投资十二亿元".encode("gbk"))
    (tmp_path / "t.txt").write_bytes("項目總投資十二億元".encode("big5"))
    s, t = read(tmp_path / "s.txt", tmp_path / "t.txt")
    assert (s.text, s.encoding) == ("项目总投资十二亿元", "gb18030")
    assert (t.text, t.encoding) == ("項目總投資十二億元", "big5")


HTML = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>某某网 - 新闻</title>
<meta property="article:published_time" content="2021-09-27T10:15:00+08:00">
<style>.x {color: red}</style><script>var 总投资 = "999亿元";</script></head>
<body><nav><a href="/">首页</a> | <a href="/n">新闻</a></nav>
<h1>某某风电产业园项目开工</h1>
<div class="content"><p>9月26日，总投资<b>37.4亿元</b>的某某风电产业园基础设施项目开工。</p>
<p>项目建成后年产值可达<span>80亿元</span>。<br>记者 王五</p></div>
<noscript>请启用脚本</noscript></body></html>"""


def test_html_visible_text_title_and_published(tmp_path):
    f = tmp_path / "page.html"
    f.write_text(HTML, encoding="utf-8")
    (a,) = read(f)
    assert a.id == "page" and a.title == "某某风电产业园项目开工" and a.published == "2021-09-27"
    assert a.text == ("首页 | 新闻\n某某风电产业园项目开工\n9月26日,总投资37.4亿元的某某风电产业园基础设施项目开工。\n"
                      "项目建成后年产值可达80亿元。\n记者 王五").replace(",", "，")
    assert "999" not in a.text and "脚本" not in a.text


def test_html_in_gbk_is_decoded(tmp_path):
    f = tmp_path / "gbk.htm"
    f.write_bytes(HTML.replace("utf-8", "gbk").encode("gbk"))
    (a,) = read(f)
    assert a.encoding == "gb18030" and "总投资37.4亿元" in a.text


# --- paths ----------------------------------------------------------------------------------------

def test_folders_recursive_sorted_and_globs(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "deep").mkdir(parents=True)
    (tmp_path / "a" / "deep" / "x.txt").write_text(SIMPLIFIED, encoding="utf-8")
    (tmp_path / "a" / "y.html").write_text(HTML, encoding="utf-8")
    jsonl(tmp_path / "b" / "z.jsonl", [{"id": "z1", "text": TRADITIONAL}])
    (tmp_path / "b" / "notes.md").write_text("不是输入", encoding="utf-8")
    assert [a.id for a in read(tmp_path)] == ["x", "y", "z1"]
    assert [a.id for a in read(tmp_path / "**" / "*.txt")] == ["x"]
    (miss,) = read(tmp_path / "*.nothing")
    assert isinstance(miss, Failure) and miss.reason == "no file matches the pattern"
    (gone,) = read(tmp_path / "missing.txt")
    assert isinstance(gone, Failure) and gone.reason == "no such file"


def test_stdin_jsonl_and_text(tmp_path):
    data = (json.dumps({"id": "s1", "text": SIMPLIFIED}, ensure_ascii=False) + "\n").encode()
    (a,) = read("-", stdin=io.BufferedReader(io.BytesIO(data)))
    assert a.id == "s1" and a.text == SIMPLIFIED
    (b,) = read("-", stdin=io.BytesIO(TRADITIONAL.encode("big5")))
    assert (b.id, b.text, b.encoding) == ("stdin", TRADITIONAL, "big5")


# --- publication date ------------------------------------------------------------------------------

def test_published_override_and_inference(tmp_path):
    stamped = "某某项目签约\n发布时间：2019-8-28 19:57\n本报贵阳8月27日电 某某项目昨日签约，总投资5亿元。"
    f = jsonl(tmp_path / "p.jsonl", [
        {"id": "given", "text": stamped, "published": "2020-01-02"},
        {"id": "stamp", "text": stamped},
        {"id": "plain", "text": SIMPLIFIED},
        {"id": "bad-date", "text": SIMPLIFIED, "published": "yesterday"},
    ])
    got = {a.id: a.published for a in read(f)}
    assert got == {"given": "2020-01-02", "stamp": "2019-08-27", "plain": None, "bad-date": None}
    assert {a.published for a in read(f, published="2023-05")} == {"2023-05"}
    with pytest.raises(ValueError, match="published"):
        read(f, published="May")


def test_dateline_before_the_stamp_takes_the_previous_year(tmp_path):
    f = tmp_path / "old.txt"
    f.write_text("某某电站投产\n发布时间：2024-01-05 09:00\n本报重庆12月30日电 某某电站全部投产。", encoding="utf-8")
    (a,) = read(f)
    assert a.published == "2023-12-30"


def test_reporter_today_dateline_with_stamp_year(tmp_path):
    f = tmp_path / "today.txt"
    f.write_text("2022年5月14日 星期六\n记者今天（5月13日）从市发改委获悉，某某项目开工。", encoding="utf-8")
    (a,) = read(f)
    assert a.published == "2022-05-13"


# --- bad input -------------------------------------------------------------------------------------

def test_bad_jsonl_lines_are_failures_and_reading_goes_on(tmp_path):
    f = jsonl(tmp_path / "bad.jsonl", [{"id": "ok1", "text": SIMPLIFIED}], raw_lines=[
        b"",
        b"{not json",
        b"[1, 2]",
        json.dumps({"id": "nt"}).encode(),
        json.dumps({"id": "num", "text": 5}).encode(),
        json.dumps({"text": SIMPLIFIED}, ensure_ascii=False).encode(),
        json.dumps({"id": "ok1", "text": TRADITIONAL}, ensure_ascii=False).encode(),
        json.dumps({"id": "blank", "text": "  \n"}).encode(),
        json.dumps({"id": "ok2", "text": TRADITIONAL}, ensure_ascii=False).encode(),
    ])
    items = read(f)
    assert [a.id for a in items if isinstance(a, Article)] == ["ok1", "ok2"]
    fails = [(x.line, x.stage, x.article_id, x.reason.split(":")[0]) for x in items if isinstance(x, Failure)]
    assert fails == [
        (3, "parse", None, "invalid JSON"),
        (4, "parse", None, "not a JSON object but list"),
        (5, "parse", "nt", "no 'text' field"),
        (6, "parse", "num", "'text' is int, not a string"),
        (7, "parse", None, "no 'id' field (a string or integer)"),
        (8, "read", "ok1", "duplicate id 'ok1' (first read from " + str(f)),
        (9, "parse", "blank", "empty 'text'"),
    ]
    assert all(x.source == str(f) for x in items if isinstance(x, Failure))


def test_duplicate_ids_across_files(tmp_path):
    jsonl(tmp_path / "1.jsonl", [{"id": "dup", "text": SIMPLIFIED}])
    jsonl(tmp_path / "2.jsonl", [{"id": "dup", "text": TRADITIONAL}])
    first, second = read(tmp_path / "1.jsonl", tmp_path / "2.jsonl")
    assert first.text == SIMPLIFIED
    assert isinstance(second, Failure) and second.source.endswith("2.jsonl") and second.line == 1


def test_empty_binary_and_undecodable_files(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_bytes(b" \n\n")
    (tmp_path / "bin.txt").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "junk.txt").write_bytes(b"\x80\x80\x80\xff\xff" * 10)
    (tmp_path / "empty.jsonl").write_bytes(b"")
    items = read(*(tmp_path / n for n in ("empty.txt", "blank.txt", "bin.txt", "junk.txt", "empty.jsonl")))
    assert [(x.article_id, x.stage, x.reason) for x in items] == [
        ("empty", "read", "empty file"),
        ("blank", "read", "empty file"),
        ("bin", "decode", "binary data (NUL bytes)"),
        ("junk", "decode", "bytes decode in none of utf-8, gb18030, big5, cp950, big5hkscs"),
    ]


def test_a_100_mb_line_is_an_error_for_that_line_with_bounded_memory(tmp_path):
    f = tmp_path / "huge.jsonl"
    with f.open("wb") as fh:
        fh.write(json.dumps({"id": "before", "text": SIMPLIFIED}, ensure_ascii=False).encode() + b"\n")
        fh.write(b'{"id": "huge", "text": "')
        block = "项".encode() * (1 << 20)
        for _ in range(34):  # ~100 MB
            fh.write(block)
        fh.write(b'"}\n')
        fh.write(json.dumps({"id": "after", "text": TRADITIONAL}, ensure_ascii=False).encode() + b"\n")
    tracemalloc.start()
    try:
        items = read(f)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [getattr(x, "id", None) for x in items] == ["before", None, "after"]
    assert (items[1].line, items[1].stage, items[1].reason) == (2, "read", "line longer than 16777216 bytes")
    assert peak < 40 * 2**20


def test_unreadable_file_is_a_failure(tmp_path):
    d = tmp_path / "dir.jsonl"
    d.mkdir()
    (d / "inner.txt").write_text(SIMPLIFIED, encoding="utf-8")
    (tmp_path / "link.txt").symlink_to(tmp_path / "nowhere.txt")
    items = read(tmp_path / "link.txt", d)
    assert isinstance(items[0], Failure) and items[0].reason == "no such file"
    assert items[1].id == "inner"


def test_cli_rejects_a_malformed_published_date():
    from extractor.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["run", "--published", "20220401x", "x.jsonl"])
    assert exc.value.code == 2


def test_a_line_opening_with_date_and_time_is_a_stamp(tmp_path):
    f = tmp_path / "tw.txt"
    text = "儲能案場啟用\n2024/04/25 05:30　某某時報\n（記者王明／台南報導）某某能源今（24）日舉行啟用典禮。"
    f.write_bytes(text.encode("big5"))
    (a,) = read(f)
    assert (a.encoding, a.published) == ("big5", "2024-04-25")


def test_other_suffixes_are_sniffed(tmp_path):
    (tmp_path / "rows.json").write_text(json.dumps([{"id": "r1", "text": SIMPLIFIED}, {"id": "r2"}]),
                                        encoding="utf-8")
    (tmp_path / "lines.dat").write_text(json.dumps({"id": "d1", "text": TRADITIONAL}) + "\n", encoding="utf-8")
    (tmp_path / "page.xhtml").write_text(HTML, encoding="utf-8")
    (tmp_path / "note.md").write_text(SIMPLIFIED, encoding="utf-8")
    items = read(*(tmp_path / n for n in ("rows.json", "lines.dat", "page.xhtml", "note.md")))
    assert [(type(x).__name__, getattr(x, "id", x.line if isinstance(x, Failure) else None)) for x in items] == [
        ("Article", "r1"), ("Failure", 2), ("Article", "d1"), ("Article", "page"), ("Article", "note")]
    assert items[3].title == "某某风电产业园项目开工" and items[4].text == SIMPLIFIED


def test_utf8_with_a_broken_byte_is_an_error_not_mojibake(tmp_path):
    data = SIMPLIFIED.encode("utf-8")
    cut = len(SIMPLIFIED[:10].encode("utf-8"))
    assert cut == 28
    f = tmp_path / "broken.txt"
    f.write_bytes(data[:cut] + b"\xff" + data[cut:])
    (x,) = read(f)
    assert isinstance(x, Failure) and (x.stage, x.reason) == ("decode", "invalid UTF-8 at byte 28 (the rest is UTF-8)")

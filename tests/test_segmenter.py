"""The jieba segmenter: user dictionary valid, loaded once, every term kept whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor import segmenter
from extractor.tables import data_path

USERDICT_BYTES = Path(data_path(segmenter.USERDICT)).read_bytes()
TERMS = [word for word, _freq, _tag in segmenter.userdict_entries()]


def test_userdict_is_utf8_without_bom_with_lf_line_ends() -> None:
    assert not USERDICT_BYTES.startswith(b"\xef\xbb\xbf")
    assert b"\r" not in USERDICT_BYTES
    assert USERDICT_BYTES.endswith(b"\n")
    USERDICT_BYTES.decode("utf-8")


def test_userdict_lines_are_word_freq_tag() -> None:
    for line in USERDICT_BYTES.decode("utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split(" ")
        assert 1 <= len(parts) <= 3, line
        assert parts[0] and parts[0].strip() == parts[0], line
        if len(parts) > 1:
            assert parts[1].isdigit(), line


def test_userdict_has_no_duplicates() -> None:
    assert len(TERMS) == len(set(TERMS))


@pytest.mark.parametrize("term", TERMS)
def test_every_userdict_term_is_one_token(term: str) -> None:
    assert segmenter.words(term) == [term]


def test_domain_terms_stay_whole_in_a_sentence() -> None:
    words = segmenter.words("公司建设年产5万吨锂电负极材料石墨化生产线和分散式风电项目")
    assert "锂电负极材料" in words
    assert "石墨化" in words
    assert "分散式风电" in words


def test_jieba_is_loaded_once() -> None:
    first = segmenter.get_jieba()
    segmenter.words("项目开工")
    assert segmenter.get_jieba() is first
    assert segmenter._loaded_jieba.cache_info().currsize == 1


def test_tokens_carry_offsets_into_the_text() -> None:
    text = "该项目总投资12亿元"
    tokens = segmenter.tokens(text, offset=100)
    assert "".join(w for w, _, _ in tokens) == text
    assert all(text[s - 100:e - 100] == w for w, s, e in tokens)
    assert tokens[0][1] == 100


def test_dictionary_tags() -> None:
    assert segmenter.tag("在") == "p"
    assert segmenter.tag("的") == "uj"
    assert segmenter.tag("负极材料") == "n"  # the user dictionary's own tag wins

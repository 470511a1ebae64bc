"""The spaCy entry point: `extractor.load()` runs the batch stages as spaCy components."""

from __future__ import annotations

import subprocess
import sys

import pytest

spacy = pytest.importorskip("spacy")

import extractor  # noqa: E402
from extractor.models import Article  # noqa: E402
from extractor.nlp import FACTORY, SPANS_KEY  # noqa: E402
from extractor.pipeline import DEFAULT_STAGES, Pipeline, to_record  # noqa: E402

TEXT = "4月18日，青山锂电科技有限公司3万吨/年负极材料二期项目开工，总投资12.5亿元，可带动就业500人。"


@pytest.fixture(scope="session")
def nlp():
    return extractor.load()


@pytest.fixture(scope="session")
def doc(nlp):
    d = nlp.make_doc(TEXT)
    d._.published = "2022-04-20"
    return nlp(d)


def test_package_import_does_not_import_spacy() -> None:
    code = "import sys, extractor; print('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_pipeline_is_blank_chinese_with_jieba_and_the_stages(nlp) -> None:
    assert nlp.lang == "zh"
    assert nlp.tokenizer.segmenter == "jieba"
    assert nlp.pipe_names == [f"extractor_{name}" for name in DEFAULT_STAGES]
    assert all(nlp.get_pipe_meta(name).factory == FACTORY for name in nlp.pipe_names)


def test_user_dictionary_reaches_the_spacy_tokenizer(nlp) -> None:
    words = [t.text for t in nlp.make_doc("建设年产5万吨锂电负极材料石墨化项目")]
    assert "锂电负极材料" in words and "石墨化" in words


def test_overlapping_mentions_in_doc_spans(doc) -> None:
    spans = {(s.label_, s.text) for s in doc.spans[SPANS_KEY]}
    assert ("PROJECT", "青山锂电科技有限公司3万吨/年负极材料二期项目") in spans
    assert ("ORG", "青山锂电科技有限公司") in spans  # inside the PROJECT span
    money = next(s for s in doc.spans[SPANS_KEY] if s.label_ == "MONEY")
    assert money.text == "12.5亿元"
    assert money._.mention["value"] == 1250000000


def test_records_extension_equals_the_batch_pipeline(doc) -> None:
    batch = to_record(Pipeline().annotate(Article(id="x", text=TEXT, published="2022-04-20")))
    assert doc._.records == batch["projects"]
    (project,) = doc._.records
    assert project["company"] == "青山锂电科技有限公司"


def test_displacy_renders_the_mentions(doc) -> None:
    html = spacy.displacy.render(doc, style="span", options={"spans_key": SPANS_KEY})
    assert "PROJECT" in html and "MONEY" in html


def test_a_single_stage_component(nlp) -> None:
    names_only = extractor.load(["names"])
    d = names_only("该项目由江南建工集团有限公司承建。")
    assert [(s.label_, s.text) for s in d.spans[SPANS_KEY]] == [("ORG", "江南建工集团有限公司")]

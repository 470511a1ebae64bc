"""The spaCy entry point: `extractor.load()` returns an `nlp` object running the same stages.

    import extractor
    nlp = extractor.load()
    doc = nlp("……总投资12.5亿元的联顺生物项目……")
    doc.spans["mentions"]      # PROJECT, ORG, MONEY, CAPACITY, DATE, JOBS (may overlap)
    doc._.records              # one dict per project (SPEC section 2 "Project")

The tokenizer is spaCy's Chinese tokenizer with the jieba segmenter, after the project's user
dictionary has been added to jieba (`extractor.segmenter`). Each batch stage of
`pipeline.DEFAULT_STAGES` is a component made by the registered factory `"extractor_stage"`,
which calls the very stage function the batch pipeline calls: one implementation, two entry
points. Components share the pipeline's own `Doc` (kept in `doc._.extractor`); after each one,
the mentions found so far are copied into `doc.spans["mentions"]`, each span carrying its
normalised fields in `span._.mention`. Set `doc._.published` (ISO date) on `nlp.make_doc(text)`
before running `nlp(doc)` to anchor relative dates.
"""

from __future__ import annotations

from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from extractor import segmenter
from extractor.document import Doc as StageDoc
from extractor.models import Article
from extractor.pipeline import DEFAULT_STAGES, Pipeline, _resolve, to_record

SPANS_KEY = "mentions"
#: makes the working text exactly as the batch pipeline does (no stages of its own)
_MAKER = Pipeline([])
FACTORY = "extractor_stage"

for _cls, _name, _default in ((Doc, "extractor", None), (Doc, "records", None), (Doc, "published", None),
                              (Span, "mention", None)):
    if not _cls.has_extension(_name):
        _cls.set_extension(_name, default=_default)


class StageComponent:
    """A spaCy component that runs one batch stage (`pipeline.DEFAULT_STAGES[stage]`)."""

    def __init__(self, stage: str) -> None:
        if stage not in DEFAULT_STAGES:
            raise ValueError(f"unknown stage {stage!r}; known: {list(DEFAULT_STAGES)}")
        self.stage = stage
        self.run = _resolve(DEFAULT_STAGES[stage])

    def __call__(self, doc: Doc) -> Doc:
        state = _stage_doc(doc)
        self.run(state)
        record = to_record(state)
        _set_spans(doc, record["mentions"])
        if state.projects:
            doc._.records = record["projects"]
        return doc


@Language.factory(FACTORY, default_config={"stage": "names"},
                  assigns=["doc.spans", "doc._.records", "doc._.extractor"])
def make_stage(nlp: Language, name: str, stage: str) -> StageComponent:
    return StageComponent(stage)


def _stage_doc(doc: Doc) -> StageDoc:
    """The pipeline's own Doc for this spaCy Doc, made by the first component that needs it."""
    if doc._.extractor is None:
        article = Article(id="doc", text=doc.text, published=doc._.published)
        doc._.extractor = _MAKER.make_doc(article)
        doc._.records = []
    return doc._.extractor


def _set_spans(doc: Doc, mentions: list[dict[str, Any]]) -> None:
    spans = []
    for m in mentions:
        span = doc.char_span(m["start"], m["end"], label=m["label"], alignment_mode="expand")
        if span is None:
            continue
        span._.mention = m
        spans.append(span)
    doc.spans[SPANS_KEY] = spans


def load(stages: list[str] | None = None) -> Language:
    """A blank Chinese pipeline (jieba + user dictionary) with the extraction stages as components."""
    segmenter.get_jieba()  # the user dictionary goes into jieba before spaCy's tokenizer uses it
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    for stage in stages or list(DEFAULT_STAGES):
        nlp.add_pipe(FACTORY, name=f"extractor_{stage}", config={"stage": stage})
    return nlp

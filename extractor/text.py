"""The working text: a normalised copy of an article's text with an exact map back to it.

Recognizers see `WorkingText.text`; every span they return is mapped back with
`WorkingText.to_original(start, end)` so that output offsets point into the original text.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class WorkingText:
    """`text` is the normalised text; `index[i]` is the original index of `text[i]`."""

    original: str
    text: str
    index: tuple[int, ...]
    sentences: tuple[tuple[int, int], ...] = field(default=())

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a working-text span [start, end) to the original text."""
        if start >= end:
            raise ValueError(f"empty span [{start}, {end})")
        return self.index[start], self.index[end - 1] + 1

    def original_slice(self, start: int, end: int) -> str:
        s, e = self.to_original(start, end)
        return self.original[s:e]


def normalise(original: str, region: tuple[int, int] | None = None) -> WorkingText:
    """NFKC per character (full-width digits and letters made half-width), offsets kept.

    With `region`, only `original[region[0]:region[1]]` is the working text; the index still
    points into the whole `original`.
    """
    lo, hi = region or (0, len(original))
    out: list[str] = []
    index: list[int] = []
    for i in range(lo, hi):
        ch = original[i]
        norm = unicodedata.normalize("NFKC", ch) if not ch.isascii() else ch
        for c in norm or ch:
            out.append(c)
            index.append(i)
    text = "".join(out)
    return WorkingText(original, text, tuple(index), split_sentences(text))


_SENTENCE_END = frozenset("。！？；!?;\n")


def split_sentences(text: str) -> tuple[tuple[int, int], ...]:
    """Sentence spans of `text`, cut after 。！？； (and a closing quote that follows) and at newlines."""
    spans: list[tuple[int, int]] = []
    start = 0
    n = len(text)
    i = 0
    while i < n:
        if text[i] in _SENTENCE_END:
            j = i + 1
            while j < n and text[j] in "”’」』\"'）)":
                j += 1
            if text[start:j].strip():
                spans.append((start, j))
            start = i = j
            continue
        i += 1
    if start < n and text[start:].strip():
        spans.append((start, n))
    return tuple(spans)

"""jieba word segmentation with the project's user dictionary, loaded once per process.

`words(text)` segments with `jieba.lcut` (the fast, non-POS path). The user dictionary
`extractor/data/userdict.txt` (one `word [freq [tag]]` per line) is added to jieba's global
tokenizer the first time it is needed, so spaCy's jieba segmenter (which calls `jieba.cut`)
sees the same domain words.
"""

from __future__ import annotations

import logging
import threading
from functools import cache, lru_cache

from extractor.tables import data_path

USERDICT = "userdict.txt"

_lock = threading.Lock()


@cache
def _loaded_jieba():
    """The jieba module, initialised and with the user dictionary added (once)."""
    with _lock:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        jieba.initialize()
        for word, freq, tag in userdict_entries():
            jieba.add_word(word, freq, tag)
        return jieba


def userdict_entries() -> list[tuple[str, int | None, str | None]]:
    """The (word, frequency, tag) entries of the user dictionary, comments and blanks skipped."""
    entries: list[tuple[str, int | None, str | None]] = []
    with open(data_path(USERDICT), encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split(" ")
            freq = int(parts[1]) if len(parts) > 1 else None
            tag = parts[2] if len(parts) > 2 else None
            entries.append((parts[0], freq, tag))
    return entries


def get_jieba():
    """The initialised jieba module (user dictionary loaded)."""
    return _loaded_jieba()


def words(text: str) -> list[str]:
    """The words of `text` (jieba precise mode, HMM on)."""
    return list(_words(text))


@lru_cache(maxsize=4096)
def _words(text: str) -> tuple[str, ...]:
    """Cached: the records and ORG stages segment the same short names many times."""
    return tuple(_loaded_jieba().lcut(text))


def tokens(text: str, offset: int = 0) -> list[tuple[str, int, int]]:
    """(word, start, end) for each word of `text`, offsets shifted by `offset`."""
    out: list[tuple[str, int, int]] = []
    pos = offset
    for w in _loaded_jieba().lcut(text):
        out.append((w, pos, pos + len(w)))
        pos += len(w)
    return out


#: the part-of-speech tags of jieba's dictionary that the name rules look at
WANTED_TAGS = frozenset({"v", "l", "i", "p", "c", "u", "r", "d", "m", "q", "y", "e", "o", "t", "ad", "vd",
                         "ns", "f", "uj", "ul", "uz", "ud", "ug", "uv"})


@cache
def _tag_table() -> dict[str, str]:
    """Word -> tag from jieba's own dictionary, only for WANTED_TAGS (read once, ~0.1 s)."""
    import os
    import re

    jieba = _loaded_jieba()
    path = os.path.join(os.path.dirname(jieba.__file__), "dict.txt")
    with open(path, encoding="utf-8") as fh:
        content = fh.read()
    wanted = "|".join(sorted(WANTED_TAGS, key=len, reverse=True))
    table = dict(re.findall(rf"^(\S+) \d+ ({wanted})$", content, re.M))
    for word, _freq, tag in userdict_entries():
        if tag:
            table[word] = tag
        else:
            table.pop(word, None)
    return table


def tag(word: str) -> str | None:
    """jieba's dictionary tag of `word` when it is one of WANTED_TAGS, else None."""
    return _tag_table().get(word)


def is_word(word: str) -> bool:
    """Whether `word` is in jieba's dictionary (with the user dictionary), not an HMM guess."""
    return bool(_loaded_jieba().dt.FREQ.get(word))

"""Regex building blocks shared by the recognizers."""

from __future__ import annotations

from collections.abc import Iterable

import regex


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of literal words, longest first (so 万千瓦 beats 千瓦).

    Written as a trie (万千瓦|万吨 -> 万(?:千瓦|吨)): the words that match at one position are
    prefixes of each other and are still tried longest first, but the regex engine compares each
    character once instead of once per word.
    """
    return "(?:" + _trie({w for w in words if w}) + ")"


def _trie(words: set[str]) -> str:
    """The alternation of `words` (suffixes sharing a node), longer continuations before the end."""
    by_first: dict[str, set[str]] = {}
    for w in words:
        if w:
            by_first.setdefault(w[0], set()).add(w[1:])
    branches = [regex.escape(c) + _trie(rest) for c, rest in sorted(by_first.items())]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in words else body

"""One record per project across the pieces of one newspaper page.

A page is split into articles `<id>#1`, `<id>#2` ... (SPEC section 2), and the same project is
often named in several of them: in a caption of one story and in the body of the next. Each piece
builds its own records, so the page would carry the project twice. A fact can only point to the
mentions of its own piece, so facts are never moved; but a record WITHOUT facts whose name matches
a record of another piece of the same page is dropped, and its names become aliases of that record.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from extractor.models import ArticleResult, Project
from extractor.records import same_project


def input_id(article_id: str) -> str:
    """The id of the input an article came from (`seed#2` -> `seed`)."""
    return article_id.split("#", 1)[0]


def _names(p: Project) -> list[str]:
    return [p.name, *p.aliases]




def _absorb(keeper: Project, other: Project) -> None:
    for name in _names(other):
        if name != keeper.name and name not in keeper.aliases:
            keeper.aliases.append(name)
    keeper.company = keeper.company or other.company
    keeper.location = keeper.location or other.location


def merge_page_records(pieces: list[ArticleResult]) -> None:
    """Drop the fact-less duplicates of records held by another piece of the same page (in place)."""
    if len(pieces) < 2:
        return
    orgs = {m.value for piece in pieces for m in piece.mentions if m.label == "ORG"}
    orgs |= {p.company for piece in pieces for p in piece.projects if p.company}
    for i, piece in enumerate(pieces):
        kept = []
        for project in piece.projects:
            if project.facts:
                kept.append(project)
                continue
            others = [p for j, other in enumerate(pieces) if j != i for p in other.projects
                      if (p.facts or j < i) and same_project(_names(p), _names(project), orgs)]
            if others:
                _absorb(max(others, key=lambda p: len(p.facts)), project)
            else:
                kept.append(project)
        piece.projects = kept


def group_by_input(results: Iterable[ArticleResult]) -> Iterator[list[ArticleResult]]:
    """Consecutive results grouped by the input they came from."""
    group: list[ArticleResult] = []
    for res in results:
        if group and input_id(res.article_id) != input_id(group[-1].article_id):
            yield group
            group = []
        group.append(res)
    if group:
        yield group

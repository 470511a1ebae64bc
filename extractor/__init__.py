"""Extract investment projects from Chinese news articles into validated records."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

try:
    __version__ = version("zh-project-extractor")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0"


def load(stages: list[str] | None = None) -> Language:
    """The spaCy `nlp` object running the extraction stages (spaCy is imported only here)."""
    from extractor.nlp import load as _load

    return _load(stages)


__all__ = ["__version__", "load"]

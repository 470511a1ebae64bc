"""Shared fixtures: the sibling `shared/` folder (dev set, reference scorer) when it exists."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED / "devset" / "gold.jsonl").exists() or not (SHARED / "tools" / "score.py").exists():
        pytest.skip("../shared (dev set and reference scorer) is not present")
    return SHARED

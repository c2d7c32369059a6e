"""Shared fixtures: the Scottish 2017 data, read in place beside the repository (never copied)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
SCOTLAND = REPO.parent / "shared" / "data" / "stv" / "scotland-2017"


@pytest.fixture(scope="session")
def expected() -> list[dict[str, Any]]:
    with open(SCOTLAND / "expected.json", encoding="utf-8") as f:
        data: list[dict[str, Any]] = json.load(f)
    return data

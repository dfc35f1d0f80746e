"""The outside checkers, run from node_modules/.bin (pinned in package.json, installed by scripts/setup's npm ci)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ROOT

BIN = ROOT / "node_modules" / ".bin"


def tool(name: str) -> Path:
    """The checker's command, or a failure saying how to install it (never a skip: CI must run it)."""
    path = BIN / name
    if not path.exists():
        pytest.fail(f"{path} is missing: run scripts/setup --test (npm ci installs the checkers pinned in package.json)")
    return path

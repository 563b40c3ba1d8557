"""Shared fixtures: every test gets its own data folder and runs Qt offscreen."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def app_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Point PINUPLOAD_HOME at a fresh folder so no test sees another's data."""
    home = tmp_path_factory.mktemp("home")
    old = os.environ.get("PINUPLOAD_HOME")
    os.environ["PINUPLOAD_HOME"] = str(home)
    yield home
    if old is None:
        os.environ.pop("PINUPLOAD_HOME", None)
    else:
        os.environ["PINUPLOAD_HOME"] = old

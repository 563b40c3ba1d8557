"""Fixtures for the window's tests: a real window offscreen, files, server, account."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ["QT_QPA_PLATFORM"] = "offscreen"

from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QMessageBox

from pinupload.core import credentials
from tests.pinterest_server import PinterestServer
from tests.sheets import recent, sales_rows, write_xlsx

ACCOUNT = "123456"
TOKEN = "good-token"
WAIT_MS = 20_000


@pytest.fixture(autouse=True)
def settle_pool() -> Iterator[None]:
    """Let every pool job end before the next test (no job outlives its window)."""
    yield
    QThreadPool.globalInstance().waitForDone(30_000)


@pytest.fixture
def window(qtbot: Any) -> Iterator[Any]:
    from pinupload.gui.main_window import MainWindow

    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    win.asked: list[QMessageBox] = []
    win.answers: list[str] = []

    def ask(box: QMessageBox) -> object:
        # Answer with the first button whose text starts with the queued answer.
        win.asked.append(box)
        wanted = win.answers.pop(0) if win.answers else ""
        for button in box.buttons():
            if button.text().replace("&", "").startswith(wanted):
                return button
        raise AssertionError(f"no button {wanted!r} in {box.text()!r}")

    win.ask = ask
    yield win
    win.session.cancel()
    win.session.wait(30_000)


def problem_rows() -> list[list[object]]:
    """Three good sales, one without a time, one with a bad email, one very old."""
    rows = [list(r) for r in sales_rows(3)]
    rows.append(["A-2001", "x2001@example.com", "", None, "5.00", "USD", 1])
    rows.append(["A-2002", "not an email", "", recent(1), "5.00", "USD", 1])
    rows.append(["A-2003", "old@example.com", "", recent(30), "5.00", "USD", 1])
    return rows


@pytest.fixture
def sales_file(tmp_path: Path) -> Path:
    return write_xlsx(tmp_path / "sales.xlsx", problem_rows())


@pytest.fixture
def open_file(window: Any, qtbot: Any) -> Callable[[Path], Any]:
    def opener(path: Path) -> Any:
        with qtbot.waitSignal(window.file_shown, timeout=WAIT_MS) as blocker:
            window.open_file(path)
        qtbot.waitUntil(lambda: not window.session.busy(), timeout=WAIT_MS)
        return blocker.args[0]

    return opener


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[PinterestServer]:
    with PinterestServer({TOKEN: {ACCOUNT}, "other-token": {"999"}}) as srv:
        monkeypatch.setenv("PINUPLOAD_API_URL", srv.url)
        monkeypatch.delenv("PINUPLOAD_TOKEN", raising=False)
        yield srv


@pytest.fixture
def account() -> Iterator[str]:
    """A real ad account with its token in the session's keyring."""
    credentials.set_token(ACCOUNT, TOKEN, "Main store")
    yield ACCOUNT
    credentials.delete_token(ACCOUNT)

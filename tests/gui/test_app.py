"""Starting the app: name, icon, desktop id, log file, crash dialog, FILE argument."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox

from pinupload import APP_ID, paths
from pinupload.gui import app as gui_app


def test_app_is_named_with_icon_and_desktop_id(qapp: Any) -> None:
    made = gui_app.make_app([])
    assert made is qapp
    assert made.applicationName() == "pinupload"
    assert QGuiApplication.desktopFileName() == APP_ID
    assert not made.windowIcon().isNull()
    assert len(made.windowIcon().availableSizes()) >= 4


def test_crash_is_logged_and_explained(
    qapp: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "critical", lambda _parent, _title, text: shown.append(text)
    )
    old_hook = sys.excepthook
    root = logging.getLogger()
    before = list(root.handlers)
    try:
        log = gui_app.setup_logging()
        gui_app.install_excepthook(log)
        try:
            raise RuntimeError("boom in a slot")
        except RuntimeError as exc:
            sys.excepthook(type(exc), exc, exc.__traceback__)
        for handler in root.handlers:
            handler.flush()
        assert log.parent == paths.log_dir()
        assert "boom in a slot" in log.read_text(encoding="utf-8")
        assert len(shown) == 1 and str(log) in shown[0]
        assert "Traceback" not in shown[0] and "boom" not in shown[0]
    finally:
        sys.excepthook = old_hook
        for handler in root.handlers:
            if handler not in before:
                root.removeHandler(handler)
                handler.close()


def test_the_file_given_is_opened(
    qtbot: Any, sales_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(gui_app, "setup_logging", lambda: paths.log_dir() / "x.log")
    monkeypatch.setattr(gui_app, "install_excepthook", lambda _log: None)
    window = gui_app.open_window([str(sales_file)])
    qtbot.addWidget(window)
    assert window.isVisible()
    with qtbot.waitSignal(window.file_shown, timeout=20_000) as blocker:
        pass
    assert blocker.args[0].state.rows == 6

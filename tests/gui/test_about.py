"""The About box names the version; files macOS hands over are opened."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QFileOpenEvent

from pinupload import __version__
from pinupload.gui.about import FileOpenFilter, show_about
from tests.gui.conftest import WAIT_MS


def test_about_box_shows_version_and_folders(window: Any, app_home: Path) -> None:
    box = show_about(window)
    try:
        assert f"pinupload {__version__}" in box.text()
        assert str(app_home) in box.text()
        assert box.windowTitle() == "About pinupload"
    finally:
        box.close()
    actions = [a.text() for a in window.menuBar().actions()]
    help_menu = window.menuBar().actions()[actions.index("&Help")].menu()
    assert "&About pinupload" in [a.text() for a in help_menu.actions()]


def test_a_file_open_event_opens_the_file(
    window: Any, qtbot: Any, sales_file: Path
) -> None:
    app = QCoreApplication.instance()
    assert app is not None
    app.installEventFilter(FileOpenFilter(window))
    with qtbot.waitSignal(window.file_shown, timeout=WAIT_MS):
        QCoreApplication.sendEvent(app, QFileOpenEvent(str(sales_file)))
    qtbot.waitUntil(lambda: not window.session.busy(), timeout=WAIT_MS)
    assert window.preview.model.rowCount() == 6

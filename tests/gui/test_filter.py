"""Filtering, searching and sorting the preview in the window."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from pinupload.gui.rowfilter import PROBLEMS, READY
from tests.gui.conftest import WAIT_MS


def shown(window: Any, column: int = 2) -> list[str]:
    model = window.preview.model
    return [model.data(model.index(r, column)) for r in range(model.rowCount())]


def test_filter_search_and_sort(
    window: Any, qtbot: Any, open_file: Any, sales_file: Path
) -> None:
    open_file(sales_file)
    with qtbot.waitSignal(window.view_updated, timeout=WAIT_MS):
        window.preview.set_filter(PROBLEMS)
    assert shown(window) == ["A-2001", "A-2002", "A-2003"]
    with qtbot.waitSignal(window.view_updated, timeout=WAIT_MS):
        window.preview.set_filter(READY)
    assert shown(window) == ["A-1001", "A-1002", "A-1003", "A-2003"]
    with qtbot.waitSignal(window.view_updated, timeout=WAIT_MS):
        qtbot.keyClicks(window.preview.search_edit, "a-1002")
    assert shown(window) == ["A-1002"]
    window.preview.search_edit.clear()
    with qtbot.waitSignal(window.view_updated, timeout=WAIT_MS):
        window.preview.set_filter("all")
    header = window.preview.table.horizontalHeader()
    with qtbot.waitSignal(window.view_updated, timeout=WAIT_MS):
        header.sectionClicked.emit(2)
    with qtbot.waitSignal(window.view_updated, timeout=WAIT_MS):
        header.sectionClicked.emit(2)
    assert shown(window)[0] == "A-2003"
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    window.preview.table.selectRow(0)
    assert "days old" in window.preview.details.toPlainText()

"""Getting a file in: empty state, open, drop, recent files, sheets, header row."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QHeaderView

from pinupload.core.reader import Sheet
from pinupload.gui import settings, workers
from tests.gui.conftest import WAIT_MS, problem_rows
from tests.sheets import sales_rows, write_csv, write_xlsx


def test_empty_window_says_what_to_do_and_saves_a_template(
    window: Any, tmp_path: Path
) -> None:
    assert window.stack.currentWidget() is window.empty
    assert "Open a spreadsheet" in window.empty.open_button.text().replace("&", "")
    assert "template" in window.empty.template_button.text()
    target = tmp_path / "mine"
    window.write_template(target)
    saved = target.with_suffix(".xlsx")
    assert "Order ID" in Sheet(saved).headers
    assert str(saved) in window.message_bar.text()


def test_open_shows_rows_problems_and_details(
    window: Any, open_file: Any, sales_file: Path
) -> None:
    loaded = open_file(sales_file)
    assert window.stack.currentIndex() == 1
    model = window.preview.model
    assert model.rowCount() == 6
    summary = window.preview.summary_label.text()
    assert "6 rows" in summary and "4 ready" in summary and "2 not sendable" in summary
    assert "Match readiness" in summary and "email 100%" in summary
    assert window.send_panel.send_button.text() == "&Send test"
    window.preview.table.selectRow(0)
    details = window.preview.details.toPlainText()
    hashed = loaded.state.check.converter.explain(loaded.table.rows[0])[0]
    assert "customer.1001@example.com" in details
    assert hashed.sent in details
    assert settings.recent_files()[0] == sales_file.resolve()
    assert window.recent_menu.actions()[0].text() == "sales.xlsx"


def test_first_rows_show_before_the_check_ends(
    window: Any, qtbot: Any, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "big.csv", sales_rows(3000))
    seen: list[tuple[str, int]] = []
    window.session.preview_ready.connect(lambda t: seen.append(("early", len(t.rows))))
    window.file_shown.connect(lambda d: seen.append(("checked", len(d.table.rows))))
    with qtbot.waitSignal(window.file_shown, timeout=WAIT_MS):
        window.open_file(path)
    assert seen == [("early", 500), ("checked", 3000)]
    assert window.preview.model.rowCount() == 3000


def test_row_numbers_are_as_wide_as_qt_measures_them(
    window: Any, qtbot: Any, open_file: Any, tmp_path: Path
) -> None:
    header = window.preview.table.verticalHeader()
    open_file(write_csv(tmp_path / "small.csv", sales_rows(5)))
    narrow = header.sizeHint()
    open_file(write_csv(tmp_path / "big.csv", sales_rows(1200)))
    # Qt's own hint reads the labels of the first and last 100 rows.
    assert header.sizeHint() == QHeaderView.sizeHint(header)
    assert header.sizeHint().width() > narrow.width()
    qtbot.waitUntil(lambda: header.width() == header.sizeHint().width())


def test_the_file_shown_before_is_freed_unless_still_in_use(
    window: Any, qtbot: Any, open_file: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    monkeypatch.setattr(workers, "RELEASE_SLICE", 10)
    first = open_file(write_csv(tmp_path / "a.csv", sales_rows(50)))
    rows, ids = first.table.rows, first.state.check.event_ids
    with qtbot.waitSignal(window.file_shown, timeout=WAIT_MS):
        window.session.recheck(window.session.options())
    qtbot.waitUntil(lambda: not ids)  # the old check's answers went
    assert len(rows) == 50  # a new check of the same rows keeps them
    window.session.in_use = lambda _old: True  # as while a send reads it
    kept = open_file(write_csv(tmp_path / "b.csv", sales_rows(30)))
    assert window.session.wait(WAIT_MS) and len(rows) == 50
    window.session.in_use = lambda _old: False
    third = open_file(write_csv(tmp_path / "c.csv", sales_rows(40)))
    qtbot.waitUntil(lambda: not kept.table.rows)
    assert len(third.table.rows) == 40 and window.preview.model.rowCount() == 40


def test_drop_a_file_on_the_window(window: Any, qtbot: Any, sales_file: Path) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(sales_file))])
    event = QDropEvent(
        QPoint(10, 10), Qt.DropAction.CopyAction, mime,
        Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    with qtbot.waitSignal(window.file_shown, timeout=WAIT_MS) as blocker:
        window.dropEvent(event)
    assert blocker.args[0].table.path == sales_file


def test_sheet_picker_and_header_row(
    window: Any, qtbot: Any, open_file: Any, tmp_path: Path
) -> None:
    second = [["Report of the week"], *problem_rows()]
    path = write_xlsx(tmp_path / "two.xlsx", problem_rows()[:3], Week=second)
    loaded = open_file(path)
    assert window.file_bar.sheet_combo.isVisibleTo(window)
    assert loaded.table.sheet_names == ["Sales", "Week"]
    assert loaded.state.rows == 2
    combo = window.file_bar.sheet_combo
    with qtbot.waitSignal(window.file_shown, timeout=WAIT_MS) as blocker:
        combo.setCurrentIndex(1)
        combo.activated.emit(1)
    table = blocker.args[0].table
    assert table.sheet == "Week"
    assert table.header_row == 2
    assert len(table.rows) == 6
    with qtbot.waitSignal(window.file_shown, timeout=WAIT_MS) as blocker:
        window.file_bar.header_spin.setValue(3)
    assert blocker.args[0].table.header_row == 3
    assert blocker.args[0].table.headers[0] == "A-1001"


def test_a_broken_file_gets_a_sentence_not_a_traceback(
    window: Any, qtbot: Any, tmp_path: Path
) -> None:
    bad = tmp_path / "sales.xlsx"
    bad.write_bytes(b"PK\x03\x04 this is not a workbook")
    with qtbot.waitSignal(window.message_shown, timeout=WAIT_MS) as blocker:
        window.open_file(bad)
    message = blocker.args[0]
    assert "damaged" in message and "Traceback" not in message
    assert window.stack.currentWidget() is window.empty

"""The row state, the filters and the table model, without any widget."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from pinupload.core.model import Options
from pinupload.core.results import FAILED, PROCESSED, RowResult
from pinupload.gui.loading import check_loaded, guess_mapping
from pinupload.gui.rowfilter import FAILED as FAILED_VIEW
from pinupload.gui.rowfilter import PROBLEMS, READY, SENT, View, select_rows, sort_key
from pinupload.gui.rowmodel import ERROR_BRUSH, SEVERITY_ROLE, RowTableModel
from pinupload.gui.rowstate import RowResults, RowSet, build_state
from tests.gui.conftest import problem_rows
from tests.sheets import write_csv, write_xlsx


def checked(tmp_path: Path, rows: list[list[object]] | None = None):  # type: ignore[no-untyped-def]
    from pinupload.core.reader import Sheet

    path = write_xlsx(tmp_path / "s.xlsx", rows or problem_rows())
    table = Sheet(path).read()
    return check_loaded(table, Options())


def test_state_knows_each_row(tmp_path: Path) -> None:
    loaded = checked(tmp_path)
    state = loaded.state
    assert loaded.mapping_error is None
    assert [state.status(i)[0] for i in range(state.rows)] == [
        "Ready", "Ready", "Ready", "Not sendable", "Not sendable",
        "Ready, with a warning",
    ]  # fmt: skip
    assert state.summary.rows == 6
    assert state.summary.ready == 4
    assert state.summary.invalid == 2
    assert state.summary.warnings >= 1
    assert state.summary.match["email"] == 1.0
    assert state.summary.match["phone"] == 0.75  # three of the four ready rows
    marks = state.cell_marks(4)
    assert marks["Customer Email"][0] == "error"
    assert state.problems == loaded.state.check.problems_by_index


def test_row_sets_and_results_hold_each_row_once() -> None:
    rows = RowSet(3)
    for index in (1, 1, 5):
        rows.add(index)
    assert len(rows) == 2
    assert [i in rows for i in (-1, 0, 1, 5, 7)] == [False, False, True, True, False]
    results = RowResults(2)
    results.add(RowResult(0, 2, "e", PROCESSED))
    results.add(RowResult(4, 6, "f", FAILED))
    results.add(RowResult(4, 6, "f", PROCESSED))
    assert len(results) == 2
    assert [r and r.status for r in map(results.get, (0, 1, 4, 9))] == [
        PROCESSED, None, PROCESSED, None,
    ]  # fmt: skip
    old = results.clear()
    assert len(results) == 0 and results.get(0) is None
    assert old[0] is not None and old[0].event_id == "e"


def test_filters_search_and_sort(tmp_path: Path) -> None:
    state = checked(tmp_path).state
    assert select_rows(state, View(PROBLEMS)) == [3, 4, 5]
    assert select_rows(state, View(READY)) == [0, 1, 2, 5]
    assert select_rows(state, View(search="a-1002")) == [1]
    assert select_rows(state, View(search="NOT SENDABLE")) == [3, 4]
    order = select_rows(state, View(sort_column=2, descending=True))
    assert order == [5, 4, 3, 2, 1, 0]
    state.add_results(
        [RowResult(0, 2, "e", PROCESSED), RowResult(1, 3, "f", FAILED)], False
    )
    assert select_rows(state, View(SENT)) == [0]
    assert select_rows(state, View(FAILED_VIEW)) == [1]
    assert 1 in select_rows(state, View(PROBLEMS))


def test_sort_keys_order_numbers_dates_text_blanks() -> None:
    values = ["b", None, 10, "2", "A", 3.5]
    assert sorted(values, key=sort_key) == ["2", 3.5, 10, "A", "b", None]


def test_table_model_shows_cells_status_and_marks(tmp_path: Path) -> None:
    loaded = checked(tmp_path)
    model = RowTableModel()
    model.set_state(loaded.state)
    headers = loaded.table.headers
    assert model.rowCount() == 6
    assert model.columnCount() == len(headers) + 2
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Status"
    assert model.headerData(2, Qt.Orientation.Horizontal) == headers[0]
    assert model.headerData(0, Qt.Orientation.Vertical) == "2"
    email = headers.index("Customer Email") + 2
    bad = model.index(4, email)
    assert model.data(bad) == "not an email"
    assert model.data(bad, Qt.ItemDataRole.BackgroundRole) == ERROR_BRUSH
    assert "email" in model.data(bad, Qt.ItemDataRole.ToolTipRole).lower()
    assert model.data(model.index(0, email), Qt.ItemDataRole.BackgroundRole) is None
    status = model.index(3, 0)
    assert model.data(status) == "Not sendable"
    assert model.data(status, SEVERITY_ROLE) == "error"
    assert "time of the sale" in model.data(status, Qt.ItemDataRole.ToolTipRole)
    assert [model.view_row(i) for i in (0, 5)] == [0, 5]
    model.set_order([5, 0])
    assert model.rowCount() == 2
    assert [model.view_row(i) for i in (0, 5, 3)] == [1, 0, None]
    assert model.data(model.index(0, 2)) == "A-2003"
    left = [
        model.data(model.index(4, c), Qt.ItemDataRole.BackgroundRole) for c in (2, 3)
    ]
    assert left == [None, None]  # only the bad cell and the Status are coloured


def test_unmappable_file_is_shown_unchecked(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "x.csv", [["Who", "Amount"], ["a@b.co", "5"]])
    from pinupload.core.reader import Sheet

    table = Sheet(path).read()
    loaded = check_loaded(table, Options())
    assert loaded.state.check is None
    assert "time of the sale" in (loaded.mapping_error or "")
    assert loaded.state.status(0) == ("Not checked", "")
    assert build_state(table, None).summary.rows == 1
    assert guess_mapping(table.headers, Options()) == {"value": "Amount"}

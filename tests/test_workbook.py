"""Workbooks: .xlsx streamed from any row, other formats read whole, the same rows."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from pinupload.core import workbook
from pinupload.core.model import SpreadsheetError
from pinupload.core.reader import Sheet, _row_points
from pinupload.core.workbook import LoadedBook, StreamedBook, open_book
from tests.sheets import SALES_HEADER, sales_rows, write_xlsx


def _sparse(path: Path) -> Path:
    """A sheet with rows 2, 3 and 5 missing from the file and a gap in row 4."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["A1"], sheet["B1"] = "Email", "Total"
    sheet["A4"], sheet["C4"] = "a@b.com", 7
    sheet["B6"] = "last"
    book.save(path)
    return path


def test_streamed_rows_keep_their_numbers_from_any_start(tmp_path: Path) -> None:
    book = open_book(_sparse(tmp_path / "s.xlsx"), None)
    assert isinstance(book, StreamedBook)
    rows = [list(r) for r in book.rows()]
    assert len(rows) == 6
    assert rows[3][0] == "a@b.com" and rows[3][2] == 7 and rows[5][1] == "last"
    assert not any(rows[1]) and not any(rows[4])
    from_four = [list(r) for r in book.rows(4)]
    assert from_four == rows[3:]
    # The row at `stop` comes too, so a reader knows the sheet goes on.
    assert [list(r) for r in book.rows(2, 4)] == rows[1:4]


def test_stream_and_whole_read_give_the_same_cells(tmp_path: Path) -> None:
    moments = (
        dt.date(2026, 11, 30), dt.datetime(2026, 11, 30, 14, 5), dt.time(14, 5),
        dt.timedelta(hours=5), True, 12.5, "text",
    )  # fmt: skip
    path = write_xlsx(tmp_path / "s.xlsx", [SALES_HEADER, *sales_rows(30), moments])
    streamed = [list(r) for r in StreamedBook(path, None).rows()]
    whole = [list(r) for r in LoadedBook(path, None).rows()]
    # python-calamine gives whole numbers as floats, the stream as ints.
    assert streamed == whole
    assert [type(c) for c in streamed[1]][:3] == [type(c) for c in whole[1]][:3]
    assert [type(c) for c in streamed[-1]] == [type(c) for c in moments]


def test_a_forked_worker_reads_its_own_piece(tmp_path: Path) -> None:
    rows = [SALES_HEADER, *sales_rows(200)]
    path = write_xlsx(tmp_path / "s.xlsx", rows)
    sheet = Sheet(path)
    pieces = sheet.split(3)
    assert len(pieces) == 3 and pieces[0][0] == 0 and pieces[-1][1] is None
    # Later pieces pass over more rows before theirs, so they are shorter.
    starts = [p[0] for p in pieces[1:]] + [len(rows) + 1]
    sizes = [b - a for a, b in zip([2, *starts[:-1]], starts, strict=True)]
    assert sizes[0] > sizes[1] > sizes[2] > 0


def test_row_points_cover_the_sheet_once() -> None:
    assert _row_points(2, 1001, 1, 0.4) == [0]
    assert _row_points(2, 1001, 2, 0.0) == [0, 502]
    assert _row_points(2, 1001, 2, 0.4)[1] == 2 + round(1000 / 1.6)
    assert _row_points(2, 3, 4, 0.4)[-1] <= 6  # more workers than rows
    # Every piece costs the same: the model behind the points.
    skip = 0.25
    points = _row_points(2, 100_001, 3, skip)
    starts = [2, *points[1:]]
    ends = [*points[1:], 100_002]
    costs = [skip * (a - 2) + (b - a) for a, b in zip(starts, ends, strict=True)]
    assert max(costs) - min(costs) < 3, costs


@pytest.mark.parametrize("declared", [True, False])
def test_row_estimate_from_the_sheet_xml(tmp_path: Path, declared: bool) -> None:
    path = write_xlsx(tmp_path / "s.xlsx", [SALES_HEADER, *sales_rows(3000)])
    if not declared:
        _drop_dimension(path)
    estimate = Sheet(path).row_estimate(0)
    assert 2850 < estimate < 3150, estimate


def _drop_dimension(path: Path) -> None:
    with zipfile.ZipFile(path) as old:
        items = [(i, old.read(i)) for i in old.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for item, data in items:
            if item.filename.startswith("xl/worksheets/"):
                data = re.sub(rb"<dimension [^>]*/>", b"", data)
            new.writestr(item, data)


def test_damage_deep_in_the_sheet_is_one_sentence(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "s.xlsx", [SALES_HEADER, *sales_rows(400)])
    with zipfile.ZipFile(path) as old:
        items = [(i, old.read(i)) for i in old.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for item, data in items:
            if item.filename.startswith("xl/worksheets/"):
                cut = data.index(b'<row r="300"')
                data = data[:cut] + b"<row r=300><c><<broken" + data[cut:]
            new.writestr(item, data)
    sheet = Sheet(path)
    with pytest.raises(SpreadsheetError, match="damaged"):
        list(sheet.data_rows())


def test_hidden_and_empty_sheets_are_passed_over(tmp_path: Path) -> None:
    book = Workbook()
    empty = book.active
    assert empty is not None
    empty.title = "Cover"
    hidden = book.create_sheet("Old")
    hidden.append(["Email", "Date"])
    hidden.sheet_state = "hidden"
    sales = book.create_sheet("Sales")
    sales.append(["Email", "Date"])
    path = tmp_path / "b.xlsx"
    book.save(path)
    chosen = open_book(path, None)
    assert chosen.sheet == "Sales"
    assert chosen.sheet_names == ["Cover", "Old", "Sales"]
    assert Sheet(path, "Old").headers == ["Email", "Date"]
    with pytest.raises(SpreadsheetError, match='no sheet named "Nope"'):
        Sheet(path, "Nope")


def _offset_sheet(path: Path) -> Path:
    """Data from C3: an empty column A and B, and a blank header in D."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["C3"], sheet["E3"] = "Email", "Date"
    sheet["C4"], sheet["D4"], sheet["E4"] = "a@b.com", "note", 5
    book.save(path)
    return path


def test_empty_columns_on_the_left_are_left_out_both_ways(tmp_path: Path) -> None:
    path = _offset_sheet(tmp_path / "o.xlsx")
    for kind in (StreamedBook, LoadedBook):
        book = kind(path, None)
        assert book.first_column == 2, kind
        assert [list(r) for r in book.rows(3)] == [
            ["Email", "", "Date"],
            ["a@b.com", "note", 5],
        ]
    sheet = Sheet(path)
    # A blank header is named by the column the spreadsheet shows.
    assert sheet.headers == ["Email", "Column D", "Date"]
    assert [r for _n, r in sheet.data_rows()] == [["a@b.com", "note", 5]]


def test_a_wrong_declared_range_hides_no_cell(tmp_path: Path) -> None:
    path = tmp_path / "w.xlsx"
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Email", "Date"])
    sheet.append(["a@b.com", 5])
    book.save(path)
    with zipfile.ZipFile(path) as old:
        items = [(i, old.read(i)) for i in old.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for item, data in items:
            if item.filename.startswith("xl/worksheets/"):
                data = re.sub(
                    rb'<dimension ref="[^"]*"', b'<dimension ref="C1:D2"', data
                )
            new.writestr(item, data)
    assert StreamedBook(path, None).first_column == 0
    assert Sheet(path).headers == ["Email", "Date"]


def test_a_workbook_opened_ahead_is_taken_over_and_its_thread_joined(
    tmp_path: Path,
) -> None:
    path = write_xlsx(tmp_path / "s.xlsx", [SALES_HEADER, *sales_rows(20)])
    expected = [list(r) for r in StreamedBook(path, None).rows()]
    workbook.open_ahead(path)
    opening = workbook._openings[path]
    book = open_book(path, None)
    assert not opening.is_alive() and path not in workbook._openings
    assert book._book is opening.book  # type: ignore[attr-defined]
    assert [list(r) for r in book.rows()] == expected


def test_a_workbook_changed_after_opening_ahead_is_opened_again(
    tmp_path: Path,
) -> None:
    path = write_xlsx(tmp_path / "s.xlsx", [SALES_HEADER, *sales_rows(5)])
    workbook.open_ahead(path)
    workbook._openings[path].join()
    write_xlsx(path, [SALES_HEADER, *sales_rows(9)])
    book = open_book(path, None)
    assert len(list(book.rows())) == 1 + len(list(sales_rows(9)))
    # What can't be opened ahead is opened, and explained, the usual way.
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    workbook.open_ahead(broken)
    with pytest.raises(SpreadsheetError, match="damaged"):
        open_book(broken, None)


def test_books_nobody_took_are_waited_for_and_dropped_before_a_fork(
    tmp_path: Path,
) -> None:
    path = write_xlsx(tmp_path / "s.xlsx", [SALES_HEADER, *sales_rows(5)])
    workbook.open_ahead(path)
    opening = workbook._openings[path]
    workbook.finish_openings()
    assert workbook._openings == {} and not opening.is_alive()

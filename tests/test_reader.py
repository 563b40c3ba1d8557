"""Reading workbooks and delimited text: sheets, header rows, encodings, bad files."""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from pinupload.core.model import SpreadsheetError
from pinupload.core.reader import Sheet
from tests.sheets import write_csv, write_xlsx

ROWS = [
    ("Email", "Sale Date", "Total"),
    ("a@example.com", dt.datetime(2026, 11, 30, 14, 5), 12.5),
    ("b@example.com", dt.date(2026, 11, 29), 7.0),
]


def test_header_found_below_title_lines_and_rows_numbered_as_shown(
    tmp_path: Path,
) -> None:
    rows = [
        ("Store sales, November",),
        (),
        *ROWS[:2],
        (),
        ROWS[2],
        ("Total", None, 19.5),
    ]
    sheet = Sheet(write_xlsx(tmp_path / "s.xlsx", rows))
    assert sheet.header_row == 3
    assert sheet.headers == ["Email", "Sale Date", "Total"]
    data = list(sheet.data_rows())
    assert [n for n, _ in data] == [4, 6]
    cells = data[0][1]
    assert cells[1] == dt.datetime(2026, 11, 30, 14, 5)  # types kept
    assert cells[2] == 12.5
    assert any("Row 7 looks like a totals line" in n for n in sheet.notes)
    assert any("1 empty row skipped" in n for n in sheet.notes)


def test_first_sheet_with_data_is_default_and_sheet_can_be_named(
    tmp_path: Path,
) -> None:
    path = write_xlsx(tmp_path / "s.xlsx", [], title="Cover", Data=ROWS, Other=ROWS[:2])
    assert Sheet(path).sheet == "Data"
    other = Sheet(path, sheet="Other")
    assert other.sheet == "Other"
    assert len(list(other.data_rows())) == 1
    with pytest.raises(SpreadsheetError, match=r'no sheet named "Nope".*"Data"'):
        Sheet(path, sheet="Nope")


def test_header_row_override(tmp_path: Path) -> None:
    rows = [("x", "y"), *ROWS]
    sheet = Sheet(write_xlsx(tmp_path / "s.xlsx", rows), header_row=2)
    assert sheet.headers[0] == "Email"
    with pytest.raises(SpreadsheetError, match="no row 40"):
        Sheet(tmp_path / "s.xlsx", header_row=40)


def test_duplicate_and_blank_headers_get_distinct_names(tmp_path: Path) -> None:
    rows = [("Email", None, "Email", "Date"), ("a@x.com", 1, "b@x.com", "2026-01-01")]
    sheet = Sheet(write_xlsx(tmp_path / "s.xlsx", rows))
    assert sheet.headers == ["Email", "Column B", "Email (2)", "Date"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_csv_encodings_and_delimiters(
    tmp_path: Path, encoding: str, delimiter: str
) -> None:
    rows = [("Email", "City", "Total"), ("zoë@example.com", "Köln; Süd", "1.234,56"),
            ("b@example.com", "Paris", "3")]  # fmt: skip
    path = write_csv(tmp_path / "s.csv", rows, encoding, delimiter)
    sheet = Sheet(path)
    assert sheet.headers == ["Email", "City", "Total"]
    data = [cells for _n, cells in sheet.data_rows()]
    assert data[0] == ["zoë@example.com", "Köln; Süd", "1.234,56"]
    assert len(data) == 2


def test_utf16_without_bom(tmp_path: Path) -> None:
    path = tmp_path / "s.txt"
    path.write_bytes("Email\tTotal\r\na@b.com\t5\r\n".encode("utf-16-le"))
    sheet = Sheet(path)
    assert sheet.headers == ["Email", "Total"]
    assert [c for _n, c in sheet.data_rows()] == [["a@b.com", "5"]]


def test_workbook_with_wrong_extension_is_still_read(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "s.xlsx", ROWS)
    renamed = path.rename(tmp_path / "export.csv")
    assert Sheet(renamed).headers == ["Email", "Sale Date", "Total"]


def _zip_not_workbook(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    return path


def _file(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


UNUSABLE: list[tuple[Callable[[Path], Path], str]] = [
    (lambda d: d / "missing.xlsx", "does not exist"),
    (lambda d: d, "is a folder"),
    (lambda d: _zip_not_workbook(d / "bad.xlsx"), "damaged or not really"),
    (lambda d: _file(d / "e.xlsx", b"\xd0\xcf\x11\xe0" + bytes(600)), "password"),
    (lambda d: _file(d / "doc.pdf", b"%PDF-1.4"), "not a spreadsheet pinupload"),
    (lambda d: _file(d / "n.csv", b"1,2\n3,4\n"), "no header row"),
    (lambda d: _file(d / "e.csv", b""), "no header row"),
    (lambda d: _file(d / "z.csv", b"a,b\n\x00\x00,1\n"), "not a readable text"),
]


@pytest.mark.parametrize(("make", "message"), UNUSABLE)
def test_unusable_files_get_one_sentence(
    tmp_path: Path, make: Callable[[Path], Path], message: str
) -> None:
    with pytest.raises(SpreadsheetError) as info:
        sheet = Sheet(make(tmp_path))
        list(sheet.data_rows())
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_read_keeps_rows_and_numbers(tmp_path: Path) -> None:
    table = Sheet(write_xlsx(tmp_path / "s.xlsx", ROWS)).read()
    assert table.row_numbers == [2, 3]
    assert table.rows[1][0] == "b@example.com"
    assert table.sheet == "Sales" and table.sheet_names == ["Sales"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (b"Email,Total\na@b.com,5\n" * 3, "utf-8"),
        (b"Email,City\na@b.com,M\xc3\xbcnchen\n" * 3, "utf-8"),  # split anywhere
        (b"Email,City\na@b.com,M\xfcnchen\n" + b"b@c.com,Bonn\n" * 4, "cp1252"),
        (b"Email,City\na@b.com,Bonn" + b"\xc3", "cp1252"),  # left open at the end
        (b"Email,City\na@b.com,\xc3" + b"Bonn\n" * 4, "cp1252"),  # then ASCII
        (b"Email,City\na@b.com,\xc3B\xbc\n", "cp1252"),  # ASCII inside a character
    ],
)
def test_encoding_is_judged_across_buffers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: bytes, expected: str
) -> None:
    from pinupload.core import csvfile

    path = tmp_path / "e.csv"
    path.write_bytes(text)
    for size in range(1, 12):
        monkeypatch.setattr(csvfile, "_SAMPLE", size)
        monkeypatch.setattr(csvfile, "_CHUNK", size)
        assert csvfile.detect_encoding(path) == expected, size


def test_only_the_last_piece_of_a_text_file_can_end_in_a_totals_line(
    tmp_path: Path,
) -> None:
    from pinupload.core.reader import DataScan

    lines = ["Phone,Store,Total", "4155550100,North,5", "4155550101,Total,7"]
    lines += ["4155550102,South,9", "Total,,21"]
    path = tmp_path / "t.csv"
    path.write_text("\n".join(lines) + "\n")
    sheet = Sheet(path)
    middle = len("\n".join(lines[:3])) + 1  # right after the row whose store is "Total"
    first, rest = DataScan(), DataScan()
    head = [n for n, _ in sheet.scan_piece(first, (0, middle))]
    tail = [n for n, _ in sheet.scan_piece(rest, (middle, None))]
    assert head == [2, 3] and first.totals_row is None
    assert tail == [1] and rest.totals_row == 2  # numbered within the piece

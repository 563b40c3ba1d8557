"""Reports keep every row with its outcome, and never let a cell run as a formula."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from pinupload.core.check import check_file
from pinupload.core.model import Options
from pinupload.core.report import write_report
from pinupload.core.results import RowResult
from tests.sheets import sales_rows, write_csv

DANGEROUS = ['=HYPERLINK("http://x")', "+1+2", "-3+4", "@SUM(A1)"]


def checked_with_formulas(tmp_path: Path) -> Any:
    rows: list[Any] = [
        [*r, "Note"] if i == 0 else [*r, ""] for i, r in enumerate(sales_rows(5))
    ]
    for i, text in enumerate(DANGEROUS, start=1):
        rows[i][-1] = text
    path = write_csv(tmp_path / "in.csv", rows)  # text cells, kept as typed
    return check_file(path, Options())


def outcomes(checked: Any) -> list[RowResult]:
    return [
        RowResult(0, 2, checked.event_ids[0], "processed", None, "=warn", "rid-1"),
        RowResult(
            1, 3, checked.event_ids[1], "failed", "Given timestamp is in the past"
        ),
    ]


def test_xlsx_report(tmp_path: Path) -> None:
    checked = checked_with_formulas(tmp_path)
    out = write_report(tmp_path / "report.xlsx", checked, outcomes(checked))
    sheet = load_workbook(out)["Report"]
    rows = list(sheet.iter_rows())
    assert [c.value for c in rows[0]][-6:] == [
        "Note",
        "Row",
        "Status",
        "Pinterest error",
        "Pinterest warning",
        "Request id",
    ]
    assert len(rows) == 6
    assert [c.value for c in rows[1]][-5:] == [2, "processed", None, "=warn", "rid-1"]
    assert rows[2][-3].value == "Given timestamp is in the past"
    assert rows[3][-4].value == "not sent"
    notes = [r[-6] for r in rows[1:5]]
    assert [c.value for c in notes] == DANGEROUS
    assert all(c.data_type == "s" for c in notes)  # text, not formulas
    assert rows[1][-2].data_type == "s"


def test_csv_report(tmp_path: Path) -> None:
    checked = checked_with_formulas(tmp_path)
    out = write_report(tmp_path / "report.csv", checked, outcomes(checked))
    rows = list(csv.reader(out.open(encoding="utf-8-sig")))
    assert rows[0][-5:] == list(
        ("Row", "Status", "Pinterest error", "Pinterest warning", "Request id")
    )
    assert [r[-6] for r in rows[1:5]] == ["'" + d for d in DANGEROUS]
    assert rows[1][-2] == "'=warn"
    assert rows[1][0] == "A-1001" and rows[5][-4] == "not sent"
    for row in rows:
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row)


def test_other_formats_are_refused(tmp_path: Path) -> None:
    checked = checked_with_formulas(tmp_path)
    with pytest.raises(ValueError, match=r"xlsx or a \.csv"):
        write_report(tmp_path / "report.pdf", checked, [])

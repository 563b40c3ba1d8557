"""The run report: every row with its cells and what Pinterest said, as xlsx or csv."""

from __future__ import annotations

import csv
import datetime as dt
import logging
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from pinupload.core.results import RowResult

if TYPE_CHECKING:
    from pinupload.core.upload import Sendable

logger = logging.getLogger(__name__)

EXTRA = ("Row", "Status", "Pinterest error", "Pinterest warning", "Request id")
NOT_SENT = "not sent"
# What a spreadsheet may take for the start of a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def write_report(path: Path, checked: Sendable, results: Iterable[RowResult]) -> Path:
    """Write the report to `path` (.xlsx or .csv) and return the path.

    Rows without a result (the run stopped first) are marked "not sent". Raises
    ValueError for another suffix and OSError when the file cannot be written.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise ValueError(f"{path.name}: a report is an .xlsx or a .csv file.")
    rows = _rows(checked, {r.index: r for r in results})
    header = [*checked.table.headers, *EXTRA]
    if suffix == ".xlsx":
        _write_xlsx(path, header, rows)
    else:
        _write_csv(path, header, rows)
    logger.info("Report written: %s", path.name)
    return path


def _rows(checked: Sendable, by_index: dict[int, RowResult]) -> Iterator[list[Any]]:
    width = len(checked.table.headers)
    for index, cells in enumerate(checked.table.rows):
        padded = [*cells[:width], *[None] * (width - len(cells))]
        result = by_index.get(index)
        if result is None:
            extra = [checked.row_number(index), NOT_SENT, None, None, None]
        else:
            extra = [
                result.row,
                result.status,
                result.error_message,
                result.warning_message,
                result.request_id,
            ]
        yield padded + extra


def _write_xlsx(path: Path, header: Sequence[str], rows: Iterable[list[Any]]) -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Report")
    sheet.append([_xlsx_cell(sheet, h) for h in header])
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    book.save(path)


def _xlsx_cell(sheet: Any, value: Any) -> Any:
    if not isinstance(value, str):
        return value
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
    cell.data_type = "s"  # openpyxl would store "=..." as a formula
    return cell


def _write_csv(path: Path, header: Sequence[str], rows: Iterable[list[Any]]) -> None:
    # utf-8-sig: Excel reads the file as UTF-8 only with the mark
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([_csv_cell(h) for h in header])
        for row in rows:
            writer.writerow([_csv_cell(value) for value in row])


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return (
            value.isoformat(sep=" ") if isinstance(value, dt.datetime) else str(value)
        )
    if not isinstance(value, str):
        return str(value)
    # a leading apostrophe makes the cell plain text to every spreadsheet
    return "'" + value if value.startswith(FORMULA_STARTS) else value

"""Real spreadsheets for tests: xlsx written by openpyxl, delimited text by hand."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook

Row = Sequence[object]


def write_xlsx(
    path: Path, rows: Sequence[Row], title: str = "Sales", **sheets: Sequence[Row]
) -> Path:
    """Write `rows` to the first sheet (and any named extra sheets) of an xlsx."""
    book = Workbook()
    first = book.active
    assert first is not None
    first.title = title
    for row in rows:
        first.append(list(row))
    for name, extra in sheets.items():
        sheet = book.create_sheet(name)
        for row in extra:
            sheet.append(list(row))
    book.save(path)
    return path


def write_csv(
    path: Path, rows: Sequence[Row], encoding: str = "utf-8", delimiter: str = ","
) -> Path:
    """Write `rows` as delimited text in `encoding`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if c is None else c for c in row])
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def recent(days: float = 1.0, hour: int = 14) -> dt.datetime:
    """Return a naive local time `days` ago at `hour`, safely in the past."""
    day = dt.date.today() - dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour, 5))


SALES_HEADER = (
    "Order #",
    "Customer Email",
    "Phone Number",
    "Sale Date",
    "Order Total",
    "Currency",
    "Qty",
)


def sales_rows(n: int = 3, start: int = 1001) -> list[Row]:
    """Return the header and `n` plausible store sales from yesterday."""
    rows: list[Row] = [SALES_HEADER]
    when = recent(1)
    for i in range(n):
        rows.append(
            (
                f"A-{start + i}",
                f" Customer.{start + i}@Example.COM ",
                f"(415) 555-{1000 + i:04d}",
                when,
                f"${10 + i},50",
                "USD",
                1 + i % 3,
            )
        )
    return rows

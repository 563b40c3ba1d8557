"""A template spreadsheet a user can fill in: the columns pinupload reads best."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

HEADERS = (
    "Order ID", "Sale Date", "Email", "Phone", "First Name", "Last Name", "City",
    "State", "ZIP", "Country", "Order Total", "Currency", "Qty", "Product IDs",
)  # fmt: skip

_ROWS = (
    ("A-10001", "alex.morgan@example.com", "(415) 555-0132", "Alex", "Morgan",
     "San Francisco", "CA", "94103", "US", 129.90, "USD", 2, "SKU-1001,SKU-2040"),
    ("A-10002", "jamie.lee@example.com", "+1 212 555 0199", "Jamie", "Lee",
     "New York", "NY", "10001", "US", 54.25, "USD", 1, "SKU-3310"),
    ("A-10003", "sam.taylor@example.com", "", "Sam", "Taylor", "Boston", "MA",
     "02134", "US", 310.00, "USD", 4, "SKU-1001"),
)  # fmt: skip

_HOW_TO = (
    "One row per sale. Keep the header row; the order of the columns does not matter.",
    "Each sale needs the Sale Date and an Email (or a mobile ad id, or IP address "
    "and user agent).",
    "Order ID makes each sale unique, so it is never sent twice: always fill it in.",
    "Emails, phones, names and addresses are hashed on this computer; only the "
    "hashes are sent.",
    "Phone numbers work best with their country code (+1 415 555 0132).",
    "Pinterest may refuse sales older than 7 days: send them soon after they happen.",
)


def write_template(path: Path, today: dt.date | None = None) -> Path:
    """Write the template workbook to `path` and return it."""
    today = today or dt.date.today()
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Sales"
    sheet.append(HEADERS)
    bold = Font(bold=True, color="FFFFFF")
    fill = PatternFill("solid", fgColor="E60023")
    for cell in sheet[1]:
        cell.font, cell.fill = bold, fill
    for offset, row in enumerate(_ROWS):
        when = dt.datetime.combine(
            today - dt.timedelta(days=1 + offset), dt.time(14, 5)
        )
        sheet.append((row[0], when, *row[1:]))
        sheet.cell(row=sheet.max_row, column=2).number_format = "yyyy-mm-dd hh:mm"
        sheet.cell(row=sheet.max_row, column=9).number_format = "@"
    for i, header in enumerate(HEADERS, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = max(12, len(header) + 4)
    sheet.column_dimensions["C"].width = 28
    sheet.freeze_panes = "A2"
    notes = book.create_sheet("How to fill this in")
    for line in _HOW_TO:
        notes.append((line,))
    notes.column_dimensions["A"].width = 100
    book.save(path)
    return path

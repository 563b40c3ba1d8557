"""The engine's plain data types, shared by the CLI, the sender and the window."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

ERROR = "error"
WARNING = "warning"


class SpreadsheetError(Exception):
    """A file that cannot be used at all; the message is one sentence for the user."""


class OptionError(ValueError):
    """An option (time zone, country, currency, mapping) is not usable."""


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong with one cell or row, named as the spreadsheet shows it."""

    row: int  # 1-based, header included, as the spreadsheet numbers it
    column: str | None  # the header text, None for a row-wide problem
    field: str | None  # the pinupload field name
    severity: str  # ERROR (row not sent) or WARNING
    message: str

    def as_dict(self) -> dict[str, object]:
        """Return the problem as the `check --json` contract spells it."""
        return {
            "row": self.row,
            "column": self.column,
            "field": self.field,
            "severity": self.severity,
            "message": self.message,
        }


@dataclass(slots=True)
class Options:
    """How to read a file and turn its rows into events (the CLI's flags)."""

    sheet: str | None = None
    header_row: int | None = None  # 1-based; None finds it
    mapping: dict[str, str] = field(default_factory=dict)  # field -> header override
    timezone: str | None = None  # IANA name; None is the computer's zone
    default_country: str | None = None  # ISO alpha-2
    currency: str | None = None  # ISO 4217
    event_name: str = "checkout"
    date_order: str | None = None  # "DMY", "MDY" or "YMD"; None decides per column


@dataclass(slots=True)
class Table:
    """A sheet as read: headers and data rows, with their spreadsheet row numbers."""

    path: Path
    sheet: str | None  # None for CSV
    sheet_names: list[str]
    header_row: int  # 1-based
    headers: list[str]
    rows: Sequence[Sequence[object]]  # data rows, cells keep their types
    row_numbers: Sequence[int]  # spreadsheet row number of each data row
    notes: list[str] = field(default_factory=list)  # what was left out, and why

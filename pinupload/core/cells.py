"""Turning typed spreadsheet cells into text, and the outcomes of reading one cell."""

from __future__ import annotations

import datetime as dt
import math


class CellError(ValueError):
    """The cell makes the row unsendable; the message says why and what to do."""


class CellDroppedError(ValueError):
    """The cell cannot be used and is left out of the event; the row still goes."""


def is_blank(value: object) -> bool:
    """Return True for an empty cell, whichever reader produced it."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    return isinstance(value, float) and math.isnan(value)


def cell_text(value: object) -> str:
    """Return a cell as the user would read it in the spreadsheet.

    Readers hand whole numbers back as floats (7.0) and can carry binary noise
    (85.51000000000001); both are shown as typed.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return ""
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return format(value, ".15g")
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    return str(value)


def quote(value: object, limit: int = 40) -> str:
    """Return the cell's text in quotes for a message, shortened if long."""
    text = cell_text(value).strip()
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f'"{text}"'

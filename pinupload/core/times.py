"""Reading times from cells: date cells, ISO text, D/M/Y text and Unix time."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pinupload.core.cells import CellError, cell_text, is_blank, quote

ORDERS = ("DMY", "MDY", "YMD")

_DMY_TEXT = re.compile(
    r"(\d{1,4})([/.\-])(\d{1,2})\2(\d{1,4})"
    r"(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*([ap])?\.?m?\.?)?",
    re.IGNORECASE,
)
_ISO_START = re.compile(r"\d{4}-\d{2}-\d{2}")
_NOON = dt.time(12, 0)


class TimezoneError(ValueError):
    """The time zone name is not an IANA zone."""


def zone(name: str | None) -> dt.tzinfo | None:
    """Return the zone for `name`, or None for the computer's own zone."""
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise TimezoneError(
            f'"{name}" is not a time zone; use a name such as America/New_York'
        ) from None


def _split(text: str) -> tuple[int, int, int, str] | None:
    """Return the three date numbers and the separator of a D/M/Y-like text."""
    m = _DMY_TEXT.fullmatch(text.strip())
    if not m or _ISO_START.fullmatch(text.strip()[:10]):
        return None
    return int(m.group(1)), int(m.group(3)), int(m.group(4)), m.group(2)


def decide_order(
    values: Iterable[object], forced: str | None
) -> tuple[str, str | None]:
    """Return (order, note) for a column's text dates; the note explains a guess.

    A day over 12 settles the order for the whole column; without one the order
    is `forced`, else what the separator suggests (dots are day-first).
    """
    if forced:
        return forced, None
    day_first = month_first = year_first = False
    dotted = slashed = False
    for value in values:
        if not isinstance(value, str):
            continue
        parts = _split(value)
        if parts is None:
            continue
        a, b, _c, sep = parts
        if a > 31:
            year_first = True
        elif a > 12:
            day_first = True
        elif b > 12:
            month_first = True
        dotted |= sep == "."
        slashed |= sep != "."
    if year_first:
        return "YMD", None
    if day_first and not month_first:
        return "DMY", None
    if month_first and not day_first:
        return "MDY", None
    if day_first and month_first:
        return "MDY", "mixes day-first and month-first dates"
    if not (dotted or slashed):
        return "MDY", None
    order = "DMY" if dotted and not slashed else "MDY"
    words = "day/month" if order == "DMY" else "month/day"
    other = "MDY" if order == "DMY" else "DMY"
    return order, (
        f"no day over 12 settles whether dates are day or month first; they were "
        f"read as {words}. If that is wrong, choose date order {other}"
    )


def parse_datetime(value: object, order: str) -> tuple[dt.datetime, bool]:
    """Return (datetime, date_only) for a cell; the datetime is naive or aware.

    Raises CellError when the cell holds no readable time.
    """
    if isinstance(value, dt.datetime):
        return value, False
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, _NOON), True
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _from_unix(float(value), value), False
    text = cell_text(value).strip()
    if text.isdigit():
        return _from_unix(float(text), value), False
    if _ISO_START.match(text):
        try:
            parsed = dt.datetime.fromisoformat(text.replace(" UTC", "Z"))
        except ValueError:
            raise _unreadable(value) from None
        if len(text) == 10:
            return dt.datetime.combine(parsed.date(), _NOON), True
        return parsed, False
    return _from_parts(text, order, value)


def _from_parts(text: str, order: str, value: object) -> tuple[dt.datetime, bool]:
    m = _DMY_TEXT.fullmatch(text)
    if not m:
        raise _unreadable(value)
    a, b, c = int(m.group(1)), int(m.group(3)), int(m.group(4))
    if a > 31:
        order = "YMD"
    year, month, day = (
        (a, b, c) if order == "YMD" else ((c, b, a) if order == "DMY" else (c, a, b))
    )
    if year < 100:
        year += 2000
    hour = int(m.group(5) or 12)
    minute = int(m.group(6) or 0)
    second = int(m.group(7) or 0)
    meridiem = (m.group(8) or "").lower()
    if meridiem == "p" and hour < 12:
        hour += 12
    elif meridiem == "a" and hour == 12:
        hour = 0
    try:
        return dt.datetime(year, month, day, hour, minute, second), m.group(5) is None
    except ValueError:
        raise _unreadable(value) from None


def _from_unix(number: float, value: object) -> dt.datetime:
    if 1e12 <= number < 1e14:
        number /= 1000.0
    if not 1e9 <= number < 1e11:
        raise _unreadable(value)
    return dt.datetime.fromtimestamp(number, dt.UTC)


def _unreadable(value: object) -> CellError:
    return CellError(
        f"{quote(value)} is not a date or time pinupload can read; use a form such "
        "as 2026-11-30 14:05 or 11/30/2026"
    )


def to_unix(moment: dt.datetime, tz: dt.tzinfo | None) -> int:
    """Return Unix seconds; naive times are taken in `tz` (None: the computer's)."""
    if moment.tzinfo is None and tz is not None:
        moment = moment.replace(tzinfo=tz)
    # A naive datetime's timestamp() uses the OS's rules for the local zone,
    # daylight saving included.
    return int(moment.timestamp())


def is_blank_cell(value: object) -> bool:
    """Return True for an empty time cell."""
    return is_blank(value)

"""Reading times from cells: date cells, ISO text, D/M/Y text and Unix time."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pinupload.core.cells import CellError, cell_text, quote

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


@dataclass
class OrderEvidence:
    """What a column's D/M/Y-like texts say about their day-month order."""

    day_first: bool = False
    month_first: bool = False
    year_first: bool = False
    dotted: bool = False
    slashed: bool = False

    def add(self, a: int, b: int, sep: str) -> None:
        """Take the first two numbers and the separator of one text date."""
        if a > 31:
            self.year_first = True
        elif a > 12:
            self.day_first = True
        elif b > 12:
            self.month_first = True
        if sep == ".":
            self.dotted = True
        else:
            self.slashed = True

    def merge(self, other: OrderEvidence) -> None:
        """Add what another run of the same column saw."""
        for name in ("day_first", "month_first", "year_first", "dotted", "slashed"):
            if getattr(other, name):
                setattr(self, name, True)

    @property
    def seen(self) -> bool:
        return self.dotted or self.slashed

    def decide(self, forced: str | None) -> tuple[str, str | None]:
        """Return (order, note); the note explains a guess.

        A day over 12 settles the order for the whole column; without one the
        order is `forced`, else what the separator suggests (dots: day first).
        """
        if forced:
            return forced, None
        if self.year_first:
            return "YMD", None
        if self.day_first and not self.month_first:
            return "DMY", None
        if self.month_first and not self.day_first:
            return "MDY", None
        if self.day_first and self.month_first:
            return "MDY", "mixes day-first and month-first dates"
        if not self.seen:
            return "MDY", None
        order = "DMY" if self.dotted and not self.slashed else "MDY"
        words = "day/month" if order == "DMY" else "month/day"
        other = "MDY" if order == "DMY" else "DMY"
        return order, (
            f"no day over 12 settles whether dates are day or month first; they "
            f"were read as {words}. If that is wrong, choose date order {other}"
        )


def decide_order(
    values: Iterable[object], forced: str | None
) -> tuple[str, str | None]:
    """Return (order, note) for a column's values (see OrderEvidence.decide)."""
    evidence = OrderEvidence()
    for value in values:
        if isinstance(value, str):
            parts = _split(value)
            if parts is not None:
                evidence.add(parts[0], parts[1], parts[3])
    return evidence.decide(forced)


def parse_datetime(
    value: object, order: str, evidence: OrderEvidence | None = None
) -> tuple[dt.datetime, bool]:
    """Return (datetime, date_only) for a cell; the datetime is naive or aware.

    D/M/Y-like texts are added to `evidence`. Raises CellError when the cell
    holds no readable time.
    """
    if type(value) is str and len(value) == 19 and value[10] in " T":
        # The commonest export form, "2026-11-30 14:05:09", straight to the parser.
        try:
            return dt.datetime.fromisoformat(value), False
        except ValueError:
            pass
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
            raise unreadable(value) from None
        if len(text) == 10:
            return dt.datetime.combine(parsed.date(), _NOON), True
        return parsed, False
    return _from_parts(text, order, value, evidence)


def _from_parts(
    text: str, order: str, value: object, evidence: OrderEvidence | None
) -> tuple[dt.datetime, bool]:
    m = _DMY_TEXT.fullmatch(text)
    if not m:
        raise unreadable(value)
    a, b, c = int(m.group(1)), int(m.group(3)), int(m.group(4))
    if evidence is not None:
        evidence.add(a, b, m.group(2))
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
        raise unreadable(value) from None


def _from_unix(number: float, value: object) -> dt.datetime:
    if 1e12 <= number < 1e14:
        number /= 1000.0
    if not 1e9 <= number < 1e11:
        raise unreadable(value)
    return dt.datetime.fromtimestamp(number, dt.UTC)


def unreadable(value: object) -> CellError:
    """Return the error for a cell that holds no readable time."""
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


_NAIVE_EPOCH = dt.datetime(1970, 1, 1)


class UnixClock:
    """Unix seconds of times in one zone, the zone's offset looked up once an hour.

    Zones change their offset on the hour, so one lookup per distinct hour gives
    the same answers as asking the zone for every time, at a fraction of the
    cost. An hour that holds two offsets (Lord Howe Island moves its clocks by
    half an hour) is asked about every time.
    """

    def __init__(self, tz: dt.tzinfo | None) -> None:
        self._tz = tz
        self._offsets: dict[int, int] = {}  # by hours since 1970, wall clock
        self._mixed: set[int] = set()

    def unix(self, moment: dt.datetime) -> int:
        """Return Unix seconds; naive times are in this clock's zone."""
        if moment.tzinfo is not None:
            return int(moment.timestamp())
        since = moment - _NAIVE_EPOCH
        seconds = since.days * 86400 + since.seconds
        hour = seconds // 3600
        offset = self._offsets.get(hour)
        if offset is None:
            if hour in self._mixed:
                return to_unix(moment, self._tz)
            start = moment.replace(minute=0, second=0, microsecond=0)
            offset = to_unix(start, self._tz) - hour * 3600
            end = start.replace(minute=59, second=59)
            if to_unix(end, self._tz) - hour * 3600 - 3599 != offset:
                self._mixed.add(hour)
                return to_unix(moment, self._tz)
            self._offsets[hour] = offset
        return seconds + offset

"""Turning a spreadsheet row into a Pinterest event, or into the reasons it can't be.

Planning only: nothing here does I/O, so the sender and the window can rebuild the
same event for the same row at any time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pinupload.core import money, times
from pinupload.core.cells import CellDroppedError, CellError, cell_text, is_blank, quote
from pinupload.core.fieldrules import KNOWN_EVENT_NAMES, rules_for
from pinupload.core.model import ERROR, WARNING, Options, Problem
from pinupload.core.normalize import country_code, is_hashed, sha256_hex, text_of

OLD_AFTER_SECONDS = 7 * 24 * 3600
FUTURE_SLACK_SECONDS = 300  # clocks of tills and computers disagree a little
_CACHE_LIMIT = 50_000


class OptionError(ValueError):
    """An option (time zone, country, currency, event name) is not usable."""


@dataclass(frozen=True, slots=True)
class Explained:
    """What happened to one mapped cell, for the window's details pane."""

    field: str
    header: str
    raw: str
    normalized: str
    sent: str
    note: str


def _event_id_for(order_id: str | None, identity: str, when: int, value: str) -> str:
    # The same sale must get the same id whatever the file, sheet, row or column
    # order, because the ledger de-duplicates on it.
    if order_id:
        basis = "order\x1f" + order_id
    else:
        basis = f"sale\x1f{identity}\x1f{when}\x1f{value}"
    return "pu1_" + sha256_hex(basis)[:32]


class Converter:
    """Builds events from rows of one sheet with one mapping and one set of options."""

    def __init__(
        self,
        headers: Sequence[str],
        mapping: dict[str, str],
        options: Options,
        orders: dict[str, str] | None = None,
        now: float | None = None,
    ) -> None:
        index = {h: i for i, h in enumerate(headers)}
        self.mapping = {f: h for f, h in mapping.items() if h in index}
        self._col = {f: index[h] for f, h in self.mapping.items()}
        self._orders = orders or {}
        self._now = dt.datetime.now(dt.UTC).timestamp() if now is None else now
        try:
            self._tz = times.zone(options.timezone)
        except times.TimezoneError as exc:
            raise OptionError(str(exc)) from None
        self._country = self._check_country(options.default_country)
        self._currency = self._check_currency(options.currency)
        self._event_name = (options.event_name or "checkout").strip().lower()
        self._rules = rules_for(self._orders)
        self._ud = [
            (name, self._col[name], self._rules[name])
            for name in self._rules
            if name in self._col and name != "country"
        ]
        self._caches: dict[str, dict[Any, Any]] = {name: {} for name in self._col}

    @staticmethod
    def _check_country(code: str | None) -> str:
        if not code:
            return "us"
        found = country_code(code)
        if found is None:
            raise OptionError(f'"{code}" is not a country; use a code such as US or DE')
        return found

    @staticmethod
    def _check_currency(code: str | None) -> str | None:
        if not code:
            return None
        try:
            return money.currency(code)
        except CellError as exc:
            raise OptionError(str(exc)) from None

    # -- one row ---------------------------------------------------------------
    def convert(
        self, row: int, cells: Sequence[object]
    ) -> tuple[dict[str, Any] | None, list[Problem]]:
        """Return (event or None when the row has errors, its problems)."""
        problems: list[Problem] = []
        width = len(cells)
        col = self._col

        def cell(name: str) -> object:
            i = col.get(name)
            return cells[i] if i is not None and i < width else None

        def problem(name: str | None, severity: str, text: str) -> None:
            header = self.mapping.get(name) if name else None
            where = f'Row {row}, column "{header}"' if header else f"Row {row}"
            problems.append(Problem(row, header, name, severity, f"{where}: {text}."))

        user_data: dict[str, Any] = {}
        country = self._country
        raw_country = cell("country")
        if not is_blank(raw_country):
            out = self._user_value("country", raw_country, country)
            if out[2]:
                problem("country", out[3], out[2])
            if out[0] is not None:
                user_data["country"] = out[0]
                country = out[1] if len(out[1]) == 2 else country
        for name, i, rule in self._ud:
            raw = cells[i] if i < width else None
            if is_blank(raw):
                continue
            out = self._user_value(name, raw, country)
            if out[2]:
                problem(name, out[3], out[2])
            if out[0] is not None:
                user_data[rule.key] = out[0]

        if not (
            "em" in user_data
            or "hashed_maids" in user_data
            or ("client_ip_address" in user_data and "client_user_agent" in user_data)
        ) and not any(p.field == "email" for p in problems):
            problem(
                None,
                ERROR,
                "no email, mobile ad id, or IP address with user agent; Pinterest "
                "needs one of them to match the sale. Fill one in or leave the row "
                "out",
            )

        when = self._event_time(cell("event_time"), problem)
        event_name = self._name(cell("event_name"), problem)
        custom, order_id, value = self._custom_data(cells, width, problem)

        if any(p.severity == ERROR for p in problems) or when is None:
            return None, problems
        own_id = cell("event_id")
        if not is_blank(own_id):
            event_id = text_of(own_id)
        else:
            identity = "|".join(
                str(user_data.get(k, ""))
                for k in (
                    "em",
                    "hashed_maids",
                    "client_ip_address",
                    "client_user_agent",
                )
            )
            event_id = _event_id_for(order_id, identity, when, value)
        event: dict[str, Any] = {
            "event_name": event_name,
            "action_source": "offline",
            "event_time": when,
            "event_id": event_id,
            "user_data": user_data,
        }
        if custom:
            event["custom_data"] = custom
        return event, problems

    def _user_value(self, name: str, raw: object, country: str) -> tuple[Any, ...]:
        """Return (sent value or None, normalized, message or "", severity)."""
        rule = self._rules[name]
        key = (raw, country) if rule.needs_country else raw
        cache = self._caches[name]
        hit = cache.get(key)
        if hit is not None:
            return hit
        try:
            normalized, note = rule.rule(raw, country)
            if not normalized:
                raise CellDroppedError(
                    f"{quote(raw)} holds nothing usable; it is left out"
                )
            sent: Any = normalized
            if rule.hashed:
                sent = [normalized if is_hashed(normalized) else sha256_hex(normalized)]
            result = (sent, normalized, note or "", WARNING)
        except CellError as exc:
            result = (None, "", str(exc), ERROR)
        except CellDroppedError as exc:
            result = (None, "", str(exc), WARNING)
        if len(cache) > _CACHE_LIMIT:
            cache.clear()
        cache[key] = result
        return result

    def _event_time(self, raw: object, problem: Any) -> int | None:
        if is_blank(raw):
            problem("event_time", ERROR, "the time of the sale is missing; fill it in")
            return None
        cache = self._caches["event_time"]
        when = cache.get(raw)
        if when is None:
            try:
                moment, _ = times.parse_datetime(
                    raw, self._orders.get("event_time", "MDY")
                )
                when = times.to_unix(moment, self._tz)
            except (CellError, OverflowError, OSError) as exc:
                when = str(exc) if isinstance(exc, CellError) else "out of range"
            if len(cache) > _CACHE_LIMIT:
                cache.clear()
            cache[raw] = when
        if isinstance(when, str):
            problem("event_time", ERROR, when)
            return None
        if when > self._now + FUTURE_SLACK_SECONDS:
            problem(
                "event_time",
                ERROR,
                f"{quote(raw)} is in the future; Pinterest refuses future events. "
                "Check the date and the time zone",
            )
            return None
        age = self._now - when
        if age > OLD_AFTER_SECONDS:
            problem(
                "event_time",
                WARNING,
                f"{quote(raw)} is {int(age // 86400)} days old; Pinterest may refuse "
                "events older than 7 days",
            )
        return int(when)

    def _name(self, raw: object, problem: Any) -> str:
        if is_blank(raw):
            name = self._event_name
        else:
            name = cell_text(raw).strip().lower().replace(" ", "_")
        if name not in KNOWN_EVENT_NAMES:
            problem(
                "event_name" if not is_blank(raw) else None,
                WARNING,
                f'"{name}" is not an event name Pinterest knows; it may be labelled '
                '"Unknown". Use checkout, lead, signup, add_to_cart or custom',
            )
        return name

    def _custom_data(
        self, cells: Sequence[object], width: int, problem: Any
    ) -> tuple[dict[str, Any], str | None, str]:
        col = self._col
        custom: dict[str, Any] = {}

        def cell(name: str) -> object:
            i = col.get(name)
            return cells[i] if i is not None and i < width else None

        value = ""
        hint = None
        raw_value = cell("value")
        if not is_blank(raw_value):
            cache = self._caches["value"]
            parsed = cache.get(raw_value)
            if parsed is None:
                try:
                    parsed = money.parse_value(raw_value)
                except CellError as exc:
                    parsed = str(exc)
                cache[raw_value] = parsed
            if isinstance(parsed, str):
                problem("value", ERROR, parsed)
            else:
                value, hint = parsed
                custom["value"] = value
        currency = self._row_currency(cell("currency"), problem)
        currency = currency or self._currency or hint
        if currency:
            custom["currency"] = currency
        order_id = None
        raw_order = cell("order_id")
        if not is_blank(raw_order):
            order_id = text_of(raw_order)
            custom["order_id"] = order_id
        raw_items = cell("num_items")
        if not is_blank(raw_items):
            items = _whole_number(raw_items)
            if items is None:
                problem(
                    "num_items",
                    WARNING,
                    f"{quote(raw_items)} is not a whole number of items; it is left "
                    "out",
                )
            else:
                custom["num_items"] = items
        raw_ids = cell("content_ids")
        if not is_blank(raw_ids):
            ids = [p.strip() for p in _split_ids(text_of(raw_ids)) if p.strip()]
            if ids:
                custom["content_ids"] = ids
        for name in ("content_name", "content_category", "content_brand"):
            raw = cell(name)
            if not is_blank(raw):
                custom[name] = text_of(raw)
        return custom, order_id, value

    def _row_currency(self, raw: object, problem: Any) -> str | None:
        if is_blank(raw):
            return None
        cache = self._caches["currency"]
        code = cache.get(raw)
        if code is None:
            try:
                code = money.currency(raw)
            except CellError as exc:
                code = "!" + str(exc)
            cache[raw] = code
        if code.startswith("!"):
            problem("currency", ERROR, code[1:])
            return None
        return str(code)

    # -- for the window --------------------------------------------------------
    def explain(self, cells: Sequence[object]) -> list[Explained]:
        """Return raw, normalized and sent values of every mapped identity cell."""
        out = []
        width = len(cells)
        country = self._country
        ordered = ["country"] + [name for name, _i, _r in self._ud]
        for name in ordered:
            i = self._col.get(name)
            if i is None:
                continue
            raw = cells[i] if i < width else None
            if is_blank(raw):
                continue
            sent, normalized, message, _sev = self._user_value(name, raw, country)
            if name == "country" and sent is not None and len(normalized) == 2:
                country = normalized
            shown = sent[0] if isinstance(sent, list) else (sent or "")
            out.append(
                Explained(
                    name, self.mapping[name], cell_text(raw), normalized, shown, message
                )
            )
        return out


def _whole_number(value: object) -> int | None:
    try:
        number = float(cell_text(value).replace(",", "").strip())
    except ValueError:
        return None
    if not number.is_integer() or number < 0:
        return None
    return int(number)


def _split_ids(text: str) -> list[str]:
    for sep in (";", "|"):
        text = text.replace(sep, ",")
    return text.split(",")

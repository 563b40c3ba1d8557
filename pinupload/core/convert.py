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
from pinupload.core.cells import CellError, cell_text, quote
from pinupload.core.fieldrules import (
    EVENT,
    Fast,
    FieldRule,
    Outcome,
    evaluate,
    rules_for,
    unknown_event_name,
)
from pinupload.core.model import ERROR, WARNING, OptionError, Options, Problem
from pinupload.core.normalize import country_code, sha256_hex

OLD_AFTER_SECONDS = 7 * 24 * 3600
FUTURE_SLACK_SECONDS = 300  # clocks of tills and computers disagree a little
_CACHE_LIMIT = 50_000
_IDENTITY_KEYS = ("em", "hashed_maids", "client_ip_address", "client_user_agent")
_NO_IDENTITY = (
    "no email, mobile ad id, or IP address with user agent; Pinterest needs one of "
    "them to match the sale. Fill one in or leave the row out"
)


# column, cache, target, key, rule, needs the row's country, fast path
_Slot = tuple[int, dict[Any, Outcome] | None, int, str, FieldRule, bool, Fast | None]


@dataclass(frozen=True, slots=True)
class Explained:
    """What happened to one mapped cell, for the window's details pane."""

    field: str
    header: str
    raw: str
    normalized: str
    sent: str
    note: str


def event_id_for(order_id: str | None, identity: str, when: int, value: str) -> str:
    """Return the stable id of a sale.

    The same sale must get the same id whatever the file, sheet, row or column
    order, because the ledger de-duplicates on it.
    """
    if order_id:
        basis = "order\x1f" + order_id
    else:
        basis = f"sale\x1f{identity}\x1f{when}\x1f{value}"
    return "pu1_" + sha256_hex(basis)[:32]


class Converter:
    """Builds events from rows of one sheet with one mapping and one set of options."""

    # TODO: a 15-column row still costs 12-15 us of CPU here (94k instructions,
    # a fifth of them SHA-256), as much as streaming it from a workbook. On two
    # cores that leaves a 100,000-row workbook at 1.6-1.8x calamine's bare read
    # (target 1.5x; a million rows make 1.4-1.5x) and text files at 80-105k
    # rows/s. Column-by-column conversion measured worse (129k instructions);
    # unrolling this loop per mapping would save about 7k.

    def __init__(
        self,
        headers: Sequence[str],
        mapping: dict[str, str],
        options: Options,
        orders: dict[str, str] | None = None,
        now: float | None = None,
        sample: Sequence[Sequence[object]] = (),
    ) -> None:
        index = {h: i for i, h in enumerate(headers)}
        self.mapping = {f: h for f, h in mapping.items() if h in index}
        self._now = dt.datetime.now(dt.UTC).timestamp() if now is None else now
        try:
            tz = times.zone(options.timezone)
        except times.TimezoneError as exc:
            raise OptionError(str(exc)) from None
        self._country = _check_country(options.default_country)
        self._currency = _check_currency(options.currency)
        self._event_name = (options.event_name or "checkout").strip().lower()
        self.notes: list[str] = []
        unknown = unknown_event_name(self._event_name)
        if unknown:
            self.notes.append(f"Event name {unknown}.")
        self.orders = dict(orders or {})
        self.evidence = {
            f: times.OrderEvidence() for f in ("event_time", "date_of_birth")
        }
        self._rules = rules_for(self.orders, tz, self.evidence)
        # Plain tuples: attribute lookups in the per-row loop cost more than the work.
        self._slots: list[_Slot] = [
            (index[self.mapping[name]], {} if rule.cached else None, rule.target,
             rule.key, rule, rule.needs_country, rule.fast)
            for name, rule in self._rules.items()
            if name in self.mapping and name != "country"
        ]  # fmt: skip
        self._tune_caches(sample)
        self._country_slot: tuple[int, FieldRule, dict[Any, Outcome]] | None = (
            (index[self.mapping["country"]], self._rules["country"], {})
            if "country" in self.mapping
            else None
        )
        self._time_index = index.get(self.mapping.get("event_time", ""), -1)
        used = [slot[0] for slot in self._slots]
        if self._country_slot is not None:
            used.append(self._country_slot[0])
        self._width = max(used, default=-1) + 1  # short rows are padded to this

    def _tune_caches(self, sample: Sequence[Sequence[object]]) -> None:
        """Drop the caches of columns whose sampled values rarely repeat."""
        if len(sample) < 100:
            return
        for k, (i, cache, target, key, rule, by_country, fast) in enumerate(
            self._slots
        ):
            if cache is None:
                continue
            distinct = len({row[i] for row in sample if i < len(row)})
            if distinct > len(sample) // 2:
                self._slots[k] = (i, None, target, key, rule, by_country, fast)

    # -- one row ---------------------------------------------------------------
    def convert(
        self, row: int, cells: Sequence[object]
    ) -> tuple[dict[str, Any] | None, list[Problem]]:
        """Return (event or None when the row has errors, its problems)."""
        problems: list[Problem] = []
        user_data: dict[str, Any] = {}
        custom: dict[str, Any] = {}
        event: dict[str, Any] = {}
        targets = (user_data, custom, event)
        if len(cells) < self._width:
            cells = (*cells, *(None,) * (self._width - len(cells)))
        country = self._country
        failed = False
        if self._country_slot is not None:
            i, rule, known = self._country_slot
            raw = cells[i]
            if raw is not None and raw != "":
                outcome = known.get(raw)
                if outcome is None:
                    outcome = known[raw] = evaluate(rule, raw, country)
                if outcome[2]:
                    problems.append(
                        self._problem(row, "country", outcome[3], outcome[2])
                    )
                if outcome[0] is not None:
                    user_data["country"] = outcome[0]
                    if len(outcome[1]) == 2:
                        country = outcome[1]
        for i, cache, target, key, rule, by_country, fast in self._slots:
            raw = cells[i]
            if raw is None or raw == "":
                continue
            if cache is None:
                outcome = (fast and fast(raw, country)) or evaluate(rule, raw, country)
            else:
                cache_key = (raw, country) if by_country else raw
                outcome = cache.get(cache_key)
                if outcome is None:
                    if len(cache) >= _CACHE_LIMIT:
                        cache.clear()
                    outcome = cache[cache_key] = evaluate(rule, raw, country)
            if outcome[2]:
                problems.append(self._problem(row, rule.name, outcome[3], outcome[2]))
                if outcome[3] == ERROR:
                    failed = True
            if outcome[0] is not None:
                targets[target][key] = outcome[0]
        if not (
            "em" in user_data
            or "hashed_maids" in user_data
            or ("client_ip_address" in user_data and "client_user_agent" in user_data)
        ):
            if not any(p.field == "email" for p in problems):
                problems.append(self._problem(row, None, ERROR, _NO_IDENTITY))
            failed = True
        when = self._check_time(row, cells, event, problems)
        if failed or when is None:
            return None, problems
        return self._assemble(user_data, custom, event, when), problems

    def _assemble(
        self,
        user_data: dict[str, Any],
        custom: dict[str, Any],
        event: dict[str, Any],
        when: int,
    ) -> dict[str, Any]:
        value = ""
        if "value" in custom:
            value, hint = custom["value"]
            custom["value"] = value
            if "currency" not in custom and (self._currency or hint):
                custom["currency"] = self._currency or hint
        elif self._currency and "currency" not in custom:
            custom["currency"] = self._currency
        event_id = event.get("event_id")
        if not event_id:
            order_id = custom.get("order_id")
            identity = (
                ""
                if order_id
                else "|".join(str(user_data.get(k, "")) for k in _IDENTITY_KEYS)
            )
            event_id = event_id_for(order_id, identity, when, value)
        out: dict[str, Any] = {
            "event_name": event.get("event_name") or self._event_name,
            "action_source": "offline",
            "event_time": when,
            "event_id": event_id,
            "user_data": user_data,
        }
        if custom:
            out["custom_data"] = custom
        return out

    def _check_time(
        self,
        row: int,
        cells: Sequence[object],
        event: dict[str, Any],
        problems: list[Problem],
    ) -> int | None:
        when = event.get("event_time")
        if when is None:
            if not any(p.field == "event_time" for p in problems):
                problems.append(
                    self._problem(
                        row,
                        "event_time",
                        ERROR,
                        "the time of the sale is missing; fill it in",
                    )
                )
            return None
        i = self._time_index
        raw = cells[i] if 0 <= i < len(cells) else None
        if when > self._now + FUTURE_SLACK_SECONDS:
            message = (
                f"{quote(raw)} is in the future; Pinterest refuses future events. "
                "Check the date and the time zone"
            )
            problems.append(self._problem(row, "event_time", ERROR, message))
            return None
        age = self._now - when
        if age > OLD_AFTER_SECONDS:
            message = (
                f"{quote(raw)} is {int(age // 86400)} days old; Pinterest may refuse "
                "events older than 7 days"
            )
            problems.append(self._problem(row, "event_time", WARNING, message))
        return int(when)

    def _problem(self, row: int, name: str | None, severity: str, text: str) -> Problem:
        header = self.mapping.get(name) if name else None
        where = f'Row {row}, column "{header}"' if header else f"Row {row}"
        return Problem(row, header, name, severity, f"{where}: {text}.")

    # -- for the window --------------------------------------------------------
    def explain(self, cells: Sequence[object]) -> list[Explained]:
        """Return raw, normalized and sent values of every mapped identity cell."""
        out = []
        width = len(cells)
        country = self._country
        slots = [(slot[0], slot[4]) for slot in self._slots]
        if self._country_slot is not None:
            slots.insert(0, self._country_slot[:2])
        for i, rule in slots:
            raw = cells[i] if i < width else None
            if rule.target == EVENT or raw is None or raw == "":
                continue
            value, normalized, message, _severity = evaluate(rule, raw, country)
            if rule.name == "country" and len(normalized) == 2:
                country = normalized
            if rule.name == "value" and value is not None:
                normalized = value[0]
            elif not normalized and value is not None:
                normalized = cell_text(value)
            sent = value[0] if rule.hashed and value else normalized
            out.append(
                Explained(
                    rule.name, self.mapping[rule.name], cell_text(raw), normalized,
                    str(sent) if value is not None else "", message,
                )
            )  # fmt: skip
        return out


def _check_country(code: str | None) -> str:
    if not code:
        return "us"
    found = country_code(code)
    if found is None:
        raise OptionError(f'"{code}" is not a country; use a code such as US or DE')
    return found


def _check_currency(code: str | None) -> str | None:
    if not code:
        return None
    try:
        return money.currency(code)
    except CellError as exc:
        raise OptionError(str(exc)) from None

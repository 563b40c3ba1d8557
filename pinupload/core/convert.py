"""Turning a spreadsheet row into a Pinterest event, or into the reasons it can't be.

Planning only: nothing here does I/O, so the sender and the window can rebuild the
same event for the same row at any time.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import linecache
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from types import CodeType
from typing import Any

from pinupload.core import money, times
from pinupload.core.cells import CellError, cell_text, quote
from pinupload.core.fieldrules import (
    EVENT,
    FieldRule,
    Outcome,
    evaluate,
    rules_for,
    unknown_event_name,
)
from pinupload.core.model import ERROR, WARNING, OptionError, Options, Problem
from pinupload.core.normalize import country_code

_sha256 = hashlib.sha256
OLD_AFTER_SECONDS = 7 * 24 * 3600
FUTURE_SLACK_SECONDS = 300  # clocks of tills and computers disagree a little
_CACHE_LIMIT = 50_000
_IDENTITY_KEYS = ("em", "hashed_maids", "client_ip_address", "client_user_agent")
_NO_IDENTITY = (
    "no email, mobile ad id, or IP address with user agent; Pinterest needs one of "
    "them to match the sale. Fill one in or leave the row out"
)


RowFunction = Callable[
    [int, Sequence[object]], tuple[dict[str, Any] | None, list[Problem]]
]
_TARGET_NAMES = ("user_data", "custom", "event")  # by FieldRule.target


@dataclass(slots=True)
class _Column:
    """One mapped column (the country's aside) and what its cells gave before."""

    index: int
    rule: FieldRule
    # Values of cells seen before that gave one without a message, by cell (and
    # by the row's country where the rule depends on it); None for columns of
    # mostly distinct values, where caching gains nothing.
    clean: dict[Any, Any] | None
    # What cells with a message gave, told again on every row they are in.
    noted: dict[Any, Outcome] = field(default_factory=dict)


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
    # sha256_hex without its call: this runs for every row (0.2 us of ~8).
    return "pu1_" + _sha256(basis.encode()).hexdigest()[:32]


class Converter:
    """Builds events from rows of one sheet with one mapping and one set of options."""

    convert: RowFunction
    """Return (event or None when the row has errors, its problems) for one row.

    Compiled for this mapping when the converter is made (see _compile).
    """

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
        self._columns = [
            _Column(index[self.mapping[name]], rule, {} if rule.cached else None)
            for name, rule in self._rules.items()
            if name in self.mapping and name != "country"
        ]
        self._tune_caches(sample)
        self._country_column = (
            _Column(index[self.mapping["country"]], self._rules["country"], {})
            if "country" in self.mapping
            else None
        )
        self._time_index = index.get(self.mapping.get("event_time", ""), -1)
        self.convert = self._compile()

    def _tune_caches(self, sample: Sequence[Sequence[object]]) -> None:
        """Drop the caches of columns whose sampled values rarely repeat."""
        if len(sample) < 100:
            return
        for column in self._columns:
            i = column.index
            distinct = len({row[i] for row in sample if i < len(row)})
            if distinct > len(sample) // 2:
                column.clean = None

    # -- one row ---------------------------------------------------------------
    def _compile(self) -> RowFunction:
        """Return the row function of this mapping, written out column by column.

        A loop over the columns paid more for reading its per-column settings
        than for the work (a fifth of the time of a 15-column row, measured), so
        each column's settings are written into the code as constants. Only
        column numbers, our own names and Pinterest's keys go into the source,
        never a user's text. The source is registered with linecache so that a
        traceback shows its lines.
        """
        names: dict[str, Any] = {
            "general": self._general,
            "country_of": self._country_of,
            "no_identity": self._no_identity,
            "check_time": self._check_time,
            "assemble": self._assemble,
            "default_country": self._country,
        }
        columns = [c for c in (self._country_column, *self._columns) if c is not None]
        width = max((c.index for c in columns), default=-1) + 1
        lines = [
            "def convert(row, cells):",
            "    problems = []",
            "    user_data = {}",
            "    custom = {}",
            "    event = {}",
            "    failed = False",
            f"    if len(cells) < {width}:",
            f"        cells = (*cells, *(None,) * ({width} - len(cells)))",
            "    country = default_country",
        ]
        if self._country_column is not None:
            names["countries"] = self._country_column.clean
            lines += [
                f"    raw = cells[{self._country_column.index}]",
                "    known = countries.get(raw)",
                "    if known is not None:",
                "        user_data['country'], country = known",
                "    elif raw is not None and raw != '':",
                "        country = country_of(row, raw, user_data, problems)",
            ]
        for k, column in enumerate(self._columns):
            rule = column.rule
            target = _TARGET_NAMES[rule.target]
            names[f"column_{k}"] = column
            lines.append(f"    raw = cells[{column.index}]")
            if column.clean is not None:
                names[f"clean_{k}"] = column.clean
                key = "(raw, country)" if rule.needs_country else "raw"
                lines.append(f"    value = clean_{k}.get({key})")
            elif rule.fast is not None:
                names[f"fast_{k}"] = rule.fast
                lines.append(f"    value = fast_{k}(raw, country)")
            else:
                lines.append("    value = None")
            lines += [
                "    if value is not None:",
                f"        {target}[{rule.key!r}] = value",
                "    elif raw is not None and raw != '':",
                f"        if general(column_{k}, row, raw, country, {target},"
                " problems):",
                "            failed = True",
            ]
        identity = " or ".join(self._identity_tests()) or "False"
        lines += [
            f"    if not ({identity}):",
            "        failed = no_identity(row, problems)",
            "    when = check_time(row, cells, event, problems)",
            "    if failed or when is None:",
            "        return None, problems",
            "    return assemble(user_data, custom, event, when), problems",
        ]
        source = "\n".join(lines) + "\n"
        code = _compiled(source)
        # Again each time, in case linecache was cleared since.
        linecache.cache[code.co_filename] = (
            len(source),
            None,
            source.splitlines(True),
            code.co_filename,
        )
        exec(code, names)
        return names["convert"]

    def _identity_tests(self) -> list[str]:
        """Return the tests, in source, for an identifier Pinterest accepts."""
        mapped = set(self.mapping)
        tests = []
        if "email" in mapped:
            tests.append("'em' in user_data")
        if "mobile_ad_id" in mapped:
            tests.append("'hashed_maids' in user_data")
        if {"ip_address", "user_agent"} <= mapped:
            tests.append(
                "('client_ip_address' in user_data"
                " and 'client_user_agent' in user_data)"
            )
        return tests

    def _general(
        self,
        column: _Column,
        row: int,
        raw: object,
        country: str,
        target: dict[str, Any],
        problems: list[Problem],
    ) -> bool:
        """Take one cell the shortcuts did not answer; return whether the row fails."""
        rule = column.rule
        if column.clean is None:  # mostly distinct values: nothing to remember
            outcome = evaluate(rule, raw, country)
        else:
            key = (raw, country) if rule.needs_country else raw
            outcome = column.noted.get(key) or evaluate(rule, raw, country)
            if outcome[2]:
                _remember(column.noted, key, outcome)
            elif outcome[0] is not None:
                _remember(column.clean, key, outcome[0])
        value, _normalized, message, severity = outcome
        if value is not None:
            target[rule.key] = value
        if not message:
            return False
        problems.append(self._problem(row, rule.name, severity, message))
        return severity == ERROR

    def _country_of(
        self, row: int, raw: object, user_data: dict[str, Any], problems: list[Problem]
    ) -> str:
        """Take a country cell not seen before; return the row's country code."""
        column = self._country_column
        assert column is not None and column.clean is not None
        outcome = column.noted.get(raw) or evaluate(column.rule, raw, self._country)
        value, normalized, message, severity = outcome
        country = normalized if len(normalized) == 2 else self._country
        if message:
            _remember(column.noted, raw, outcome)
            problems.append(self._problem(row, "country", severity, message))
        if value is None:
            return self._country
        user_data["country"] = value
        if not message:
            _remember(column.clean, raw, (value, country))
        return country

    def _no_identity(self, row: int, problems: list[Problem]) -> bool:
        if not any(p.field == "email" for p in problems):
            problems.append(self._problem(row, None, ERROR, _NO_IDENTITY))
        return True

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
        columns = [(c.index, c.rule) for c in self._columns]
        if self._country_column is not None:
            columns.insert(0, (self._country_column.index, self._country_column.rule))
        for i, rule in columns:
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


@functools.lru_cache(maxsize=128)
def _compiled(source: str) -> CodeType:
    """Return the code of a row function's source, compiled once.

    Its name comes from the source's digest, so converters of the same mapping
    share one entry in linecache instead of adding one each (a window makes a
    converter at every change of the mapping).
    """
    return compile(source, _source_name(source), "exec")


def _source_name(source: str) -> str:
    return f"<pinupload row converter {_sha256(source.encode()).hexdigest()[:12]}>"


def _remember(cache: dict[Any, Any], key: object, value: object) -> None:
    if len(cache) >= _CACHE_LIMIT:
        cache.clear()
    cache[key] = value


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

"""Checking a whole file: read, map, convert each row, find repeats, write payloads."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import orjson

from pinupload.core import times
from pinupload.core.convert import Converter, OptionError
from pinupload.core.fields import FIELD_NAMES, auto_map, header_key
from pinupload.core.model import ERROR, Options, Problem, Table
from pinupload.core.profiles import find_profile
from pinupload.core.reader import Sheet

logger = logging.getLogger(__name__)

MAX_BATCH = 1000
Progress = Callable[[int, int], None]


def resolve_mapping(headers: Sequence[str], options: Options) -> dict[str, str]:
    """Return field -> header: a saved profile or the automatic guess, then overrides.

    Raises OptionError for an override naming an unknown field or header.
    """
    mapping = find_profile(headers) or auto_map(headers)
    by_key = {header_key(h): h for h in headers}
    for name, wanted in options.mapping.items():
        if name not in FIELD_NAMES:
            raise OptionError(
                f'"{name}" is not a field; fields are ' + ", ".join(FIELD_NAMES)
            )
        if not wanted:
            mapping.pop(name, None)
            continue
        header = wanted if wanted in headers else by_key.get(header_key(wanted))
        if header is None:
            raise OptionError(
                f'there is no column "{wanted}"; the columns are '
                + ", ".join(f'"{h}"' for h in headers)
            )
        for other in [f for f, h in mapping.items() if h == header]:
            del mapping[other]
        mapping[name] = header
    mapping = {name: mapping[name] for name in FIELD_NAMES if name in mapping}
    _require(mapping, headers)
    return mapping


def _require(mapping: dict[str, str], headers: Sequence[str]) -> None:
    columns = ", ".join(f'"{h}"' for h in headers)
    if "event_time" not in mapping:
        raise OptionError(
            "no column holds the time of the sale; map one (event_time=HEADER). "
            f"The columns are {columns}"
        )
    if not (
        "email" in mapping
        or "mobile_ad_id" in mapping
        or {"ip_address", "user_agent"} <= mapping.keys()
    ):
        raise OptionError(
            "no column holds an email, a mobile ad id, or an IP address with a user "
            "agent, and Pinterest needs one of them; map one (email=HEADER). "
            f"The columns are {columns}"
        )


def decide_orders(
    rows: Iterable[Sequence[object]],
    headers: Sequence[str],
    mapping: dict[str, str],
    options: Options,
) -> tuple[dict[str, str], list[str]]:
    """Return the day-month order of each date column, and notes on guesses."""
    wanted = [f for f in ("event_time", "date_of_birth") if f in mapping]
    if not wanted:
        return {}, []
    cols = {f: headers.index(mapping[f]) for f in wanted}
    texts: dict[str, set[str]] = {f: set() for f in wanted}
    for row in rows:
        for name, i in cols.items():
            if i < len(row):
                value = row[i]
                if isinstance(value, str):
                    texts[name].add(value)
    orders: dict[str, str] = {}
    notes: list[str] = []
    for name in wanted:
        order, note = times.decide_order(texts[name], options.date_order)
        orders[name] = order
        if note and texts[name]:
            notes.append(f'Column "{mapping[name]}": {note}.')
    return orders, notes


@dataclass
class CheckResult:
    """A checked file: its rows, what each became, and what is wrong with them."""

    table: Table
    mapping: dict[str, str]
    converter: Converter
    problems: list[Problem] = field(default_factory=list)
    event_ids: list[str | None] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return len(self.event_ids)

    @property
    def valid_indices(self) -> list[int]:
        return [i for i, e in enumerate(self.event_ids) if e is not None]

    @property
    def valid(self) -> int:
        return sum(1 for e in self.event_ids if e is not None)

    @property
    def invalid(self) -> int:
        return self.rows - self.valid

    @property
    def problems_by_index(self) -> dict[int, list[Problem]]:
        position = {n: i for i, n in enumerate(self.table.row_numbers)}
        out: dict[int, list[Problem]] = {}
        for p in self.problems:
            out.setdefault(position[p.row], []).append(p)
        return out

    def row_number(self, index: int) -> int:
        """Return the spreadsheet row number of a data-row index."""
        return self.table.row_numbers[index]

    def build_events(self, indices: Sequence[int]) -> list[dict[str, Any]]:
        """Return the events of these valid data rows, in the same order."""
        events = []
        for i in indices:
            event, _ = self.converter.convert(
                self.table.row_numbers[i], self.table.rows[i]
            )
            if event is None or event["event_id"] != self.event_ids[i]:
                raise ValueError(f"row {self.table.row_numbers[i]} is not sendable")
            events.append(event)
        return events


def check_file(
    path: Path,
    options: Options,
    progress: Progress | None = None,
    payload: IO[bytes] | None = None,
    keep_rows: bool = True,
) -> CheckResult:
    """Read and check a whole file; return what each row became.

    With `payload`, the request bodies a send would post are written there, one
    `{"data": [...]}` per line. With keep_rows=False the rows are not kept (the
    result's table has none), which keeps memory flat on very large files.
    Raises SpreadsheetError when the file can't be used and OptionError when an
    option is wrong.
    """
    sheet = Sheet(Path(path), options.sheet, options.header_row)
    mapping = resolve_mapping(sheet.headers, options)
    if keep_rows:
        table = sheet.read()
        source: Iterable[tuple[int, Sequence[object]]] = zip(
            table.row_numbers, table.rows, strict=True
        )
        orders, notes = decide_orders(table.rows, sheet.headers, mapping, options)
    else:
        orders, notes = decide_orders(
            (r for _n, r in sheet.data_rows()), sheet.headers, mapping, options
        )
        table = Table(
            sheet.path, sheet.sheet, sheet.sheet_names, sheet.header_row,
            sheet.headers, [], [],
        )  # fmt: skip
        source = sheet.data_rows()
    converter = Converter(sheet.headers, mapping, options, orders)
    result = CheckResult(table, mapping, converter, notes=notes)
    _run(result, source, progress, payload, keep_rows)
    result.notes = list(sheet.notes) + result.notes
    table.notes = list(sheet.notes)
    logger.info(
        "checked %s: %d rows, %d valid", sheet.path.name, result.rows, result.valid
    )
    return result


def _run(
    result: CheckResult,
    source: Iterable[tuple[int, Sequence[object]]],
    progress: Progress | None,
    payload: IO[bytes] | None,
    keep_rows: bool,
) -> None:
    convert = result.converter.convert
    problems = result.problems
    ids = result.event_ids
    seen: dict[str, int] = {}
    batch: list[dict[str, Any]] = []
    numbers: list[int] = result.table.row_numbers if not keep_rows else []  # type: ignore[assignment]
    for count, (number, cells) in enumerate(source, start=1):
        event, found = convert(number, cells)
        if found:
            problems.extend(found)
        if not keep_rows:
            numbers.append(number)
        if event is None:
            ids.append(None)
        else:
            event_id = event["event_id"]
            first = seen.get(event_id)
            if first is not None:
                ids.append(None)
                problems.append(_duplicate(number, first, event, result.mapping))
            else:
                seen[event_id] = number
                ids.append(event_id)
                if payload is not None:
                    batch.append(event)
                    if len(batch) == MAX_BATCH:
                        payload.write(orjson.dumps({"data": batch}) + b"\n")
                        batch = []
        if progress is not None and count % 5000 == 0:
            progress(count, 0)
    if payload is not None and batch:
        payload.write(orjson.dumps({"data": batch}) + b"\n")


def _duplicate(
    number: int, first: int, event: dict[str, Any], mapping: dict[str, str]
) -> Problem:
    order = event.get("custom_data", {}).get("order_id")
    if "event_id" in mapping:
        column, name, why = mapping["event_id"], "event_id", "the same event id"
    elif order:
        column, name, why = (
            mapping["order_id"],
            "order_id",
            f'the same order id "{order}"',
        )
    else:
        column, name, why = None, None, "the same customer, time and value"
    where = f'Row {number}, column "{column}"' if column else f"Row {number}"
    return Problem(
        number, column, name, ERROR,
        f"{where}: repeats the sale in row {first} ({why}); it is sent once. "
        "Remove the repeated row if it is a mistake.",
    )  # fmt: skip


def summary_dict(result: CheckResult) -> dict[str, Any]:
    """Return the `check --json` object."""
    return {
        "file": str(result.table.path),
        "sheet": result.table.sheet,
        "rows": result.rows,
        "valid": result.valid,
        "invalid": result.invalid,
        "mapping": result.mapping,
        "problems": [p.as_dict() for p in result.problems],
        "notes": result.notes,
        "checked_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }

"""Checking a whole file: read, map, convert each row, find repeats, write payloads."""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import logging
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import orjson

from pinupload.core import times
from pinupload.core.convert import Converter
from pinupload.core.fields import FIELD_NAMES, auto_map, header_key
from pinupload.core.model import OptionError, Options, Problem, Table
from pinupload.core.parallel import (
    TEXT_PIECES_PER_WORKER,
    Direct,
    jobs_for,
    remove_folder,
    run_forked,
    table_jobs,
    worker_count,
    workers_for_rows,
)
from pinupload.core.profiles import find_profile
from pinupload.core.reader import DataScan, Sheet
from pinupload.core.scan import (
    MAX_BATCH,
    Part,
    Progress,
    copy_payload,
    find_repeats,
    scan,
)

logger = logging.getLogger(__name__)

_SAMPLE_ROWS = 2000


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
        return len(self.event_ids) - self.event_ids.count(None)

    @property
    def invalid(self) -> int:
        return self.rows - self.valid

    @property
    def problems_by_index(self) -> dict[int, list[Problem]]:
        """Return each problem row's problems, by data-row index.

        Row numbers grow down the file, so a binary search finds each problem's
        row: a map of every row number first was a table of a million entries,
        whose growth held the interpreter lock for up to 150 ms while a window
        waited.
        """
        numbers = self.table.row_numbers
        out: dict[int, list[Problem]] = {}
        for p in self.problems:
            index = bisect.bisect_left(numbers, p.row)
            if index == len(numbers) or numbers[index] != p.row:
                index = numbers.index(p.row)  # rows given out of order
            out.setdefault(index, []).append(p)
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
    result's table has none), which keeps memory flat on very large files and
    lets big files use every core.
    Raises SpreadsheetError when the file can't be used and OptionError when an
    option is wrong.
    """
    if not keep_rows and payload is not None and not payload.seekable():
        # A pipe can't be rewound for a second scan: collect the payload aside.
        with tempfile.TemporaryFile() as aside:
            result = check_file(path, options, progress, aside, keep_rows)
            aside.seek(0)
            shutil.copyfileobj(aside, payload, 1 << 20)
        return result
    sheet = Sheet(Path(path), options.sheet, options.header_row)
    if keep_rows:
        result = check_table(sheet.read(), options, progress)
        if payload is not None:
            _write_payload(payload, result)
        return result
    mapping = resolve_mapping(sheet.headers, options)
    table = Table(
        sheet.path, sheet.sheet, sheet.sheet_names, sheet.header_row,
        sheet.headers, [], [],
    )  # fmt: skip
    sample = list(itertools.islice((r for _n, r in sheet.data_rows()), _SAMPLE_ROWS))
    orders, _ = decide_orders(sample, sheet.headers, mapping, options)
    converter = Converter(sheet.headers, mapping, options, orders, sample=sample)
    start = payload.tell() if payload is not None else 0
    parts = _scan_sheet(sheet, converter, payload, progress)
    # The sample guessed each date column's day-month order; every row has now
    # been seen, and a column that says otherwise is read again in its order.
    final, notes = _final_orders(parts, converter, mapping, options)
    if final != converter.orders:
        remove_folder(parts)
        if payload is not None:
            payload.seek(start)
            payload.truncate()
        converter = Converter(sheet.headers, mapping, options, final, sample=sample)
        parts = _scan_sheet(sheet, converter, payload, progress)
    repeated = find_repeats(parts, mapping)
    if payload is not None:
        copy_payload(parts, payload, repeated)
    remove_folder(parts)
    result = CheckResult(table, mapping, converter, notes=notes + converter.notes)
    data = DataScan()
    numbers: list[int] = []
    for part in parts:
        result.event_ids.extend(part.ids)
        result.problems.extend(part.problems)
        numbers.extend(part.numbers)
        data.empty += part.empty
        data.totals_row = part.totals_row or data.totals_row
    table.row_numbers = numbers
    result.problems.sort(key=lambda p: p.row)
    table.notes = data.notes()
    result.notes = list(table.notes) + result.notes
    logger.info(
        "checked %s: %d rows, %d valid", sheet.path.name, result.rows, result.valid
    )
    return result


def check_table(
    table: Table, options: Options, progress: Progress | None = None
) -> CheckResult:
    """Check rows already read (a new mapping or options need no new read).

    `progress(done, total)` is called every few thousand rows. Raises OptionError
    when the mapping or an option is not usable.
    """
    mapping = resolve_mapping(table.headers, options)
    orders, notes = decide_orders(table.rows, table.headers, mapping, options)
    sample = table.rows[:_SAMPLE_ROWS]
    converter = Converter(table.headers, mapping, options, orders, sample=sample)
    total = len(table.rows)

    def report(done: int, _total: int) -> None:
        if progress is not None:
            progress(done, total)

    parts = _scan_table(converter, table, report if progress else None)
    find_repeats(parts, mapping)
    result = CheckResult(table, mapping, converter, notes=notes + converter.notes)
    for part in parts:
        result.event_ids.extend(part.ids)
        result.problems.extend(part.problems)
    result.problems.sort(key=lambda p: p.row)
    result.notes = list(table.notes) + result.notes
    logger.info("checked %d rows: %d valid", result.rows, result.valid)
    return result


def _scan_table(
    converter: Converter, table: Table, progress: Progress | None
) -> list[Part]:
    """Convert rows already read, on several cores when there are many."""
    count = workers_for_rows(len(table.rows))
    if count > 1:
        jobs = table_jobs(converter, table.row_numbers, table.rows, count)
        try:
            return run_forked(jobs, None, progress)
        except (RuntimeError, OSError) as exc:
            logger.warning("parallel check failed, checking in one process: %s", exc)
    numbered = zip(table.row_numbers, table.rows, strict=True)
    return [scan(converter, numbered, None, progress)]


def _final_orders(
    parts: Sequence[Part],
    converter: Converter,
    mapping: dict[str, str],
    options: Options,
) -> tuple[dict[str, str], list[str]]:
    orders = dict(converter.orders)
    notes = []
    for name, evidence in converter.evidence.items():
        if name not in mapping:
            continue
        for part in parts:
            if part.evidence and name in part.evidence:
                evidence.merge(part.evidence[name])
        order, note = evidence.decide(options.date_order)
        orders[name] = order
        if note and evidence.seen:
            notes.append(f'Column "{mapping[name]}": {note}.')
    return orders, notes


def _scan_sheet(
    sheet: Sheet,
    converter: Converter,
    payload: IO[bytes] | None,
    progress: Progress | None,
) -> list[Part]:
    """Scan every data row, on several cores when the sheet is big enough.

    The first part's events go straight into `payload`, which is seekable so
    that a failed parallel run can start it over.
    """
    start = payload.tell() if payload is not None else 0
    count = worker_count(sheet)
    pieces = count * TEXT_PIECES_PER_WORKER if sheet.is_text and count > 1 else count
    jobs = jobs_for(sheet, converter, pieces)
    if len(jobs) > 1:
        try:
            parts = run_forked([job for job, _ in jobs], payload, progress, count)
        except (RuntimeError, OSError) as exc:
            logger.warning("parallel check failed, checking in one process: %s", exc)
            if payload is not None:
                payload.seek(start)
                payload.truncate()
        else:
            return _renumber(parts, [relative for _, relative in jobs])
    job = jobs_for(sheet, converter, 1)[0][0]
    return [job(Direct(payload) if payload is not None else None, progress)]


def _renumber(parts: list[Part], relative: list[bool]) -> list[Part]:
    """Give text pieces' rows their real numbers, counting the rows before them."""
    out: list[Part] = []
    offset = 0
    for part, is_relative in zip(parts, relative, strict=True):
        shift = offset if is_relative else 0
        out.append(part.shifted(shift))
        offset = part.last_number + shift
    return out


def _write_payload(payload: IO[bytes], result: CheckResult) -> None:
    indices = result.valid_indices
    for k in range(0, len(indices), MAX_BATCH):
        events = result.build_events(indices[k : k + MAX_BATCH])
        payload.write(orjson.dumps({"data": events}) + b"\n")


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

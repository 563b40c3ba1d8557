"""Converting a run of rows, then joining runs and finding the sales that repeat."""

from __future__ import annotations

import dataclasses
import os
import shutil
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import orjson

from pinupload.core.convert import Converter
from pinupload.core.model import ERROR, Problem
from pinupload.core.times import OrderEvidence

MAX_BATCH = 1000
_COPY_BYTES = 1 << 20
_SHARDS = 256
_SLICE = 200_000
Progress = Callable[[int, int], None]


@dataclass
class Part:
    """What converting one run of rows gave; row numbers may be relative."""

    numbers: list[int] = field(default_factory=list)
    ids: list[str | None] = field(default_factory=list)
    orders: list[str | None] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    empty: int = 0
    totals_row: int | None = None
    last_number: int = 0  # the last raw row the part read, blank or not
    payload: Path | None = None
    evidence: dict[str, OrderEvidence] | None = None  # from a forked worker

    def shifted(self, offset: int) -> Part:
        """Return this part with every row number moved by `offset`."""
        if not offset:
            return self
        return dataclasses.replace(
            self,
            numbers=[n + offset for n in self.numbers],
            problems=[shift_problem(p, offset) for p in self.problems],
            totals_row=None if self.totals_row is None else self.totals_row + offset,
            last_number=self.last_number + offset,
        )


def shift_problem(problem: Problem, offset: int) -> Problem:
    """Return `problem` about the row `offset` further down."""
    old, new = f"Row {problem.row}", f"Row {problem.row + offset}"
    message = new + problem.message[len(old) :]
    return dataclasses.replace(problem, row=problem.row + offset, message=message)


def scan(
    converter: Converter,
    rows: Iterable[tuple[int, Sequence[object]]],
    payload: IO[bytes] | None = None,
    progress: Progress | None = None,
    written: set[str] | None = None,
) -> Part:
    """Convert numbered rows; write every valid event to `payload` in batches.

    A sale repeated within these rows is written once, at its first row.
    `written` holds the ids already in `payload`, when runs before wrote there
    too; they are not written again.
    """
    part = Part()
    if written is None:
        written = set()
    convert = converter.convert
    numbers, ids, orders, problems = part.numbers, part.ids, part.orders, part.problems
    # Each event becomes JSON as it is made, so its objects are freed while
    # still in the processor's cache; a batch of a thousand live events did
    # not fit there and cost 0.6 us a row more (measured).
    batch: list[bytes] = []
    dumps = orjson.dumps
    for number, cells in rows:
        event, found = convert(number, cells)
        numbers.append(number)
        if found:
            problems.extend(found)
        if event is None:
            ids.append(None)
            orders.append(None)
            continue
        event_id = event["event_id"]
        ids.append(event_id)
        orders.append(event.get("custom_data", {}).get("order_id"))
        if payload is not None and event_id not in written:
            written.add(event_id)
            batch.append(dumps(event))
            if len(batch) == MAX_BATCH:
                payload.write(_body(batch))
                batch = []
        if progress is not None and len(numbers) % 5000 == 0:
            progress(len(numbers), 0)
    if payload is not None and batch:
        payload.write(_body(batch))
    return part


def _body(events: list[bytes]) -> bytes:
    """Return one request body line from events already in JSON."""
    return b'{"data":[' + b",".join(events) + b"]}\n"


def find_repeats(parts: Sequence[Part], mapping: dict[str, str]) -> set[str]:
    """Mark every later occurrence of a sale as an error; return the ids to drop.

    The first row with an event id keeps it; a repeat gets None as its id, an
    error naming the first row, and its event must leave the payload.
    """
    if not _any_repeat(parts):
        return set()
    # Many small tables instead of one: growing a table of a million ids is one
    # call that holds the interpreter lock for a tenth of a second, long enough
    # to freeze a window whose check runs on another thread.
    shards: list[dict[str, int]] = [{} for _ in range(_SHARDS)]
    mask = _SHARDS - 1
    repeated: set[str] = set()
    for part in parts:
        for i, event_id in enumerate(part.ids):
            if event_id is None:
                continue
            seen = shards[hash(event_id) & mask]
            first = seen.get(event_id)
            if first is None:
                seen[event_id] = part.numbers[i]
                continue
            repeated.add(event_id)
            part.ids[i] = None
            part.problems.append(
                _repeat(part.numbers[i], first, part.orders[i], mapping)
            )
    return repeated


def _any_repeat(parts: Sequence[Part]) -> bool:
    """Return whether an event id occurs twice, asked of sets at C speed.

    Most files repeat no sale. On the main thread one set of every id answers
    (0.12 s at a million rows, against 0.34 s for the slices below, whose
    pairs grow with the pieces). A window's check runs on another thread, and
    there sets of a slice each keep every call short enough for the window
    waiting on the interpreter lock.
    """
    if threading.current_thread() is threading.main_thread():
        every = [i for part in parts for i in part.ids if i is not None]
        return len(set(every)) < len(every)
    seen: list[set[str | None]] = []
    for part in parts:
        ids = part.ids
        for k in range(0, len(ids), _SLICE):
            run = ids[k : k + _SLICE]
            chunk = set(run)
            chunk.discard(None)
            if len(chunk) < len(run) - run.count(None):
                return True
            if any(not earlier.isdisjoint(chunk) for earlier in seen):
                return True
            seen.append(chunk)
    return False


def _repeat(
    number: int, first: int, order: str | None, mapping: dict[str, str]
) -> Problem:
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


def copy_payload(parts: Sequence[Part], out: IO[bytes], repeated: set[str]) -> None:
    """Append the parts' payload files to `out`, leaving out repeated sales.

    A repeated id's first occurrence stays: it is dropped only after being seen.
    A part without a file wrote its events into `out` already; after
    find_repeats its ids are the first occurrences.
    """
    kept: set[str] = set()
    for part in parts:
        if part.payload is None:
            if repeated:
                kept.update(i for i in part.ids if i is not None and i in repeated)
            continue
        with part.payload.open("rb") as handle:
            if not repeated:
                _append(handle, out)
                continue
            for line in handle:
                line = _filter_line(line, repeated, kept)
                if line:
                    out.write(line)


def _append(source: IO[bytes], out: IO[bytes]) -> None:
    """Append a whole file to `out`, inside the kernel where it can (Linux)."""
    copy_range = getattr(os, "copy_file_range", None)
    try:
        out.flush()
        source_fd, out_fd = source.fileno(), out.fileno()
    except (OSError, ValueError, AttributeError):  # in memory: no descriptor
        copy_range = None
    try:
        while copy_range is not None and copy_range(source_fd, out_fd, 1 << 26):
            pass
    except OSError:  # a file system that can't: the rest goes through memory
        pass
    shutil.copyfileobj(source, out, _COPY_BYTES)


def _filter_line(line: bytes, repeated: set[str], kept: set[str]) -> bytes:
    body = orjson.loads(line)
    events = []
    for event in body["data"]:
        event_id = event["event_id"]
        if event_id in repeated:
            if event_id in kept:
                continue
            kept.add(event_id)
        events.append(event)
    return orjson.dumps({"data": events}) + b"\n" if events else b""

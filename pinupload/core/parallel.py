"""Checking a big file on every core: forked workers share the parsed sheet.

Pickling rows to a pool costs more than converting them (measured: 0.7x on two
cores), so workers are forked once the sheet is open and read their own share:
a workbook's rows by number from the parsed sheet they inherit, a text file's
records from a byte range that starts on a record boundary.
"""

from __future__ import annotations

import logging
import mmap
import os
import pickle
import signal
import struct
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from pinupload.core.convert import Converter
from pinupload.core.reader import DataScan, Sheet
from pinupload.core.scan import Part, Progress, scan
from pinupload.core.workbook import finish_openings

logger = logging.getLogger(__name__)

MIN_ROWS_PER_WORKER = 25_000
# A text file is cut into this many pieces a process, taken as each is free:
# a core slowed by its neighbours on a shared machine then does less.
# TODO: workbook pieces can't be: each would pass over every row before its
# own, so a workbook's two halves are fixed when the workers start, and when
# one core runs a third slower (a shared virtual machine's, for minutes at a
# time) the check waits for it: 100,000 rows then take 1.4-1.65x calamine's
# bare read instead of 1.3-1.4x. Streaming from a row without parsing the ones
# before it would need the library to index the sheet's XML.
TEXT_PIECES_PER_WORKER = 4
_MAX_WORKERS = 4
_TEXT_BYTES_PER_ROW = 120  # a rough size, only to decide whether to split at all


@dataclass
class Direct:
    """The payload itself, for jobs that run in file order from the first one.

    `written` holds the ids their events already put there, so a sale in two
    of them is written once.
    """

    out: IO[bytes]
    written: set[str] = field(default_factory=set)


# A job writes its events to a file of its own (a worker's part, copied in
# order later), or straight into the payload, or nowhere.
Payload = Path | Direct | None
Job = Callable[[Payload, Progress | None], Part]


def worker_count(sheet: Sheet) -> int:
    """Return how many processes the sheet is worth (1: do it here)."""
    return workers_for_rows(sheet.row_estimate(_TEXT_BYTES_PER_ROW))


def workers_for_rows(rows: int) -> int:
    """Return how many processes `rows` rows are worth (1: do it here)."""
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        # macOS frameworks and Windows do not survive fork; one process there.
        return 1
    if threading.current_thread() is not threading.main_thread():
        # Other threads may hold locks a forked child would wait on for ever.
        return 1
    cores = min(os.cpu_count() or 1, _MAX_WORKERS)
    return max(1, min(cores, rows // MIN_ROWS_PER_WORKER))


def jobs_for(sheet: Sheet, converter: Converter, count: int) -> list[tuple[Job, bool]]:
    """Return one job per worker and whether its row numbers are relative."""
    return [
        (_job(converter, _rows_of(sheet, piece)), sheet.is_text and k > 0)
        for k, piece in enumerate(sheet.split(count))
    ]


def _rows_of(
    sheet: Sheet, piece: tuple[int, int | None]
) -> Callable[[DataScan], Iterator[tuple[int, Sequence[object]]]]:
    def rows(data: DataScan) -> Iterator[tuple[int, Sequence[object]]]:
        return sheet.scan_piece(data, piece)

    return rows


def _job(
    converter: Converter,
    rows: Callable[[DataScan], Iterator[tuple[int, Sequence[object]]]],
) -> Job:
    def run(payload: Payload, progress: Progress | None) -> Part:
        data = DataScan()
        if isinstance(payload, Path):
            with payload.open("wb") as out:
                part = scan(converter, rows(data), out, progress)
            part.payload = payload
        elif isinstance(payload, Direct):
            part = scan(converter, rows(data), payload.out, progress, payload.written)
        else:
            part = scan(converter, rows(data), None, progress)
        part.empty, part.totals_row = data.empty, data.totals_row
        part.last_number = data.last_number
        part.evidence = converter.evidence
        return part

    return run


def table_jobs(
    converter: Converter,
    numbers: Sequence[int],
    rows: Sequence[Sequence[object]],
    count: int,
) -> list[Job]:
    """Return jobs that convert rows already read, each an equal run of them."""
    size = -(-len(rows) // count)

    def job(start: int) -> Job:
        def run(payload: Payload, progress: Progress | None) -> Part:
            stop = start + size
            numbered = zip(numbers[start:stop], rows[start:stop], strict=True)
            return scan(converter, numbered, None, progress)

        return run

    return [job(k * size) for k in range(count) if k * size < len(rows)]


def run_forked(
    jobs: list[Job],
    payload: IO[bytes] | None,
    progress: Progress | None,
    workers: int | None = None,
) -> list[Part]:
    """Run the jobs here and in forked children; return their parts in order.

    `workers` processes (default: one per job) share the jobs, each taking
    another as soon as it is free, so one slowed down (a busy core on a
    shared machine) does fewer. This process takes them in order from the
    first, writing their events straight into `payload`; the children take
    them from the last, into part files in a temporary folder that
    copy_payload appends.
    """
    count = len(jobs) if workers is None else min(workers, len(jobs))
    direct = Direct(payload) if payload is not None else None
    paths: list[Payload] = [None] * len(jobs)
    if payload is not None:
        folder = Path(tempfile.mkdtemp(prefix="pinupload-"))
        paths = [direct] + [folder / f"part{k}.jsonl" for k in range(1, len(jobs))]
    queue = _JobQueue(len(jobs))
    children: list[tuple[int, int]] = []
    finish_openings()
    sys.stdout.flush()
    sys.stderr.flush()
    for _ in range(1, count):
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child's lines are not traced
            os.close(read_end)
            _child(jobs, paths, queue, write_end)
        os.close(write_end)
        children.append((pid, read_end))
    try:
        parts = {0: jobs[0](direct, progress)}
        while (k := queue.take(first=True)) is not None:
            parts[k] = jobs[k](direct, None)
    except BaseException:
        # This part failed (a damaged file, a stop): the others are not needed.
        for pid, _read_end in children:
            os.kill(pid, signal.SIGKILL)
        _reap(children)
        _remove_parts(paths[1:])
        raise
    finally:
        queue.close()
    outcomes = _reap(children)
    failures = [o for o in outcomes if isinstance(o, str)]
    for outcome in outcomes:
        if not isinstance(outcome, str):
            parts.update(outcome)
    if not failures and len(parts) < len(jobs):
        failures.append(f"{len(jobs) - len(parts)} of {len(jobs)} pieces not checked")
    if failures:
        _remove_parts(paths[1:])
        raise RuntimeError(f"worker failed: {failures[0]}")
    return [parts[k] for k in range(len(jobs))]


class _JobQueue:
    """Jobs 1..count-1, taken from the first by one process, from the last by others.

    The two ends live in memory shared with the forked children, and a POSIX
    lock on a temporary file (one a process, let go if its holder dies) makes
    each take whole, so every job goes to exactly one process.
    """

    def __init__(self, count: int) -> None:
        self._ends = mmap.mmap(-1, _ENDS.size)
        _ENDS.pack_into(self._ends, 0, 1, count)
        self._lock = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()

    def take(self, first: bool = False) -> int | None:
        """Return the first (or last) job nobody has taken, or None when all are."""
        import fcntl  # POSIX only, as fork is

        fd = self._lock.fileno()
        fcntl.lockf(fd, fcntl.LOCK_EX)
        try:
            low, high = _ENDS.unpack_from(self._ends, 0)
            if low >= high:
                return None
            if first:
                _ENDS.pack_into(self._ends, 0, low + 1, high)
                return int(low)
            _ENDS.pack_into(self._ends, 0, low, high - 1)
            return int(high - 1)
        finally:
            fcntl.lockf(fd, fcntl.LOCK_UN)

    def close(self) -> None:
        self._lock.close()
        self._ends.close()


_ENDS = struct.Struct("qq")


def _reap(children: list[tuple[int, int]]) -> list[dict[int, Part] | str]:
    """Read every child's parts and wait for it; a failure comes as a string."""
    outcomes: list[dict[int, Part] | str] = []
    for pid, read_end in children:
        with os.fdopen(read_end, "rb") as pipe:
            data = pipe.read()
        _pid, status = os.waitpid(pid, 0)
        if os.waitstatus_to_exitcode(status) != 0 or not data:
            outcomes.append(f"worker {pid} ended with status {status}")
            continue
        outcome = pickle.loads(data)
        outcomes.append(outcome if isinstance(outcome, dict) else str(outcome))
    return outcomes


def _remove_parts(paths: Sequence[Payload]) -> None:
    files = [p for p in paths if isinstance(p, Path)]
    for path in files:
        path.unlink(missing_ok=True)
    if files:
        try:
            files[0].parent.rmdir()
        except OSError as exc:
            logger.debug("temporary folder left: %s", exc)


def _child(  # pragma: no cover - the child's lines are not traced
    jobs: list[Job], paths: list[Payload], queue: _JobQueue, write_end: int
) -> None:
    code = 0
    try:
        try:
            done: dict[int, Part] = {}
            while (k := queue.take()) is not None:
                done[k] = jobs[k](paths[k], None)
            result: object = done
        except Exception as exc:  # reported to the parent, which retries
            result = f"{type(exc).__name__}: {exc}"
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    except BaseException:  # a child must never return into the parent
        code = 1
    finally:
        os._exit(code)


def remove_folder(parts: Sequence[Part]) -> None:
    """Delete the parts' temporary payload files and their folder."""
    folders = set()
    for part in parts:
        if part.payload is not None:
            folders.add(part.payload.parent)
            part.payload.unlink(missing_ok=True)
    for folder in folders:
        try:
            folder.rmdir()
        except OSError as exc:
            logger.debug("temporary folder left: %s", exc)

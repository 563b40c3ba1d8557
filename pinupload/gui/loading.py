"""Reading and checking a file on a pool thread, in steps the window can show early."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from pinupload.core import check
from pinupload.core.check import CheckResult, resolve_mapping
from pinupload.core.fields import auto_map
from pinupload.core.model import OptionError, Options, Table
from pinupload.core.profiles import find_profile
from pinupload.core.reader import Sheet
from pinupload.gui.rowstate import RowState, build_state
from pinupload.gui.workers import Job, quiet_collector

logger = logging.getLogger(__name__)

PREVIEW_ROWS = 500  # shown while the rest of the file is still being read
READ_STEP = 20_000
YIELD_SECONDS = 0.15


@dataclass
class Loaded:
    """A file read and, when its mapping allows, checked."""

    table: Table
    options: Options
    state: RowState
    guess: dict[str, str]  # the mapping the panel shows (field -> header)
    mapping_error: str | None = None  # why the rows could not be checked
    notes: list[str] = field(default_factory=list)


def guess_mapping(headers: Sequence[str], options: Options) -> dict[str, str]:
    """Return the mapping to show: the checked one, else a profile or a guess."""
    try:
        return resolve_mapping(headers, options)
    except OptionError:
        return find_profile(headers) or auto_map(headers)


def _show_early(job: Job, table: Table) -> None:
    """Hand the first rows to the window, then keep still while it shows them.

    Showing them resets the view, and Qt calls back into Python many times while
    doing so; each call waits for the interpreter lock while this thread holds
    it, which made the window freeze for seconds. A short pause here costs the
    read a tenth of a second.
    """
    rows, numbers = list(table.rows), list(table.row_numbers)
    job.step_reported.emit(replace(table, rows=rows, row_numbers=numbers))
    time.sleep(YIELD_SECONDS)


def read_table(path: Path, options: Options, job: Job) -> Table:
    """Read the sheet, emitting the first rows early (step_reported) and progress."""
    sheet = Sheet(Path(path), options.sheet, options.header_row)
    rows: list[tuple[object, ...]] = []
    numbers: list[int] = []
    table = Table(
        sheet.path, sheet.sheet, sheet.sheet_names, sheet.header_row,
        sheet.headers, rows, numbers,
    )  # fmt: skip
    for number, cells in sheet.data_rows():
        rows.append(tuple(cells))
        numbers.append(number)
        count = len(rows)
        if count == PREVIEW_ROWS:
            _show_early(job, table)
        if count % READ_STEP == 0:
            job.check_cancel()
            job.report_progress(count, 0)
    if len(rows) < PREVIEW_ROWS:
        job.step_reported.emit(replace(table, rows=rows[:], row_numbers=numbers[:]))
    table.notes = list(sheet.notes)
    logger.info("Read %s: %d rows", sheet.path.name, len(rows))
    return table


def check_table(table: Table, options: Options, job: Job | None = None) -> CheckResult:
    """Check rows already read with `options`; a new mapping needs no new read.

    Raises OptionError when the mapping or an option is not usable, Cancelled.
    """
    total = len(table.rows)

    def progress(done: int, _total: int) -> None:
        if job is not None:
            job.check_cancel()
            job.report_progress(done, total)

    return check.check_table(table, options, progress)


def check_loaded(table: Table, options: Options, job: Job | None = None) -> Loaded:
    """Return the table checked with `options`, or unchecked with the reason."""
    guess = guess_mapping(table.headers, options)
    try:
        result: CheckResult | None = check_table(table, options, job)
        error = None
    except OptionError as exc:
        result, error = None, str(exc)
    state = build_state(table, result)
    notes = result.notes if result is not None else list(table.notes)
    return Loaded(table, options, state, guess, error, notes)


def load_file(path: Path, options: Options, job: Job) -> Loaded:
    """Read and check a file (the body of the window's loading job)."""
    with quiet_collector(unfreeze=True):
        table = read_table(path, options, job)
        return check_loaded(table, options, job)

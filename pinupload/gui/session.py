"""The open file and the work on it: loading, re-checking, ledger state, filtering.

One job of each kind at a time: a newer request cancels the older job, whose
answer is then ignored.

The jobs run on worker threads of this process, so any single call of the
engine that holds the interpreter lock for long stalls the window, and so does a
call of a few milliseconds while a repaint calls into Python thousands of times.
The engine keeps its big tables in slices for that reason. Measured at 1,000,000
rows (bench/gui_responsiveness.py, five runs), the longest stalls were 23-54 ms
loading, 22-38 ms sorting and 30-57 ms sending, text files and workbooks alike.
TODO: the margin rests on the engine's calls staying short; a check in a child
process that streams its results would not depend on it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal, Slot

from pinupload.core.ledger import Ledger
from pinupload.core.model import Options
from pinupload.core.results import PROCESSED, UNCONFIRMED
from pinupload.gui.loading import Loaded, check_loaded, load_file
from pinupload.gui.rowfilter import View, select_rows
from pinupload.gui.rowstate import RowSet, Summary, summarize
from pinupload.gui.workers import Job, release

logger = logging.getLogger(__name__)


Marks = tuple[RowSet, RowSet, Summary]
# Event ids looked up in the ledger at once. The ledger builds a set of them; a
# set of a million ids, growing, held the interpreter lock for over 100 ms at a
# time. Each look-up reads the account's batches again, which costs about a
# tenth of a second per look-up at a million events sent.
MARKS_CHUNK = 100_000


def ledger_marks(loaded: Loaded, account_id: str | None) -> Marks:
    """Return the rows already sent to the account, those unconfirmed, the summary."""
    check = loaded.state.check
    if check is None or account_id is None:
        return (
            RowSet(),
            RowSet(),
            summarize(replace(loaded.state, already_sent=RowSet())),
        )
    ids = check.event_ids
    sent, unsure = RowSet(len(ids)), RowSet(len(ids))
    with Ledger.open() as ledger:
        for start in range(0, len(ids), MARKS_CHUNK):
            part = ids[start : start + MARKS_CHUNK]
            states = ledger.event_states(account_id, (e for e in part if e))
            if not states:
                continue
            for index, event_id in enumerate(part, start):
                state = states.get(event_id or "")
                if state == PROCESSED:
                    sent.add(index)
                elif state == UNCONFIRMED:
                    unsure.add(index)
    return sent, unsure, summarize(replace(loaded.state, already_sent=sent))


class FileSession(QObject):
    """Owns the loaded file and the jobs that read, check and filter it.

    Signals: preview_ready(Table), file_loaded(Loaded), file_failed(str),
    order_ready(list), marks_ready(), busy_changed(str), progress_changed(int,
    int), idle().
    """

    preview_ready = Signal(object)
    file_loaded = Signal(object)
    file_failed = Signal(str)
    order_ready = Signal(object)  # object: a list would be copied twice
    marks_ready = Signal()
    busy_changed = Signal(str)
    progress_changed = Signal(int, int)
    idle = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.loaded: Loaded | None = None
        self.path: Path | None = None
        self.account_id: str | None = None
        self._jobs: dict[str, Job] = {}
        # Whether something else (a send) still uses a file no longer shown.
        self.in_use: Callable[[Loaded], bool] = lambda _loaded: False
        # One job on the file at a time: two busy Python threads made the
        # window wait for the interpreter lock far more than one.
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)

    # -- jobs ------------------------------------------------------------------
    def _start(self, kind: str, job: Job, text: str) -> Job:
        old = self._jobs.get(kind)
        if old is not None:
            old.cancel()
        self._jobs[kind] = job
        job.progress_changed.connect(self.progress_changed)
        job.job_failed.connect(lambda message: self._on_job_failed(job, message))
        job.job_cancelled.connect(lambda: self._end(job))
        self.busy_changed.emit(text)
        job.start(self.pool)
        return job

    def _current(self, job: Job) -> bool:
        return self._jobs.get(job.name) is job

    def _end(self, job: Job) -> None:
        if self._current(job):
            del self._jobs[job.name]
        if not self._jobs:
            self.idle.emit()

    def busy(self) -> bool:
        return bool(self._jobs)

    def busy_with(self, *kinds: str) -> bool:
        """Return whether a job of these kinds (load, check, marks, select) runs."""
        return any(kind in self._jobs for kind in kinds)

    def cancel(self) -> None:
        for job in list(self._jobs.values()):
            job.cancel()

    def wait(self, msecs: int) -> bool:
        """Wait for the file's jobs to end; return False on time-out."""
        return self.pool.waitForDone(msecs)

    @Slot()
    def _on_job_failed(self, job: Job, message: str) -> None:
        current = self._current(job)
        self._end(job)
        if current:
            self.file_failed.emit(message)

    # -- what the window asks for --------------------------------------------
    def open(self, path: Path, options: Options) -> None:
        """Read and check a file; the first rows come early through preview_ready."""
        self.path = Path(path)
        self._jobs.pop("check", None)
        job = Job("load", lambda j: load_file(self.path or path, options, j))
        job.step_reported.connect(lambda table: self._on_preview(job, table))
        job.job_finished.connect(lambda loaded: self._on_loaded(job, loaded))
        self._start("load", job, f"Reading {self.path.name}…")

    def recheck(self, options: Options) -> None:
        """Check the rows again with a new mapping or new settings."""
        if self.loaded is None:
            return
        table = self.loaded.table
        job = Job("check", lambda j: check_loaded(table, options, j))
        job.job_finished.connect(lambda loaded: self._on_loaded(job, loaded))
        self._start("check", job, "Checking the rows…")

    def refresh_marks(self, account_id: str | None) -> None:
        """Look up which rows went to the account before (for the summary line)."""
        self.account_id = account_id
        loaded = self.loaded
        if loaded is None or loaded.state.check is None:
            return
        job = Job("marks", lambda _j: ledger_marks(loaded, account_id))
        job.job_finished.connect(lambda marks: self._on_marks(job, loaded, marks))
        self._start("marks", job, "Looking up rows sent before…")

    def select(self, view: View) -> None:
        """Work out the rows to show for `view`; order_ready brings them."""
        if self.loaded is None:
            return
        state = self.loaded.state
        job = Job("select", lambda j: select_rows(state, view, j.check_cancel))
        job.job_finished.connect(lambda order: self._on_order(job, order))
        self._start("select", job, "Sorting and filtering…")

    def options(self) -> Options:
        return self.loaded.options if self.loaded else Options()

    def with_options(self, **changes: object) -> Options:
        return replace(self.options(), **changes)  # type: ignore[arg-type]

    # -- answers -------------------------------------------------------------
    def _on_preview(self, job: Job, table: object) -> None:
        if self._current(job):
            self.preview_ready.emit(table)

    def _on_loaded(self, job: Job, loaded: Loaded) -> None:
        current = self._current(job)
        self._end(job)
        if not current:
            return
        old, self.loaded = self.loaded, loaded
        self.file_loaded.emit(loaded)
        if old is not None and not self.in_use(old):
            self._retire(old, loaded)
        if self.account_id is not None and loaded.state.check is not None:
            self.refresh_marks(self.account_id)

    def _retire(self, old: Loaded, new: Loaded) -> None:
        """Free what only the file shown before holds, after the jobs queued on it.

        The file's pool runs one job at a time in order, so no job that still
        reads the old rows runs while they are freed.
        """
        lists: list[list[Any]] = [old.state.results.clear()]
        check = old.state.check
        if check is not None and check is not new.state.check:
            lists += [check.event_ids, check.problems]
        if old.table is not new.table:  # a new check of the same rows keeps them
            lists += [old.table.rows, old.table.row_numbers]  # type: ignore[list-item]
        release(*lists, pool=self.pool)

    def _on_marks(self, job: Job, loaded: Loaded, marks: Marks) -> None:
        current = self._current(job)
        self._end(job)
        if current and loaded is self.loaded:
            state = loaded.state
            state.already_sent, state.unconfirmed, state.summary = marks
            self.marks_ready.emit()

    def _on_order(self, job: Job, order: list[int]) -> None:
        current = self._current(job)
        self._end(job)
        if current:
            self.order_ready.emit(order)

"""The one way work leaves the GUI thread: a Job run on Qt's thread pool.

A Job wraps a plain function. The function runs on a pool thread and talks back
only through the Job's signals, which Qt delivers to the GUI thread; it never
touches a widget.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal

from pinupload import paths
from pinupload.core.answers import ApiError
from pinupload.core.credentials import KeyringUnavailable
from pinupload.core.ledger import LedgerBusy
from pinupload.core.model import OptionError, SpreadsheetError

logger = logging.getLogger(__name__)


class UserError(Exception):
    """A failure the window explains itself; str() is a sentence for the user."""


# Failures whose message is already a sentence for the user.
EXPECTED = (
    SpreadsheetError, OptionError, ApiError, KeyringUnavailable, LedgerBusy, UserError,
)  # fmt: skip
PROGRESS_EVERY = 0.1  # seconds; more often only costs the GUI thread time


_quiet_lock = threading.Lock()
_quiet_jobs = 0


@contextmanager
def quiet_collector(unfreeze: bool = False) -> Iterator[None]:
    """Hold off the cyclic garbage collector while a job makes millions of objects.

    A full collection walks every live object holding the interpreter lock, which
    froze the window for up to seconds at a million rows. When the last such job
    ends, what is still alive is frozen out of later collections (objects are
    still freed by reference counting). `unfreeze` (a new file) first lets an old
    file's objects be collected again.
    """
    # TODO: the collector stays off for a whole send, so cyclic garbage of a long
    # test run (hours at 10 calls a second) waits until the run ends.
    global _quiet_jobs
    with _quiet_lock:
        if unfreeze:
            gc.unfreeze()
        _quiet_jobs += 1
        gc.disable()
    try:
        yield
    finally:
        with _quiet_lock:
            _quiet_jobs -= 1
            if _quiet_jobs == 0:
                gc.freeze()
                gc.enable()


RELEASE_SLICE = 20_000


def release(*lists: list[Any], pool: QThreadPool | None = None) -> None:
    """Empty big lists on a pool thread, a slice at a time.

    Freed at once, a million objects are one long stretch of C that holds the
    interpreter lock (about 0.2 s for a million results, 0.4 s for a file of a
    million rows); a slice takes a few milliseconds. Nothing may use the lists
    any more; small ones are left to be freed as usual.
    """
    big = [items for items in lists if len(items) > RELEASE_SLICE]
    if not big:
        return

    def drop() -> None:
        for items in big:
            while items:
                del items[-RELEASE_SLICE:]

    (pool or QThreadPool.globalInstance()).start(drop)


class Cancelled(Exception):  # noqa: N818 (reads as what happened)
    """Raised inside a job's function when its cancel flag is set."""


def unexpected_message() -> str:
    """Return the plain-words text shown when something failed for no known reason."""
    return (
        "Something went wrong that pinupload did not expect. Nothing was lost; "
        f"the details are in the log in {paths.log_dir()}."
    )


class Job(QObject):
    """Runs `fn(job)` on the thread pool.

    Signals: progress_changed(done, total), step_reported(object),
    job_finished(result), job_failed(message), job_cancelled().
    """

    progress_changed = Signal(int, int)
    step_reported = Signal(object)
    job_finished = Signal(object)
    job_failed = Signal(str)
    job_cancelled = Signal()

    def __init__(self, name: str, fn: Callable[[Job], Any]) -> None:
        super().__init__()
        self.name = name
        self._fn = fn
        self.cancel_flag = threading.Event()
        self._last_progress = 0.0
        self.running = False

    def start(self, pool: QThreadPool | None = None) -> None:
        """Queue the job (on `pool`, else Qt's global pool); connect signals first."""
        self.running = True
        (pool or QThreadPool.globalInstance()).start(self._run)

    def cancel(self) -> None:
        self.cancel_flag.set()

    def check_cancel(self) -> None:
        """Raise Cancelled if the job was asked to stop (call from the pool thread)."""
        if self.cancel_flag.is_set():
            raise Cancelled

    def report_progress(self, done: int, total: int, force: bool = False) -> None:
        """Emit progress at most every PROGRESS_EVERY seconds (pool thread)."""
        now = time.monotonic()
        if force or now - self._last_progress >= PROGRESS_EVERY:
            self._last_progress = now
            self.progress_changed.emit(done, total)

    def _run(self) -> None:
        try:
            self._report(self._outcome())
        except RuntimeError:
            # The window went away (the app is closing) before the job ended.
            logger.debug("%s ended after its window", self.name)

    def _outcome(self) -> Callable[[], None]:
        try:
            with quiet_collector():
                result = self._fn(self)
        except Cancelled:
            return self.job_cancelled.emit
        except EXPECTED as exc:
            logger.info("%s stopped: %s", self.name, exc)
            message = str(exc)
            return lambda: self.job_failed.emit(message)
        except Exception:
            logger.exception("%s failed", self.name)
            return lambda: self.job_failed.emit(unexpected_message())
        return lambda: self.job_finished.emit(result)

    def _report(self, emit: Callable[[], None]) -> None:
        self.running = False
        emit()

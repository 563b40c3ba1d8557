"""One thread that owns a ledger connection and commits the sender's writes in groups.

Every batch must be durable as in flight before it is posted; with twenty posts in
flight, one fsync per batch would cap the pace. Writes waiting together are committed
in one transaction (group commit), and settles need not wait at all.
"""

from __future__ import annotations

import logging
import queue
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pinupload.core.answers import BatchAnswer
from pinupload.core.ledgerwrites import Batch, insert_batch, record_answer, record_error

logger = logging.getLogger(__name__)

GROUP = 64  # most writes committed together
_STOP = object()


@dataclass(eq=False)
class _Ahead:
    run_id: int
    account_id: str
    test: bool
    batch: Batch
    done: threading.Event = field(default_factory=threading.Event)
    batch_id: int = 0
    error: BaseException | None = None


class LedgerWriter:
    """Queues ledger writes from any thread; write_ahead returns once durable."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._error: BaseException | None = None
        self._thread = threading.Thread(
            target=self._loop, name="pinupload-ledger", daemon=True
        )
        self._thread.start()

    def write_ahead(
        self, run_id: int, account_id: str, test: bool, batch: Batch
    ) -> int:
        """Record a batch as in flight; return its id once that is on disk.

        Raises whatever the database raised (sqlite3.Error, OSError).
        """
        item = _Ahead(run_id, account_id, test, batch)
        self._queue.put(item)
        item.done.wait()
        if item.error is not None:
            raise item.error
        return item.batch_id

    def settle(self, batch_id: int, answer: BatchAnswer) -> None:
        """Queue Pinterest's answer to a batch (see Ledger.settle)."""
        self._queue.put((record_answer, batch_id, answer))

    def settle_error(
        self,
        batch_id: int,
        message: str,
        maybe_delivered: bool,
        request_id: str | None,
        posted: bool,
    ) -> None:
        """Queue a batch without per-event answers (see Ledger.settle_error)."""
        args = (batch_id, message, maybe_delivered, request_id, posted)
        self._queue.put((record_error, *args))

    def close(self) -> None:
        """Write what is queued, stop the thread; raise the first write error."""
        self._queue.put(_STOP)
        self._thread.join()
        if self._error is not None:
            raise self._error

    def _loop(self) -> None:
        from pinupload.core.ledger import Ledger  # the writer is the ledger's helper

        ledger = Ledger(self._path)
        try:
            stop = False
            while not stop:
                items = [self._queue.get()]
                while len(items) < GROUP:
                    try:
                        items.append(self._queue.get_nowait())
                    except queue.Empty:
                        break
                stop = _STOP in items
                work = [item for item in items if item is not _STOP]
                if work:
                    self._commit(ledger, work)
        finally:
            ledger.close()

    def _commit(self, ledger: Any, items: list[Any]) -> None:
        aheads = [item for item in items if isinstance(item, _Ahead)]
        try:
            with ledger.transaction(durable=bool(aheads)) as db:
                for item in items:
                    if isinstance(item, _Ahead):
                        item.batch_id = insert_batch(
                            db, item.run_id, item.account_id, item.test, item.batch
                        )
                    else:
                        write, *args = item
                        write(db, *args)
        except Exception as exc:  # handed to the waiting senders and to close()
            logger.exception("The ledger could not be written")
            self._error = self._error or exc
            for item in aheads:
                item.error = exc
        finally:
            for item in aheads:
                item.done.set()

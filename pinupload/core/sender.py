"""The sending loop: batches written ahead, posted from a pool, settled on return."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import TYPE_CHECKING

from pinupload.core.answers import ApiError, AuthError, BatchAnswer, CancelledError
from pinupload.core.ledger import Ledger
from pinupload.core.results import (
    FAILED,
    PROCESSED,
    UNCONFIRMED,
    Progress,
    RowResult,
    UploadSummary,
)

if TYPE_CHECKING:
    from pinupload.core.api import PinterestClient
    from pinupload.core.upload import Sendable

logger = logging.getLogger(__name__)

Entry = tuple[int, int, str]  # data-row index, spreadsheet row, event id


class Sender:
    """Sends rows for one run; every callback is called from the caller's thread.

    The ledger is touched from that thread only: a batch is written ahead there,
    posted from the pool, and settled there once its future is done.
    """

    def __init__(
        self,
        ledger: Ledger,
        client: PinterestClient,
        checked: Sendable,
        summary: UploadSummary,
        on_progress: Callable[[Progress], None] | None,
        on_results: Callable[[list[RowResult]], None] | None,
        cancel: threading.Event | None,
    ) -> None:
        self.ledger, self.client, self.checked = ledger, client, checked
        self.summary = summary
        self.on_progress, self.on_results = on_progress, on_results
        self.cancel = cancel
        self.stop = threading.Event()  # set on cancel or a fatal error
        self.answered = 0
        self.settled = 0  # batches that got any answer
        self.done = 0
        self.total = 0
        self.started = time.monotonic()

    def run(self, indices: Sequence[int], already_done: int) -> None:
        """Send the rows at `indices`, in batches, as fast as the limits allow."""
        self.done, self.total = already_done, already_done + len(indices)
        self._progress()
        size = self.client.batch_size
        batches = (indices[i : i + size] for i in range(0, len(indices), size))
        pending: dict[Future[BatchAnswer], tuple[int, list[Entry]]] = {}
        with ThreadPoolExecutor(self.client.concurrency, "pinupload-send") as pool:
            for chunk in batches:
                # one batch alone first: a refused token stops the run after one call
                while len(pending) >= (self.client.concurrency if self.settled else 1):
                    self._settle_done(pending)
                if self._stopping():
                    break
                pending.update(self._submit(pool, chunk))
            while pending:
                self._settle_done(pending)
        self.summary.cancelled = bool(self.cancel and self.cancel.is_set())

    def _stopping(self) -> bool:
        if self.cancel is not None and self.cancel.is_set():
            self.stop.set()
        return self.stop.is_set()

    def _submit(
        self, pool: ThreadPoolExecutor, chunk: Sequence[int]
    ) -> dict[Future[BatchAnswer], tuple[int, list[Entry]]]:
        events = self.checked.build_events(chunk)
        entries = [
            (i, self.checked.row_number(i), e["event_id"])
            for i, e in zip(chunk, events, strict=True)
        ]
        summary = self.summary
        batch_id = self.ledger.write_ahead(
            summary.run_id, self.client.account_id, summary.test, entries
        )
        future = pool.submit(self.client.send, events, self.stop)
        return {future: (batch_id, entries)}

    def _settle_done(
        self, pending: dict[Future[BatchAnswer], tuple[int, list[Entry]]]
    ) -> None:
        done, _ = wait(list(pending), timeout=0.2, return_when=FIRST_COMPLETED)
        self._stopping()
        for future in done:
            batch_id, entries = pending.pop(future)
            try:
                answer = future.result()
            except ApiError as exc:
                results = self._failed_batch(batch_id, entries, exc)
            else:
                self.ledger.settle(batch_id, answer)
                results = self._answered(entries, answer)
            self.done += len(entries)
            self.settled += 1
            if results and self.on_results:
                self.on_results(results)
        if done:
            self._progress()

    def _answered(self, entries: list[Entry], answer: BatchAnswer) -> list[RowResult]:
        results = []
        for (index, row, event_id), event in zip(entries, answer.events, strict=True):
            results.append(
                RowResult(
                    index,
                    row,
                    event_id,
                    event.status,
                    event.error_message,
                    event.warning_message,
                    answer.request_id,
                )
            )
            self.summary.processed += event.status == PROCESSED
            self.summary.failed += event.status == FAILED
            self.summary.warnings += event.warning_message is not None
        self.summary.sent += len(entries)
        self.answered += len(entries)
        return results

    def _failed_batch(
        self, batch_id: int, entries: list[Entry], exc: ApiError
    ) -> list[RowResult]:
        """Record a batch without per-event answers; stop the run when it must."""
        message = str(exc)
        if isinstance(exc, CancelledError) and not exc.maybe_delivered:
            self.ledger.settle_error(
                batch_id, message, maybe_delivered=False, posted=False
            )
            return []  # never posted: these rows stay unsent
        self.ledger.settle_error(
            batch_id,
            message,
            maybe_delivered=exc.maybe_delivered,
            request_id=exc.request_id,
        )
        self.summary.sent += len(entries)
        fatal = isinstance(exc, AuthError) or (
            exc.status is None or exc.status == 429 or exc.status >= 500
        )
        if fatal and not isinstance(exc, CancelledError):
            if self.summary.fatal is None:
                self.summary.fatal = message
                self.summary.fatal_status = exc.status
                logger.error("Run %s stopped: %s", self.summary.run_id, message)
            self.stop.set()
        if exc.maybe_delivered:
            status = UNCONFIRMED
            self.summary.unconfirmed += len(entries)
        else:
            status = FAILED
            self.summary.failed += len(entries)
        return [
            RowResult(i, r, e, status, message, None, exc.request_id)
            for i, r, e in entries
        ]

    def _progress(self) -> None:
        if self.on_progress is None:
            return
        elapsed = time.monotonic() - self.started
        rate = self.answered / elapsed if elapsed > 0 else 0.0
        left = self.total - self.done
        eta = left / rate if rate > 0 else None
        self.on_progress(Progress(self.done, self.total, rate, eta))

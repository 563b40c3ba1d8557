"""The sending loop: batches built here, posted from a pool, answers counted here."""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pinupload.core.answers import ApiError, AuthError, BatchAnswer, CancelledError
from pinupload.core.bodies import Bodies, worker_count
from pinupload.core.ledgerwriter import LedgerWriter
from pinupload.core.ledgerwrites import Batch
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


@dataclass(slots=True)
class _Outcome:
    """What became of one batch: an answer, or the error that ended it."""

    batch: Batch
    answer: BatchAnswer | None = None
    error: ApiError | None = None
    posted: bool = False  # written ahead and handed to the network
    seconds: float = 0.0  # from write-ahead to the answer


class Sender:
    """Sends rows for one run; every callback is called from the caller's thread.

    A pool thread waits for its turn under the rate limit, has the batch written
    ahead as in flight (durably, by the ledger writer), posts it, and queues the
    answer for the ledger; this thread builds batches and counts the answers.
    """

    def __init__(
        self,
        ledger_path: Any,
        client: PinterestClient,
        checked: Sendable,
        summary: UploadSummary,
        on_progress: Callable[[Progress], None] | None,
        on_results: Callable[[list[RowResult]], None] | None,
        cancel: threading.Event | None,
        close_in_child: Sequence[int] = (),
    ) -> None:
        self.ledger_path, self.client, self.checked = ledger_path, client, checked
        self.close_in_child = close_in_child
        self.summary = summary
        self.on_progress, self.on_results = on_progress, on_results
        self.cancel = cancel
        self.stop = threading.Event()  # set on cancel or a fatal error
        self.answered = self.settled = self.done = self.total = 0
        self.round_trip = 0.25  # seconds, write-ahead to answer; measured as it goes
        self.started = time.monotonic()

    def run(self, indices: Sequence[int], already_done: int) -> None:
        """Send the rows at `indices`, in batches, as fast as the limits allow."""
        self.done, self.total = already_done, already_done + len(indices)
        self._progress()
        size = self.client.batch_size
        chunks = [indices[i : i + size] for i in range(0, len(indices), size)]
        pending: set[Future[_Outcome]] = set()
        # forked first: fork copies only this thread, so no other may exist yet
        bodies = Bodies(
            self.checked, chunks, worker_count(len(indices)), self.close_in_child
        )
        try:
            self._send(chunks, bodies, pending)
        finally:
            bodies.close()
        self.summary.cancelled = bool(self.cancel and self.cancel.is_set())

    def _send(
        self,
        chunks: Sequence[Sequence[int]],
        bodies: Bodies,
        pending: set[Future[_Outcome]],
    ) -> None:
        writer = LedgerWriter(self.ledger_path)
        try:
            with ThreadPoolExecutor(self.client.concurrency, "pinupload-send") as pool:
                position = 0
                while True:
                    if len(pending) < self._in_flight() and position < len(chunks):
                        if self._stopping():
                            position = len(chunks)
                            continue
                        chunk, body = chunks[position], bodies.body(position)
                        position += 1
                        pending.add(pool.submit(self._post, writer, chunk, body))
                    elif pending:
                        self._collect(pending)
                    else:
                        break
        finally:
            writer.close()

    def _in_flight(self) -> int:
        """How many batches to have out: enough to fill the rate limit, no more.

        One alone first, so a refused token stops the run after one call; then the
        limit's calls per second times the measured round trip (upload included),
        with a margin, and two built ahead so no pool thread waits for work.
        """
        if not self.settled:
            return 1
        limiter = self.client.limiter
        needed = limiter.limit / limiter.span * self.round_trip * 1.15
        return min(self.client.concurrency, math.ceil(needed) + 1) + 2

    def _stopping(self) -> bool:
        if self.cancel is not None and self.cancel.is_set():
            self.stop.set()
        return self.stop.is_set()

    def _post(
        self, writer: LedgerWriter, chunk: Sequence[int], body: bytes
    ) -> _Outcome:
        """In a pool thread: write ahead, post, queue the answer for the ledger."""
        ids, row_number = self.checked.event_ids, self.checked.row_number
        rows = [row_number(i) for i in chunk]
        outcome = _Outcome(Batch(list(chunk), rows, [ids[i] or "" for i in chunk]))
        batch: list[int] = []

        def write_ahead() -> None:
            outcome.seconds = time.monotonic()
            summary = self.summary
            batch.append(
                writer.write_ahead(
                    summary.run_id,
                    self.client.account_id,
                    summary.test,
                    outcome.batch,
                )
            )

        try:
            outcome.answer = self.client.send_body(
                body, len(chunk), self.stop, write_ahead
            )
            outcome.seconds = time.monotonic() - outcome.seconds
        except ApiError as exc:
            outcome.error = exc
            if batch:
                # a cancelled batch that surely never arrived stays unsent
                posted = not (
                    isinstance(exc, CancelledError) and not exc.maybe_delivered
                )
                outcome.posted = posted
                writer.settle_error(
                    batch[0], str(exc), exc.maybe_delivered, exc.request_id, posted
                )
        else:
            outcome.posted = True
            writer.settle(batch[0], outcome.answer)
        return outcome

    def _collect(self, pending: set[Future[_Outcome]]) -> None:
        done, _ = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
        self._stopping()
        for future in done:
            pending.discard(future)
            outcome = future.result()
            results: list[RowResult] = []
            if outcome.answer is not None:
                self.round_trip += 0.2 * (outcome.seconds - self.round_trip)
                results = self._answered(outcome.batch, outcome.answer)
            elif outcome.error is not None:
                results = self._failed(outcome)
            self.done += len(outcome.batch)
            self.settled += 1
            if results and self.on_results:
                self.on_results(results)
        if done:
            self._progress()

    def _answered(self, batch: Batch, answer: BatchAnswer) -> list[RowResult]:
        summary = self.summary
        for event, count in answer.tally().items():
            summary.processed += count if event.status == PROCESSED else 0
            summary.failed += count if event.status == FAILED else 0
            summary.warnings += count if event.warning_message is not None else 0
        summary.sent += len(batch)
        self.answered += len(batch)
        if self.on_results is None:
            return []  # nobody listens: spare building a result per row
        rid = answer.request_id
        return [
            RowResult(i, r, e, a.status, a.error_message, a.warning_message, rid)
            for (i, r, e), a in zip(batch.entries(), answer.events, strict=True)
        ]

    def _failed(self, outcome: _Outcome) -> list[RowResult]:
        """Count a batch without per-event answers; stop the run when it must."""
        exc = outcome.error
        assert exc is not None
        if isinstance(exc, CancelledError) and not outcome.posted:
            return []  # never sent: these rows stay unsent
        message, batch = str(exc), outcome.batch
        # no answer at all, a refused token, or an address that is not the API
        fatal = isinstance(exc, AuthError) or exc.status in (None, 404)
        fatal = fatal or (exc.status or 0) >= 500
        if fatal and not isinstance(exc, CancelledError) and self.summary.fatal is None:
            self.summary.fatal = message
            self.summary.fatal_status = exc.status
            logger.error("Run %s stopped: %s", self.summary.run_id, message)
        if fatal:
            self.stop.set()
        self.summary.sent += len(batch)
        status = UNCONFIRMED if exc.maybe_delivered else FAILED
        if status == UNCONFIRMED:
            self.summary.unconfirmed += len(batch)
        else:
            self.summary.failed += len(batch)
        rid = exc.request_id
        return [
            RowResult(i, r, e, status, message, None, rid)
            for i, r, e in batch.entries()
        ]

    def _progress(self) -> None:
        if self.on_progress is None:
            return
        elapsed = time.monotonic() - self.started
        rate = self.answered / elapsed if elapsed > 0 else 0.0
        left = self.total - self.done
        eta = left / rate if rate > 0 else None
        self.on_progress(Progress(self.done, self.total, rate, eta))

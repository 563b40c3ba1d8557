"""Sending a checked file: skip what went before, post the rest, record every answer."""

from __future__ import annotations

import logging
import threading
from array import array
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

from pinupload.core.api import ApiError, PinterestClient
from pinupload.core.ledger import Ledger, LedgerBusy
from pinupload.core.model import ERROR, Problem, Table
from pinupload.core.results import (
    INVALID,
    PROCESSED,
    SKIPPED,
    UNCONFIRMED,
    Progress,
    RowResult,
    UploadSummary,
)
from pinupload.core.sender import Sender

__all__ = [
    "ApiError",
    "LedgerBusy",
    "Progress",
    "RowResult",
    "Sendable",
    "UploadSummary",
    "run_upload",
]

logger = logging.getLogger(__name__)


class Sendable(Protocol):
    """What run_upload needs of a checked file (the engine's CheckResult has it)."""

    table: Table
    event_ids: list[str | None]

    @property
    def rows(self) -> int: ...

    @property
    def problems_by_index(self) -> dict[int, list[Problem]]: ...

    def build_events(self, indices: Sequence[int]) -> list[dict[str, Any]]: ...

    def row_number(self, index: int) -> int: ...


def run_upload(
    checked: Sendable,
    account_id: str,
    token: str,
    *,
    test: bool,
    resend_unconfirmed: bool = False,
    on_progress: Callable[[Progress], None] | None = None,
    on_results: Callable[[list[RowResult]], None] | None = None,
    cancel: threading.Event | None = None,
    client: PinterestClient | None = None,
) -> UploadSummary:
    """Send the valid rows of `checked` to the ad account; return the run's counts.

    A real run skips events Pinterest already processed for this account, and leaves
    out unconfirmed ones unless `resend_unconfirmed`. Callbacks are called in the
    caller's thread. Trouble during the run (a refused token, no network after every
    retry) stops it and is returned as `summary.fatal`. Raises ApiError (malformed
    account id or API URL) and LedgerBusy (another run is sending) before starting.
    """
    client = client or PinterestClient(account_id, token, test=test)
    ledger = Ledger.open()
    try:
        ledger.claim()
        return _run(
            ledger, checked, client, resend_unconfirmed, on_progress, on_results, cancel
        )
    finally:
        ledger.close()


def _run(
    ledger: Ledger,
    checked: Sendable,
    client: PinterestClient,
    resend_unconfirmed: bool,
    on_progress: Callable[[Progress], None] | None,
    on_results: Callable[[list[RowResult]], None] | None,
    cancel: threading.Event | None,
) -> UploadSummary:
    account, test = client.account_id, client.test
    ids = checked.event_ids
    # arrays, not lists: the collector never walks them, however many rows
    valid = array("q", (i for i, e in enumerate(ids) if e is not None))
    run_id = ledger.begin_run(
        account,
        test,
        str(Path(checked.table.path).name),
        checked.rows,
        len(valid),
        checked.rows - len(valid),
    )
    summary = UploadSummary(run_id, test, rows=checked.rows, valid=len(valid))
    summary.invalid = checked.rows - len(valid)
    logger.info("Run %s started: %d valid rows (test=%s)", run_id, len(valid), test)

    held = _invalid_rows(checked)
    to_send = valid
    if not test:
        states = ledger.event_states(account, (ids[i] or "" for i in valid))
        held += _held_rows(checked, valid, states, resend_unconfirmed)
        to_send = array(
            "q",
            (i for i in valid if _free(states.get(ids[i] or ""), resend_unconfirmed)),
        )
    ledger.record_rows(run_id, held)
    for result in held:
        summary.skipped += result.status == SKIPPED
        summary.unconfirmed += result.status == UNCONFIRMED
    if on_results and held:
        on_results(held)

    lock = ledger.lock_fileno()
    sender = Sender(
        ledger.path,
        client,
        checked,
        summary,
        on_progress,
        on_results,
        cancel,
        close_in_child=[lock] if lock is not None else [],
    )
    sender.run(to_send, already_done=len(valid) - len(to_send))
    ledger.finish_run(summary)
    logger.info(
        "Run %s finished: %d sent, %d processed, %d failed, %d skipped, %d unconfirmed",
        run_id,
        summary.sent,
        summary.processed,
        summary.failed,
        summary.skipped,
        summary.unconfirmed,
    )
    return summary


def _free(state: str | None, resend_unconfirmed: bool) -> bool:
    return state is None or (state == UNCONFIRMED and resend_unconfirmed)


def _invalid_rows(checked: Sendable) -> list[RowResult]:
    results = []
    by_index = checked.problems_by_index
    for index, event_id in enumerate(checked.event_ids):
        if event_id is None:
            errors = [p.message for p in by_index.get(index, []) if p.severity == ERROR]
            message = " ".join(errors) or "The row cannot be sent."
            results.append(
                RowResult(index, checked.row_number(index), None, INVALID, message)
            )
    return results


def _held_rows(
    checked: Sendable,
    valid: Sequence[int],
    states: dict[str, str],
    resend_unconfirmed: bool,
) -> list[RowResult]:
    """The rows a real run does not send: already processed, or unconfirmed."""
    results = []
    for index in valid:
        event_id = checked.event_ids[index] or ""
        state = states.get(event_id)
        if state == PROCESSED:
            message = "Already sent to Pinterest in an earlier run."
            results.append(_row(checked, index, SKIPPED, message))
        elif state == UNCONFIRMED and not resend_unconfirmed:
            message = (
                "An earlier run stopped while sending this row: it may or may not "
                "have arrived. Send it again only if Pinterest does not show it."
            )
            results.append(_row(checked, index, UNCONFIRMED, message))
    return results


def _row(checked: Sendable, index: int, status: str, message: str) -> RowResult:
    event_id = checked.event_ids[index]
    return RowResult(index, checked.row_number(index), event_id, status, message)

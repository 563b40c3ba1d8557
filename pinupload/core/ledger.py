"""The ledger: which events went to which ad account, so no sale is sent twice.

A batch is written as in flight before it is posted and settled after its answer, in
one SQLite transaction each (WAL, synchronous=FULL). Event ids are written once, at
write-ahead; a batch's per-event answers are kept on the batch, and only failed events
get a mark of their own.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import orjson

from pinupload import paths
from pinupload.core.answers import BatchAnswer
from pinupload.core.ledgerschema import SCHEMA, run_info, summary_of
from pinupload.core.lockfile import LockFile
from pinupload.core.results import (
    FAILED,
    PROCESSED,
    UNCONFIRMED,
    RowResult,
    RunInfo,
    UploadSummary,
)

logger = logging.getLogger(__name__)

LEDGER_FILE = "ledger.sqlite3"
LOCK_FILE = "send.lock"
CHUNK = 500  # ids per IN (...) query, well under SQLite's variable limit


class LedgerBusy(Exception):  # noqa: N818 (reads as what it is)
    """Another run holds the ledger; str() is a sentence for the user."""


@dataclass(frozen=True, slots=True)
class UnconfirmedEvent:
    """An event on its way when a run stopped: it may or may not have arrived."""

    event_id: str
    row: int
    run_id: int
    batch_id: int
    posted: float


class Ledger:
    """The SQLite ledger in the data folder; one per thread."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db = sqlite3.connect(path, isolation_level=None, timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        # FULL: an in-flight mark that a power cut could lose would allow a resend
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(f"BEGIN IMMEDIATE; {SCHEMA} COMMIT;")
        self._lock = LockFile(path.with_name(LOCK_FILE))

    @classmethod
    def open(cls, folder: Path | None = None) -> Ledger:
        """Return the ledger of `folder` (default: the app's data folder)."""
        return cls((folder or paths.data_dir()) / LEDGER_FILE)

    def close(self) -> None:
        self.release()
        self._db.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def claim(self) -> None:
        """Become the one run that sends from this data folder.

        Batches left in flight by runs that died are marked unconfirmed. Raises
        LedgerBusy when another run is sending.
        """
        if not self._lock.try_acquire():
            raise LedgerBusy(
                "Another pinupload run is sending from this computer right now; "
                "wait until it has finished, then try again."
            )
        self._recover()

    def release(self) -> None:
        self._lock.release()

    def _recover(self) -> None:
        with self._tx() as db:
            db.execute(
                "UPDATE batches SET state = ? WHERE state = 'in_flight'", [UNCONFIRMED]
            )
            dead = [
                r[0] for r in db.execute("SELECT id FROM runs WHERE finished IS NULL")
            ]
        for run_id in dead:
            sent = self._db.execute(
                "SELECT COUNT(*) FROM batch_events e JOIN batches b"
                " ON b.id = e.batch_id WHERE b.run_id = ? AND b.state != 'not_sent'",
                [run_id],
            ).fetchone()[0]
            base = self._run_summary_base(run_id)
            summary = summary_of(base, self.run_rows(run_id), sent)
            summary.fatal = "The run was interrupted before it finished."
            self.finish_run(summary)
            logger.warning("Run %s had been interrupted", run_id)

    def begin_run(
        self,
        account_id: str,
        test: bool,
        file: str | None,
        rows: int,
        valid: int,
        invalid: int,
    ) -> int:
        """Record a new run and return its id."""
        with self._tx() as db:
            cur = db.execute(
                "INSERT INTO runs (account_id, test, started, file, rows, valid,"
                " invalid) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [account_id, test, time.time(), file, rows, valid, invalid],
            )
        return int(cur.lastrowid or 0)

    def finish_run(self, summary: UploadSummary) -> None:
        """Store the final counts of a run."""
        s = summary
        with self._tx() as db:
            db.execute(
                "UPDATE runs SET finished = ?, sent = ?, processed = ?, failed = ?,"
                " skipped = ?, unconfirmed = ?, warnings = ?, cancelled = ?, fatal = ?"
                " WHERE id = ?",
                [
                    time.time(),
                    s.sent,
                    s.processed,
                    s.failed,
                    s.skipped,
                    s.unconfirmed,
                    s.warnings,
                    s.cancelled,
                    s.fatal,
                    s.run_id,
                ],
            )

    def record_rows(self, run_id: int, results: Iterable[RowResult]) -> None:
        """Keep the outcome of rows not sent (skipped, unconfirmed, invalid)."""
        with self._tx() as db:
            db.executemany(
                "INSERT INTO run_rows VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    (
                        run_id,
                        r.index,
                        r.row,
                        r.event_id,
                        r.status,
                        r.error_message,
                        r.warning_message,
                    )
                    for r in results
                ),
            )

    def write_ahead(
        self,
        run_id: int,
        account_id: str,
        test: bool,
        entries: Sequence[tuple[int, int, str]],
    ) -> int:
        """Record a batch as in flight before it is posted; return its id.

        `entries` are (data-row index, spreadsheet row, event id), in request order.
        """
        with self._tx() as db:
            cur = db.execute(
                "INSERT INTO batches (run_id, account_id, test, state, posted)"
                " VALUES (?, ?, ?, 'in_flight', ?)",
                [run_id, account_id, test, time.time()],
            )
            batch_id = int(cur.lastrowid or 0)
            db.executemany(
                "INSERT INTO batch_events (batch_id, pos, event_id, row_index, row)"
                " VALUES (?, ?, ?, ?, ?)",
                ((batch_id, pos, e, i, r) for pos, (i, r, e) in enumerate(entries)),
            )
        return batch_id

    def settle(self, batch_id: int, answer: BatchAnswer) -> None:
        """Record Pinterest's per-event answer to a batch."""
        blob = orjson.dumps(
            [[e.status, e.error_message, e.warning_message] for e in answer.events]
        )
        failed = [
            (batch_id, p) for p, e in enumerate(answer.events) if e.status == FAILED
        ]
        with self._tx() as db:
            db.execute(
                "UPDATE batches SET state = 'answered', settled = ?, http_status = ?,"
                " request_id = ?, answers = ? WHERE id = ?",
                [time.time(), answer.http_status, answer.request_id, blob, batch_id],
            )
            db.executemany(
                "UPDATE batch_events SET failed = 1 WHERE batch_id = ? AND pos = ?",
                failed,
            )

    def settle_error(
        self,
        batch_id: int,
        message: str,
        *,
        maybe_delivered: bool,
        request_id: str | None = None,
        posted: bool = True,
    ) -> None:
        """Record a batch that got no per-event answer.

        `maybe_delivered` makes its events unconfirmed; otherwise they failed with
        `message` (or were never posted, when `posted` is False).
        """
        state = (
            UNCONFIRMED if maybe_delivered else ("refused" if posted else "not_sent")
        )
        with self._tx() as db:
            db.execute(
                "UPDATE batches SET state = ?, settled = ?, message = ?, request_id = ?"
                " WHERE id = ?",
                [state, time.time(), message, request_id, batch_id],
            )

    def event_states(self, account_id: str, event_ids: Iterable[str]) -> dict[str, str]:
        """Return PROCESSED or UNCONFIRMED for the ids sent for real to the account.

        Processed means Pinterest said so in some run; unconfirmed means the last
        attempt may or may not have arrived. Ids not in the result are free to send.
        """
        states: dict[str, str] = {}
        latest: dict[str, tuple[int, str]] = {}
        for chunk in _chunks(list(dict.fromkeys(event_ids))):
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                "SELECT e.event_id, b.id, b.state, e.failed FROM batch_events e"
                " JOIN batches b ON b.id = e.batch_id WHERE b.account_id = ?"
                " AND b.test = 0 AND b.state IN ('answered', 'refused', 'unconfirmed')"
                f" AND e.event_id IN ({marks})",
                [account_id, *chunk],
            )
            for event_id, batch_id, state, failed in rows:
                if state == "answered" and not failed:
                    states[event_id] = PROCESSED
                if batch_id > latest.get(event_id, (0, ""))[0]:
                    latest[event_id] = (batch_id, state)
        for event_id, (_, state) in latest.items():
            if state == UNCONFIRMED and event_id not in states:
                states[event_id] = UNCONFIRMED
        return states

    def already_sent(self, account_id: str, event_ids: Iterable[str]) -> set[str]:
        """Return those of `event_ids` Pinterest processed for real for the account."""
        states = self.event_states(account_id, event_ids)
        return {e for e, s in states.items() if s == PROCESSED}

    def unconfirmed(self, account_id: str) -> list[UnconfirmedEvent]:
        """Return the account's events whose arrival is unknown, oldest first."""
        rows = self._db.execute(
            "SELECT e.event_id, e.row, b.run_id, b.id, b.posted FROM batch_events e"
            " JOIN batches b ON b.id = e.batch_id WHERE b.account_id = ? AND b.test = 0"
            " AND b.state = 'unconfirmed' ORDER BY b.id, e.pos",
            [account_id],
        ).fetchall()
        states = self.event_states(account_id, (r[0] for r in rows))
        return [UnconfirmedEvent(*r) for r in rows if states.get(r[0]) == UNCONFIRMED]

    def runs(self, account_id: str | None = None) -> list[RunInfo]:
        """Return past runs, newest first (all accounts when `account_id` is None)."""
        where, args = ("WHERE account_id = ?", [account_id]) if account_id else ("", [])
        rows = self._db.execute(f"SELECT * FROM runs {where} ORDER BY id DESC", args)
        names = [d[0] for d in rows.description]
        return [run_info(dict(zip(names, r, strict=True))) for r in rows.fetchall()]

    def _run_summary_base(self, run_id: int) -> UploadSummary:
        row = self._db.execute(
            "SELECT test, rows, valid, invalid FROM runs WHERE id = ?", [run_id]
        ).fetchone()
        return UploadSummary(
            run_id, bool(row[0]), rows=row[1], valid=row[2], invalid=row[3]
        )

    def run_rows(self, run_id: int) -> list[RowResult]:
        """Return the outcome of every row of a run that has one, by row."""
        results = [
            RowResult(*r)
            for r in self._db.execute(
                "SELECT row_index, row, event_id, status, error_message,"
                " warning_message, NULL FROM run_rows WHERE run_id = ?",
                [run_id],
            )
        ]
        batches = self._db.execute(
            "SELECT id, state, message, request_id, answers FROM batches"
            " WHERE run_id = ? AND state != 'not_sent'",
            [run_id],
        ).fetchall()
        for batch_id, state, message, rid, blob in batches:
            answers = orjson.loads(blob) if blob else None
            events = self._db.execute(
                "SELECT pos, row_index, row, event_id FROM batch_events"
                " WHERE batch_id = ? ORDER BY pos",
                [batch_id],
            )
            for pos, index, row, event_id in events:
                if answers is not None:
                    status, error, warning = answers[pos]
                elif state == "refused":
                    status, error, warning = FAILED, message, None
                else:
                    status, error, warning = UNCONFIRMED, message, None
                results.append(
                    RowResult(index, row, event_id, status, error, warning, rid)
                )
        results.sort(key=lambda r: r.index)
        return results


def _chunks(items: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]

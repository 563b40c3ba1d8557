"""The ledger: which events went to which ad account, so no sale is sent twice.

A batch is written as in flight before it is posted (a durable transaction) and
settled after its answer: one row per batch, event ids written once, at write-ahead,
and the per-event answers kept on the batch. Writing a row per event cost more than
the sending itself at Pinterest's pace.
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
from pinupload.core.ledgerschema import (
    SCHEMA,
    decode_answers,
    run_info,
    summary_of,
)
from pinupload.core.ledgerwrites import (
    Batch,
    Entry,
    insert_batch,
    record_answer,
    record_error,
)
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
_WANTED_SLICE = 200_000


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
    def transaction(self, durable: bool = False) -> Iterator[sqlite3.Connection]:
        """A write transaction; `durable` syncs it to disk before returning.

        Only write-ahead needs that: a settle lost to a power cut leaves its batch
        in flight, which the next run reports as unconfirmed, never as unsent.
        """
        self._db.execute(f"PRAGMA synchronous={'FULL' if durable else 'NORMAL'}")
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

    def lock_fileno(self) -> int | None:
        """Return the descriptor of the claim's lock (forked children must close it)."""
        return self._lock.fileno()

    def _recover(self) -> None:
        with self.transaction() as db:
            db.execute(
                "UPDATE batches SET state = ? WHERE state = 'in_flight'", [UNCONFIRMED]
            )
            dead = [
                r[0] for r in db.execute("SELECT id FROM runs WHERE finished IS NULL")
            ]
        for run_id in dead:
            sent = self._db.execute(
                "SELECT COALESCE(SUM(size), 0) FROM batches"
                " WHERE run_id = ? AND state != 'not_sent'",
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
        with self.transaction() as db:
            cur = db.execute(
                "INSERT INTO runs (account_id, test, started, file, rows, valid,"
                " invalid) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [account_id, test, time.time(), file, rows, valid, invalid],
            )
        return int(cur.lastrowid or 0)

    def finish_run(self, summary: UploadSummary) -> None:
        """Store the final counts of a run."""
        s = summary
        with self.transaction() as db:
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
        with self.transaction() as db:
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
        batches: Sequence[Sequence[Entry]],
    ) -> list[int]:
        """Record batches as in flight before they are posted; return their ids.

        Each batch lists (data-row index, spreadsheet row, event id) in request
        order. All are written in one durable transaction.
        """
        with self.transaction(durable=True) as db:
            return [
                insert_batch(db, run_id, account_id, test, Batch.of(b)) for b in batches
            ]

    def settle(self, batch_id: int, answer: BatchAnswer) -> None:
        """Record Pinterest's per-event answer to a batch."""
        with self.transaction() as db:
            record_answer(db, batch_id, answer)

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
        with self.transaction() as db:
            record_error(db, batch_id, message, maybe_delivered, request_id, posted)

    def event_states(self, account_id: str, event_ids: Iterable[str]) -> dict[str, str]:
        """Return PROCESSED or UNCONFIRMED for the ids sent for real to the account.

        Processed means Pinterest said so in some run; unconfirmed means the last
        attempt may or may not have arrived. Ids not in the result are free to send.
        """
        # Sets of at most _WANTED_SLICE ids: building one of a million is a call
        # that holds the interpreter lock for a tenth of a second, which froze
        # the window sending from another thread.
        listed = list(event_ids)
        slices = [
            set(listed[k : k + _WANTED_SLICE])
            for k in range(0, len(listed), _WANTED_SLICE)
        ]
        states: dict[str, str] = {}
        latest: dict[str, str] = {}  # state of the newest batch holding the id
        rows = self._db.execute(
            "SELECT state, event_ids, answers FROM batches WHERE account_id = ?"
            " AND test = 0 AND state IN ('answered', 'refused', 'unconfirmed')"
            " ORDER BY id",
            [account_id],
        )
        for state, ids_text, blob in rows:
            ids = orjson.loads(ids_text)
            hit = [wanted for wanted in slices if not wanted.isdisjoint(ids)]
            if not hit:
                continue  # the common case, at C speed
            answers = decode_answers(blob) if blob else None
            for pos, event_id in enumerate(ids):
                if any(event_id in wanted for wanted in hit):
                    latest[event_id] = state
                    if answers is not None and answers[pos][0] == PROCESSED:
                        states[event_id] = PROCESSED
        for event_id, state in latest.items():
            if state == UNCONFIRMED and event_id not in states:
                states[event_id] = UNCONFIRMED
        return states

    def already_sent(self, account_id: str, event_ids: Iterable[str]) -> set[str]:
        """Return those of `event_ids` Pinterest processed for real for the account."""
        states = self.event_states(account_id, event_ids)
        return {e for e, s in states.items() if s == PROCESSED}

    def unconfirmed(self, account_id: str) -> list[UnconfirmedEvent]:
        """Return the account's events whose arrival is unknown, oldest first."""
        found = []
        rows = self._db.execute(
            "SELECT id, run_id, posted, event_ids, positions FROM batches"
            " WHERE account_id = ? AND test = 0 AND state = 'unconfirmed' ORDER BY id",
            [account_id],
        )
        for batch_id, run_id, posted, ids_text, positions in rows.fetchall():
            _indices, numbers = orjson.loads(positions)
            for event_id, row in zip(orjson.loads(ids_text), numbers, strict=True):
                found.append(UnconfirmedEvent(event_id, row, run_id, batch_id, posted))
        states = self.event_states(account_id, (u.event_id for u in found))
        return [u for u in found if states.get(u.event_id) == UNCONFIRMED]

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
            "SELECT state, message, request_id, answers, event_ids, positions"
            " FROM batches WHERE run_id = ? AND state != 'not_sent'",
            [run_id],
        )
        for state, message, rid, blob, ids_text, positions in batches.fetchall():
            answers = decode_answers(blob) if blob else None
            indices, numbers = orjson.loads(positions)
            triples = zip(orjson.loads(ids_text), indices, numbers, strict=True)
            for pos, (event_id, index, row) in enumerate(triples):
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

"""The ledger's writes, shared by Ledger and the sender's writer thread."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Sequence

import orjson

from pinupload.core.answers import BatchAnswer
from pinupload.core.ledgerschema import encode_answers
from pinupload.core.results import UNCONFIRMED

Entry = tuple[int, int, str]  # data-row index, spreadsheet row, event id


def insert_batch(
    db: sqlite3.Connection,
    run_id: int,
    account_id: str,
    test: bool,
    entries: Sequence[Entry],
) -> int:
    """Insert one in-flight batch, its events in one row; return the batch id."""
    event_ids = orjson.dumps([e for _i, _r, e in entries]).decode()
    positions = orjson.dumps([[i, r] for i, r, _e in entries]).decode()
    cur = db.execute(
        "INSERT INTO batches (run_id, account_id, test, state, size, event_ids,"
        " positions, posted) VALUES (?, ?, ?, 'in_flight', ?, ?, ?, ?)",
        [run_id, account_id, test, len(entries), event_ids, positions, time.time()],
    )
    return int(cur.lastrowid or 0)


def record_answer(db: sqlite3.Connection, batch_id: int, answer: BatchAnswer) -> None:
    """Settle a batch with its per-event answers."""
    db.execute(
        "UPDATE batches SET state = 'answered', settled = ?, http_status = ?,"
        " request_id = ?, answers = ? WHERE id = ?",
        [
            time.time(),
            answer.http_status,
            answer.request_id,
            encode_answers(answer.events),
            batch_id,
        ],
    )


def record_error(
    db: sqlite3.Connection,
    batch_id: int,
    message: str,
    maybe_delivered: bool,
    request_id: str | None,
    posted: bool,
) -> None:
    """Settle a batch that got no per-event answer (see Ledger.settle_error)."""
    state = UNCONFIRMED if maybe_delivered else ("refused" if posted else "not_sent")
    db.execute(
        "UPDATE batches SET state = ?, settled = ?, message = ?, request_id = ?"
        " WHERE id = ?",
        [state, time.time(), message, request_id, batch_id],
    )

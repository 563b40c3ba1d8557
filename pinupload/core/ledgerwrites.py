"""The ledger's writes, shared by Ledger and the sender's writer thread."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import orjson

from pinupload.core.answers import BatchAnswer
from pinupload.core.ledgerschema import encode_answers
from pinupload.core.results import UNCONFIRMED

Entry = tuple[int, int, str]  # data-row index, spreadsheet row, event id


@dataclass(slots=True)
class Batch:
    """The rows of one call, as three parallel lists (cheap to store as JSON)."""

    indices: list[int]  # data-row index in the file
    rows: list[int]  # spreadsheet row number
    ids: list[str]  # event id

    @classmethod
    def of(cls, entries: Sequence[Entry]) -> Batch:
        """Return the batch of (index, row, event id) entries."""
        return cls(
            [e[0] for e in entries], [e[1] for e in entries], [e[2] for e in entries]
        )

    def __len__(self) -> int:
        return len(self.ids)

    def entries(self) -> Iterator[Entry]:
        """Yield (data-row index, spreadsheet row, event id) in request order."""
        return zip(self.indices, self.rows, self.ids, strict=True)


def insert_batch(
    db: sqlite3.Connection,
    run_id: int,
    account_id: str,
    test: bool,
    batch: Batch,
) -> int:
    """Insert one in-flight batch, its events in one row; return the batch id."""
    event_ids = orjson.dumps(batch.ids).decode()
    positions = orjson.dumps([batch.indices, batch.rows]).decode()
    cur = db.execute(
        "INSERT INTO batches (run_id, account_id, test, state, size, event_ids,"
        " positions, posted) VALUES (?, ?, ?, 'in_flight', ?, ?, ?, ?)",
        [run_id, account_id, test, len(batch), event_ids, positions, time.time()],
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

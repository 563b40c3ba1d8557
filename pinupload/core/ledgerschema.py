"""The ledger's tables, and turning its rows back into results."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

import orjson

from pinupload.core.answers import EventAnswer
from pinupload.core.results import RowResult, RunInfo, UploadSummary

# One row per batch, whatever its size: its event ids (a JSON list, written once),
# the data-row index and spreadsheet row of each (JSON [[index, row], ...]) and, once
# answered, the per-event answers in runs (see encode_answers).
# batches.state: in_flight (written before the post), answered (per-event answers in
# `answers`), refused (no event taken: `message`), unconfirmed (may have arrived),
# not_sent (never posted: cancelled first)
SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    account_id TEXT NOT NULL,
    test INTEGER NOT NULL,
    started REAL NOT NULL,
    finished REAL,
    file TEXT,
    rows INTEGER NOT NULL DEFAULT 0,
    valid INTEGER NOT NULL DEFAULT 0,
    invalid INTEGER NOT NULL DEFAULT 0,
    sent INTEGER NOT NULL DEFAULT 0,
    processed INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0,
    skipped INTEGER NOT NULL DEFAULT 0,
    unconfirmed INTEGER NOT NULL DEFAULT 0,
    warnings INTEGER NOT NULL DEFAULT 0,
    cancelled INTEGER NOT NULL DEFAULT 0,
    fatal TEXT
);
CREATE TABLE IF NOT EXISTS batches (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs (id),
    account_id TEXT NOT NULL,
    test INTEGER NOT NULL,
    state TEXT NOT NULL,
    size INTEGER NOT NULL,
    event_ids TEXT NOT NULL,
    positions TEXT NOT NULL,
    posted REAL,
    settled REAL,
    http_status INTEGER,
    request_id TEXT,
    message TEXT,
    answers BLOB
);
CREATE INDEX IF NOT EXISTS batches_run ON batches (run_id);
CREATE INDEX IF NOT EXISTS batches_account ON batches (account_id, test, state);
CREATE TABLE IF NOT EXISTS run_rows (
    run_id INTEGER NOT NULL REFERENCES runs (id),
    row_index INTEGER NOT NULL,
    row INTEGER NOT NULL,
    event_id TEXT,
    status TEXT NOT NULL,
    error_message TEXT,
    warning_message TEXT
);
CREATE INDEX IF NOT EXISTS run_rows_run ON run_rows (run_id);
"""

COUNTS = ("sent", "processed", "failed", "skipped", "unconfirmed", "warnings")


def run_info(row: dict[str, Any]) -> RunInfo:
    """Return the RunInfo of one `runs` row (column name -> value)."""
    summary = UploadSummary(
        row["id"],
        bool(row["test"]),
        rows=row["rows"],
        valid=row["valid"],
        invalid=row["invalid"],
        cancelled=bool(row["cancelled"]),
        fatal=row["fatal"],
        **{name: row[name] for name in COUNTS},
    )
    return RunInfo(
        row["id"],
        row["account_id"],
        bool(row["test"]),
        row["started"],
        row["finished"],
        row["file"],
        summary,
    )


def summary_of(
    base: UploadSummary, results: Iterable[RowResult], sent: int
) -> UploadSummary:
    """Return `base` with its counts taken from the rows' outcomes."""
    statuses: Counter[str] = Counter()
    for result in results:
        statuses[result.status] += 1
        if result.warning_message:
            base.warnings += 1
    base.sent = sent
    base.processed = statuses["processed"]
    base.failed = statuses["failed"]
    base.skipped = statuses["skipped"]
    base.unconfirmed = statuses["unconfirmed"]
    return base


def encode_answers(events: Sequence[EventAnswer]) -> bytes:
    """Return a batch's answers as JSON runs: [[count, status, error, warning], ...]."""
    runs = [
        [len(list(group)), e.status, e.error_message, e.warning_message]
        for e, group in itertools.groupby(events)
    ]
    return orjson.dumps(runs)


def decode_answers(blob: bytes) -> list[tuple[str, str | None, str | None]]:
    """Return one (status, error, warning) per event from `encode_answers`' blob."""
    answers: list[tuple[str, str | None, str | None]] = []
    for count, status, error, warning in orjson.loads(blob):
        answers.extend([(status, error, warning)] * count)
    return answers

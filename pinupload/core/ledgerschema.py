"""The ledger's tables, and turning its rows back into results."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from pinupload.core.results import RowResult, RunInfo, UploadSummary

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
    posted REAL,
    settled REAL,
    http_status INTEGER,
    request_id TEXT,
    message TEXT,
    answers BLOB
);
CREATE INDEX IF NOT EXISTS batches_run ON batches (run_id);
CREATE INDEX IF NOT EXISTS batches_state ON batches (state);
CREATE TABLE IF NOT EXISTS batch_events (
    batch_id INTEGER NOT NULL REFERENCES batches (id),
    pos INTEGER NOT NULL,
    event_id TEXT NOT NULL,
    row_index INTEGER NOT NULL,
    row INTEGER NOT NULL,
    failed INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (batch_id, pos)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS batch_events_id ON batch_events (event_id);
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

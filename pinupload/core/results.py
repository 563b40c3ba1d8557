"""What a run reports: per-row outcomes, progress, the summary and past runs."""

from __future__ import annotations

from dataclasses import dataclass

PROCESSED = "processed"
FAILED = "failed"
SKIPPED = "skipped"  # already sent for real in an earlier run
UNCONFIRMED = "unconfirmed"  # was on its way when a run stopped: may have arrived
INVALID = "invalid"
STATUSES = (PROCESSED, FAILED, SKIPPED, UNCONFIRMED, INVALID)


@dataclass(frozen=True, slots=True)
class RowResult:
    """What happened to one data row of the file."""

    index: int  # data-row index in the file
    row: int  # spreadsheet row number
    event_id: str | None
    status: str  # one of STATUSES
    error_message: str | None = None
    warning_message: str | None = None
    request_id: str | None = None


@dataclass(frozen=True, slots=True)
class Progress:
    """How far a run is: rows settled of the rows to settle."""

    done: int
    total: int
    rate: float  # events answered per second
    eta_seconds: float | None


@dataclass(slots=True)
class UploadSummary:
    """The counts of a run; `fatal` is the user message when the run had to stop."""

    run_id: int
    test: bool
    rows: int = 0
    valid: int = 0
    invalid: int = 0
    sent: int = 0
    processed: int = 0
    failed: int = 0
    skipped: int = 0
    unconfirmed: int = 0
    warnings: int = 0
    cancelled: bool = False
    fatal: str | None = None
    fatal_status: int | None = None  # 401 or 403 when the token or account was refused

    def as_dict(self) -> dict[str, object]:
        """Return the counts as `send --json` spells them."""
        return {
            "test": self.test,
            "rows": self.rows,
            "valid": self.valid,
            "invalid": self.invalid,
            "sent": self.sent,
            "processed": self.processed,
            "failed": self.failed,
            "skipped": self.skipped,
            "unconfirmed": self.unconfirmed,
            "warnings": self.warnings,
            "run_id": self.run_id,
        }


@dataclass(frozen=True, slots=True)
class RunInfo:
    """One past run as the history shows it."""

    run_id: int
    account_id: str
    test: bool
    started: float  # Unix time
    finished: float | None
    file: str | None
    summary: UploadSummary

"""`pinupload history`: past runs with their counts, newest first."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

import orjson

from pinupload.core.ledger import Ledger
from pinupload.core.results import RunInfo


def add_arguments(sub: argparse._SubParsersAction) -> None:
    """Register `history`."""
    parser = sub.add_parser(
        "history",
        help="list past runs and their counts",
        description="List past send runs, newest first, with what happened to "
        "their rows.",
    )
    parser.add_argument("--ad-account", metavar="ID", help="only this ad account")
    parser.add_argument(
        "--limit", type=int, default=50, metavar="N", help="at most N runs (50)"
    )
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run `history`; return its exit status."""
    with Ledger.open() as ledger:
        runs = ledger.runs(args.ad_account)[: max(args.limit, 0)]
    if args.json:
        body = {"runs": [run_dict(r) for r in runs]}
        sys.stdout.buffer.write(orjson.dumps(body) + b"\n")
        return 0
    if not runs:
        print("No runs yet.")
    for info in runs:
        print(render_run(info))
    return 0


def _when(timestamp: float | None) -> str | None:
    if timestamp is None:
        return None
    when = dt.datetime.fromtimestamp(timestamp, dt.UTC)
    return when.isoformat(timespec="seconds")


def run_dict(info: RunInfo) -> dict[str, object]:
    """Return one run as `history --json` spells it."""
    summary = info.summary
    return {
        **summary.as_dict(),
        "account_id": info.account_id,
        "file": info.file,
        "started": _when(info.started),
        "finished": _when(info.finished),
        "cancelled": summary.cancelled,
        "fatal": summary.fatal,
    }


def render_run(info: RunInfo) -> str:
    """Return one readable line per run (two when it stopped early)."""
    s = info.summary
    started = dt.datetime.fromtimestamp(info.started).strftime("%Y-%m-%d %H:%M")
    kind = "test" if info.test else "real"
    line = (
        f"#{info.run_id} {started} {kind} ad account {info.account_id} "
        f"{info.file or '-'}: {s.rows} rows, {s.invalid} invalid, {s.sent} sent, "
        f"{s.processed} processed, {s.failed} failed, {s.skipped} skipped, "
        f"{s.unconfirmed} unconfirmed"
    )
    if s.fatal:
        line += f"\n    stopped: {s.fatal}"
    elif s.cancelled:
        line += "\n    cancelled before the end"
    return line

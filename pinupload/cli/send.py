"""`pinupload send`: send a spreadsheet's valid rows to Pinterest, each sale once."""

from __future__ import annotations

import argparse
import gc
import signal
import sqlite3
import sys
import threading
from pathlib import Path

import orjson

from pinupload import paths
from pinupload.cli.common import add_engine_options, fail, load_checked
from pinupload.cli.progress import ProgressBar
from pinupload.core.api import ApiError, PinterestClient, api_base_url, check_account_id
from pinupload.core.check import CheckResult
from pinupload.core.credentials import KeyringUnavailable, get_token
from pinupload.core.ledger import Ledger, LedgerBusy
from pinupload.core.report import write_report
from pinupload.core.results import FAILED, RowResult, UploadSummary
from pinupload.core.upload import run_upload

_SHOWN_FAILURES = 5


def add_arguments(sub: argparse._SubParsersAction) -> None:
    """Register `send`."""
    parser = sub.add_parser(
        "send",
        help="send a spreadsheet's rows to Pinterest",
        description="Send every valid row of a spreadsheet to the Conversions API, "
        "once: rows already sent to the ad account are skipped. Exit 0: every valid "
        "row was processed and none was invalid; 1: some rows were invalid, failed "
        "or unconfirmed; 2: the run could not proceed.",
    )
    add_engine_options(parser)
    parser.add_argument(
        "--ad-account", required=True, metavar="ID", help="the ad account id"
    )
    parser.add_argument(
        "--test",
        action="store_true",
        help="a test run: Pinterest checks the events but does not record them",
    )
    parser.add_argument("--yes", action="store_true", help="send without asking")
    parser.add_argument(
        "--resend-unconfirmed",
        action="store_true",
        help="send again rows an interrupted run may or may not have delivered",
    )
    parser.add_argument(
        "--report",
        type=Path,
        metavar="OUT",
        help="write every row's outcome (.xlsx, .csv)",
    )
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run `send`; return its exit status."""
    if args.report and args.report.suffix.lower() not in (".xlsx", ".csv"):
        fail(f"--report {args.report}: the report is an .xlsx or a .csv file")
        return 2
    try:
        check_account_id(args.ad_account)
        api_base_url()
        token = _token(args.ad_account)
    except (ApiError, KeyringUnavailable) as exc:
        fail(str(exc))
        return 2
    if token is None:
        return 2
    checked = load_checked(args)
    if checked is None:
        return 2
    if (
        not args.test
        and not args.yes
        and not _confirmed(checked.valid, args.ad_account)
    ):
        return 2
    client = PinterestClient(args.ad_account, token, test=args.test)
    summary, failures = _send(args, checked, client, token)
    if summary is None:
        return 2
    if args.report and not _report(args.report, checked, summary.run_id):
        return 2
    if args.json:
        sys.stdout.buffer.write(orjson.dumps(summary.as_dict()) + b"\n")
        if summary.fatal:
            fail(summary.fatal)
    else:
        print(render_summary(summary, failures, args.ad_account))
    return exit_status(summary)


def _token(account_id: str) -> str | None:
    token = get_token(account_id)
    if token is None:
        fail(
            f"no token is saved for ad account {account_id}: save one with "
            f"'pinupload token set --ad-account {account_id}', or set PINUPLOAD_TOKEN"
        )
    return token


def _confirmed(valid: int, account_id: str) -> bool:
    """Ask on the terminal before a real run; refuse without a terminal."""
    if not sys.stdin.isatty():
        fail(
            "a real send needs confirmation and there is no terminal to ask on; "
            "add --yes to send without asking, or --test to try first"
        )
        return False
    print(
        f"Send {valid:,} rows to Pinterest for real, to ad account {account_id}? "
        "Rows sent before are skipped; Pinterest counts every sale it receives.",
        file=sys.stderr,
    )
    # the question goes to stderr: stdout may carry --json
    sys.stderr.write("Type yes to send: ")
    sys.stderr.flush()
    answer = sys.stdin.readline()
    if answer.strip().lower() not in ("y", "yes"):
        fail("nothing was sent")
        return False
    return True


def _send(
    args: argparse.Namespace, checked: CheckResult, client: PinterestClient, token: str
) -> tuple[UploadSummary | None, list[RowResult]]:
    failures: list[RowResult] = []

    def keep_failures(results: list[RowResult]) -> None:
        room = _SHOWN_FAILURES - len(failures)
        if room > 0:
            failures.extend([r for r in results if r.status == FAILED][:room])

    # the checked rows live to the end of the run: keep the collector off them
    gc.freeze()
    cancel = threading.Event()
    previous = signal.signal(signal.SIGINT, lambda *_: cancel.set())
    bar = ProgressBar("Testing" if args.test else "Sending")
    try:
        summary = run_upload(
            checked,
            args.ad_account,
            token,
            test=args.test,
            resend_unconfirmed=args.resend_unconfirmed,
            on_progress=bar,
            on_results=keep_failures,
            cancel=cancel,
            client=client,
        )
    except (LedgerBusy, ApiError) as exc:
        fail(str(exc))
        return None, failures
    except (sqlite3.Error, OSError) as exc:
        fail(f"the ledger in {paths.data_dir()} cannot be written ({exc})")
        return None, failures
    except RuntimeError as exc:  # a process building request bodies failed
        fail(f"sending stopped: {exc}")
        return None, failures
    finally:
        bar.close()
        signal.signal(signal.SIGINT, previous)
    return summary, failures


def _report(path: Path, checked: CheckResult, run_id: int) -> bool:
    with Ledger.open() as ledger:
        results = ledger.run_rows(run_id)
    try:
        write_report(path, checked, results)
    except OSError as exc:
        fail(f"the report {path} cannot be written: {exc.strerror}")
        return False
    print(f"Report written to {path}", file=sys.stderr)
    return True


def exit_status(summary: UploadSummary) -> int:
    """0: every valid row processed, none invalid; 1: some rows not; 2: stopped."""
    if summary.fatal is not None or summary.cancelled:
        return 2
    clean = summary.invalid == summary.failed == summary.unconfirmed == 0
    return 0 if clean else 1


def render_summary(
    summary: UploadSummary, failures: list[RowResult], account_id: str
) -> str:
    """Return the readable end-of-run summary."""
    kind = "Test run" if summary.test else "Run"
    note = " (Pinterest recorded nothing)" if summary.test else ""
    lines = [
        f"{kind} {summary.run_id}{note} for ad account {account_id}: "
        f"{summary.rows:,} rows, "
        f"{summary.valid:,} valid, {summary.invalid:,} invalid",
        f"Sent {summary.sent:,}: {summary.processed:,} processed, "
        f"{summary.failed:,} failed, {summary.warnings:,} with warnings",
    ]
    if summary.skipped:
        lines.append(f"Skipped {summary.skipped:,} rows already sent in earlier runs")
    if summary.unconfirmed:
        lines.append(
            f"{summary.unconfirmed:,} rows are unconfirmed (an earlier run stopped "
            "while sending them); send them again with --resend-unconfirmed only if "
            "Pinterest does not show them"
        )
    for result in failures:
        lines.append(f"  Row {result.row}: {result.error_message}")
    if summary.cancelled:
        lines.append("Stopped before the end: the remaining rows were not sent")
    if summary.fatal:
        lines.append(f"Stopped: {summary.fatal}")
    return "\n".join(lines)

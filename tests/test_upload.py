"""Sending checked files to the stand-in server: every row once, every answer kept."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pinupload.core.api import PinterestClient
from pinupload.core.check import CheckResult, check_file
from pinupload.core.ledger import Ledger, LedgerBusy
from pinupload.core.model import Options
from pinupload.core.results import Progress, RowResult
from pinupload.core.upload import run_upload
from tests.pinterest_server import PinterestServer
from tests.sheets import recent, sales_rows, write_csv, write_xlsx

ACCOUNT, TOKEN = "123456", "good-token"


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[PinterestServer]:
    with PinterestServer() as srv:
        monkeypatch.setenv("PINUPLOAD_API_URL", srv.url)
        yield srv


def sales_file(tmp_path: Path, n: int, name: str = "sales.xlsx") -> CheckResult:
    """`n` sales; row 3 (index 1) is 10 days old, the last has no email."""
    rows: list[Any] = [list(r) for r in sales_rows(n)]
    rows[2][3] = recent(10)
    rows[-1][1] = ""
    rows[-1][2] = ""
    path = tmp_path / name
    (write_xlsx if name.endswith("xlsx") else write_csv)(path, rows)
    return check_file(path, Options())


def send(checked: CheckResult, test: bool = False, **kw: Any) -> Any:
    client = PinterestClient(
        ACCOUNT,
        TOKEN,
        test=test,
        backoff=0.01,
        attempts=2,
        batch_size=kw.pop("batch_size", 4),
    )
    return run_upload(checked, ACCOUNT, TOKEN, test=test, client=client, **kw)


def test_real_run_sends_each_row_and_maps_answers(
    server: PinterestServer, tmp_path: Path
) -> None:
    checked = sales_file(tmp_path, 10)
    results: list[RowResult] = []
    progress: list[Progress] = []
    summary = send(checked, on_results=results.extend, on_progress=progress.append)
    assert (summary.rows, summary.valid, summary.invalid) == (10, 9, 1)
    assert (summary.sent, summary.processed, summary.failed) == (9, 8, 1)
    assert summary.warnings == 8 and summary.fatal is None
    by_row = {r.row: r for r in results}
    assert by_row[3].status == "failed"
    assert by_row[3].error_message == "Given timestamp is in the past"
    assert by_row[11].status == "invalid" and by_row[11].event_id is None
    assert by_row[2].request_id in {c.rid for c in server.calls()}
    assert len(server.processed()) == 8
    assert progress[-1].done == progress[-1].total == 9
    with Ledger.open() as ledger:
        assert ledger.run_rows(summary.run_id) == sorted(results, key=lambda r: r.index)


def test_second_run_skips_what_was_processed(
    server: PinterestServer, tmp_path: Path
) -> None:
    send(sales_file(tmp_path, 10))
    calls = len(server.calls())
    again = sales_file(tmp_path, 10, name="renamed.csv")  # another file, same sales
    summary = send(again)
    assert (summary.skipped, summary.sent) == (8, 1)  # only the refused row again
    assert len(server.calls()) == calls + 1
    assert server.duplicates() == []


def test_test_run_records_nothing_as_sent(
    server: PinterestServer, tmp_path: Path
) -> None:
    checked = sales_file(tmp_path, 30)
    summary = send(checked, test=True, batch_size=None)
    assert summary.test and summary.processed == 28
    assert sorted(c.events for c in server.calls()) == [9, 20]
    assert server.violations() == []
    real = send(checked)
    assert (real.skipped, real.processed) == (0, 28)


def test_refused_token_stops_the_run(server: PinterestServer, tmp_path: Path) -> None:
    checked = sales_file(tmp_path, 10)
    client = PinterestClient(ACCOUNT, "revoked", test=False, batch_size=2)
    summary = run_upload(checked, ACCOUNT, "revoked", test=False, client=client)
    assert summary.fatal_status == 401 and "new conversion access token" in (
        summary.fatal or ""
    )
    assert summary.processed == 0 and server.received() == {}
    assert len(server.calls()) < 5  # it stopped, not one refusal per batch


def test_lost_answers_are_unconfirmed_until_resent_on_purpose(
    server: PinterestServer, tmp_path: Path
) -> None:
    checked = sales_file(tmp_path, 6)
    server.inject("drop_after")  # the batch arrives, its answer does not
    client = PinterestClient(ACCOUNT, TOKEN, test=False, retry_uncertain=False)
    first = run_upload(checked, ACCOUNT, TOKEN, test=False, client=client)
    assert first.unconfirmed == 5 and "could not be reached" in (first.fatal or "")
    second = send(checked)
    assert (second.unconfirmed, second.sent) == (5, 0)
    assert server.duplicates() == []
    third = send(checked, resend_unconfirmed=True)
    assert third.sent == 5
    assert len(server.duplicates()) == 4  # what resending risks, on purpose


def test_retried_lost_answers_count_twice(
    server: PinterestServer, tmp_path: Path
) -> None:
    server.inject("drop_after")
    summary = send(sales_file(tmp_path, 3), batch_size=10)
    assert summary.processed == 1 and summary.failed == 1
    assert len(server.duplicates()) == 1  # why retry_uncertain exists


def test_network_down_after_retries_is_fatal(
    server: PinterestServer, tmp_path: Path
) -> None:
    server.inject("503", count=50)
    summary = send(sales_file(tmp_path, 6), batch_size=10)
    assert "could not be reached" in (summary.fatal or "")
    assert summary.failed == 5 and server.received() == {}


def test_cancel_stops_before_the_next_batch(
    server: PinterestServer, tmp_path: Path
) -> None:
    checked = sales_file(tmp_path, 40)
    cancel = threading.Event()
    summary = send(
        checked, batch_size=2, cancel=cancel, on_results=lambda _: cancel.set()
    )
    assert summary.cancelled
    assert summary.sent < 38 and len(server.received()) == summary.sent


def test_only_one_run_at_a_time(server: PinterestServer, tmp_path: Path) -> None:
    checked = sales_file(tmp_path, 3)
    with Ledger.open() as other:
        other.claim()
        with pytest.raises(LedgerBusy):
            send(checked)
    assert server.calls() == []


def test_wrong_address_stops_the_run(
    server: PinterestServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PINUPLOAD_API_URL", server.url + "/nowhere")
    summary = send(sales_file(tmp_path, 10), batch_size=2)
    assert "HTTP 404" in (summary.fatal or "")
    assert len(server.calls()) == 1 and server.received() == {}


def test_bodies_from_forked_children(
    server: PinterestServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pinupload.core import bodies

    if bodies.worker_count(10**9) == 0:
        pytest.skip("bodies are forked on Linux only")
    monkeypatch.setattr(bodies, "MIN_ROWS", 1)
    checked = sales_file(tmp_path, 41)
    summary = send(checked, batch_size=3)
    assert (summary.processed, summary.failed, summary.invalid) == (39, 1, 1)
    assert server.duplicates() == [] and len(server.received()) == 40
    assert sorted(server.received()) == sorted(e for e in checked.event_ids if e)
    with Ledger.open() as ledger:
        ledger.claim()  # no child kept the lock


def test_a_failing_body_builder_stops_the_run(
    server: PinterestServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pinupload.core import bodies

    if bodies.worker_count(10**9) == 0:
        pytest.skip("bodies are forked on Linux only")
    monkeypatch.setattr(bodies, "MIN_ROWS", 1)
    checked = sales_file(tmp_path, 12)
    checked.event_ids[5] = "changed"  # build_events refuses a row it did not check
    with pytest.raises(RuntimeError, match="not sendable"):
        send(checked, batch_size=2)

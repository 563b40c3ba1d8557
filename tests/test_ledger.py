"""The ledger remembers what went where, across kills and concurrent runs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pinupload.core.answers import BatchAnswer, EventAnswer
from pinupload.core.ledger import Ledger, LedgerBusy
from pinupload.core.results import RowResult, UploadSummary

ROOT = Path(__file__).resolve().parent.parent
OK = EventAnswer("processed", None, "external_id is missing")
BAD = EventAnswer("failed", "Given timestamp is in the past", None)


def entries(*ids: str) -> list[tuple[int, int, str]]:
    return [(int(i[1:]), int(i[1:]) + 2, i) for i in ids]


def test_processed_events_are_skipped_failed_ones_are_not(app_home: Path) -> None:
    with Ledger.open() as ledger:
        ledger.claim()
        run = ledger.begin_run("1", False, "a.xlsx", 3, 3, 0)
        (batch,) = ledger.write_ahead(run, "1", False, [entries("e0", "e1", "e2")])
        ledger.settle(batch, BatchAnswer(422, "rid1", [OK, BAD, OK]))
        assert ledger.already_sent("1", ["e0", "e1", "e2", "e9"]) == {"e0", "e2"}
        assert ledger.already_sent("2", ["e0"]) == set()  # per ad account
        rows = ledger.run_rows(run)
        assert [(r.event_id, r.status, r.request_id) for r in rows] == [
            ("e0", "processed", "rid1"),
            ("e1", "failed", "rid1"),
            ("e2", "processed", "rid1"),
        ]
        assert rows[1].error_message == "Given timestamp is in the past"
        assert rows[0].row == 2


def test_ids_looked_up_in_slices_give_the_same_states(
    app_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Many ids are looked up a slice at a time; no id may fall between slices."""
    from pinupload.core import ledger as ledger_module

    ids = [f"e{i}" for i in range(10)]
    with Ledger.open() as ledger:
        ledger.claim()
        run = ledger.begin_run("1", False, "a.xlsx", 10, 10, 0)
        (batch,) = ledger.write_ahead(run, "1", False, [entries(*ids)])
        answers = [OK if i % 3 else BAD for i in range(10)]
        ledger.settle(batch, BatchAnswer(200, "rid", answers))
        whole = ledger.event_states("1", [*ids, "e99"])
        monkeypatch.setattr(ledger_module, "_WANTED_SLICE", 3)
        assert ledger.event_states("1", [*ids, "e99"]) == whole
    assert sorted(whole) == [i for n, i in enumerate(ids) if n % 3]


def test_test_runs_record_nothing_as_sent(app_home: Path) -> None:
    with Ledger.open() as ledger:
        run = ledger.begin_run("1", True, None, 1, 1, 0)
        (batch,) = ledger.write_ahead(run, "1", True, [entries("e0")])
        ledger.settle(batch, BatchAnswer(200, "rid", [OK]))
        assert ledger.already_sent("1", ["e0"]) == set()
        assert ledger.run_rows(run)[0].status == "processed"


def test_refused_and_unposted_batches_are_free_to_send(app_home: Path) -> None:
    with Ledger.open() as ledger:
        run = ledger.begin_run("1", False, None, 2, 2, 0)
        (refused,) = ledger.write_ahead(run, "1", False, [entries("e0")])
        ledger.settle_error(refused, "Pinterest refused it.", maybe_delivered=False)
        (unposted,) = ledger.write_ahead(run, "1", False, [entries("e1")])
        ledger.settle_error(unposted, "Cancelled.", maybe_delivered=False, posted=False)
        assert ledger.event_states("1", ["e0", "e1"]) == {}
        rows = ledger.run_rows(run)
        assert [(r.event_id, r.status) for r in rows] == [("e0", "failed")]


def kill_after_write_ahead(home: Path) -> None:
    code = (
        "import os, signal\n"
        "from pinupload.core.ledger import Ledger\n"
        "ledger = Ledger.open()\n"
        "ledger.claim()\n"
        "run = ledger.begin_run('1', False, 'a.csv', 2, 2, 0)\n"
        "ledger.write_ahead(run, '1', False, [[(0, 2, 'e0'), (1, 3, 'e1')]])\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    env = {"PINUPLOAD_HOME": str(home), "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, timeout=60)
    assert done.returncode == -9


def test_in_flight_batches_of_a_killed_run_become_unconfirmed(app_home: Path) -> None:
    kill_after_write_ahead(app_home)
    with Ledger.open() as ledger:
        ledger.claim()
        assert ledger.event_states("1", ["e0", "e1"]) == {
            "e0": "unconfirmed",
            "e1": "unconfirmed",
        }
        assert [u.event_id for u in ledger.unconfirmed("1")] == ["e0", "e1"]
        (old,) = ledger.runs()
        assert old.finished is not None and "interrupted" in (old.summary.fatal or "")
        assert (old.summary.sent, old.summary.unconfirmed) == (2, 2)

        # sent again on purpose and processed: no longer unconfirmed
        run = ledger.begin_run("1", False, "a.csv", 2, 2, 0)
        (batch,) = ledger.write_ahead(run, "1", False, [[(0, 2, "e0")]])
        ledger.settle(batch, BatchAnswer(200, "rid", [OK]))
        assert ledger.event_states("1", ["e0", "e1"]) == {
            "e0": "processed",
            "e1": "unconfirmed",
        }
        assert [u.event_id for u in ledger.unconfirmed("1")] == ["e1"]


def test_one_run_at_a_time(app_home: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\nfrom pinupload.core.ledger import Ledger\n"
            "ledger = Ledger.open()\nledger.claim()\n"
            "print('held', flush=True)\ntime.sleep(60)\n",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        with Ledger.open() as ledger:
            with pytest.raises(LedgerBusy, match="Another pinupload run"):
                ledger.claim()
            holder.kill()
            holder.wait(10)
            ledger.claim()  # the OS let the dead holder's lock go
    finally:
        holder.kill()


def test_history_keeps_every_run_and_row(app_home: Path) -> None:
    with Ledger.open() as ledger:
        run = ledger.begin_run("1", False, "b.xlsx", 3, 2, 1)
        ledger.record_rows(
            run,
            [
                RowResult(2, 4, None, "invalid", "Row 4: no email."),
                RowResult(0, 2, "e0", "skipped"),
            ],
        )
        (batch,) = ledger.write_ahead(run, "1", False, [[(1, 3, "e1")]])
        ledger.settle(batch, BatchAnswer(200, "rid", [OK]))
        summary = UploadSummary(run, False, rows=3, valid=2, invalid=1)
        summary.sent, summary.processed, summary.skipped = 1, 1, 1
        ledger.finish_run(summary)
        assert [r.status for r in ledger.run_rows(run)] == [
            "skipped",
            "processed",
            "invalid",
        ]
        (info,) = ledger.runs("1")
        assert (info.file, info.summary.processed, info.summary.skipped) == (
            "b.xlsx",
            1,
            1,
        )
        assert ledger.runs("2") == []

"""A real `pinupload send` killed at random moments, then resumed: no sale twice."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pinupload.core.ledger import Ledger
from tests.pinterest_server import PinterestServer
from tests.sheets import sales_rows, write_csv

ROOT = Path(__file__).resolve().parent.parent
ACCOUNT = "123456"
ROWS = 8000  # eight batches
ENDED = {"processed", "failed", "invalid", "unconfirmed", "skipped"}


def sales(path: Path) -> Path:
    rows: list[Any] = [list(r) for r in sales_rows(ROWS)]
    for row in rows[1::97]:
        row[1] = row[2] = ""  # a few rows that cannot be sent
    return write_csv(path, rows)


def start_send(file: Path, home: Path, url: str) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "PINUPLOAD_HOME": str(home),
        "PINUPLOAD_API_URL": url,
        "PINUPLOAD_TOKEN": "good-token",
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pinupload",
            "send",
            str(file),
            "--ad-account",
            ACCOUNT,
            "--yes",
            "--json",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def kill_at(process: subprocess.Popen[str], seconds: float) -> None:
    try:
        process.wait(seconds)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.wait(10)


def kill_resume(tmp_path: Path, seed: int) -> int:
    """Kill two runs at random moments, finish a third; return runs cut mid-send."""
    chance = random.Random(seed)
    tmp_path.mkdir()
    file = sales(tmp_path / "sales.csv")
    home = tmp_path / "home"
    with PinterestServer(latency=0.5, use_schema=False) as server:
        if seed == 2:
            server.inject("drop", count=2)  # refused before processing: retried
        for _ in range(2):
            kill_at(start_send(file, home, server.url), chance.uniform(0.6, 2.2))
        final = start_send(file, home, server.url)
        out, err = final.communicate(timeout=60)
        assert final.returncode in (0, 1), err
        summary = json.loads(out)
        arrived = server.processed()
        assert server.duplicates() == [], f"seed {seed}: a sale arrived twice"

    os.environ["PINUPLOAD_HOME"] = str(home)
    with Ledger.open() as ledger:
        rows = ledger.run_rows(summary["run_id"])
        history = ledger.runs()
    assert len(rows) == ROWS == summary["rows"]
    assert {r.status for r in rows} <= ENDED
    done = {r.event_id for r in rows if r.status in ("processed", "skipped")}
    unsure = {r.event_id for r in rows if r.status == "unconfirmed"}
    assert done <= set(arrived), "every processed row reached Pinterest"
    assert set(arrived) <= done | unsure, "nothing arrived that the ledger denies"
    assert summary["invalid"] == len(range(1, ROWS + 1, 97))
    return sum(1 for r in history if r.summary.fatal and r.summary.sent)


@pytest.mark.slow
def test_killed_runs_resume_without_duplicates(tmp_path: Path) -> None:
    cut = sum(kill_resume(tmp_path / str(seed), seed) for seed in (1, 2, 3))
    assert cut >= 1, "no kill landed while rows were on their way"

"""Cancelling a run, and a run killed mid-send: resend or leave its events."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from pinupload import paths
from pinupload.core.ledger import LEDGER_FILE
from tests.gui.conftest import ACCOUNT, TOKEN, WAIT_MS
from tests.pinterest_server import PinterestServer
from tests.sheets import sales_rows, write_csv

CRASHING_RUN = """
import sys
from pathlib import Path
from pinupload.core.check import check_file
from pinupload.core.model import Options
from pinupload.core.upload import run_upload
checked = check_file(Path(sys.argv[1]), Options())
run_upload(checked, sys.argv[2], sys.argv[3], test=False)
"""


def test_cancel_stops_cleanly(
    window: Any, qtbot: Any, open_file: Any, tmp_path: Path, server: Any, account: str
) -> None:
    server.state.latency = 0.2
    window.sending.reload_accounts(account)
    open_file(write_csv(tmp_path / "many.csv", sales_rows(400)))
    with qtbot.waitSignal(window.sending.session.send_progress, timeout=WAIT_MS):
        window.send_panel.send_button.click()
    with qtbot.waitSignal(window.sending.send_done, timeout=WAIT_MS) as blocker:
        window.send_panel.cancel_button.click()
        assert "Stopping" in window.send_panel.progress_label.text()
    summary = blocker.args[0]
    assert summary.cancelled
    assert 0 < summary.processed < 400
    state = window.loaded().state
    assert len(state.results) == summary.processed + summary.failed
    assert "cancelled" in window.send_panel.result_label.text()
    assert window.send_panel.send_button.isEnabled()


def in_flight(folder: Path) -> int:
    try:
        with sqlite3.connect(folder / LEDGER_FILE) as db:
            row = db.execute("SELECT COUNT(*) FROM batches WHERE state = 'in_flight'")
            return int(row.fetchone()[0])
    except sqlite3.Error:
        return 0


def crash_mid_send(path: Path, server: PinterestServer) -> None:
    """Run a real send in another process and kill it while its batch is out."""
    server.state.latency = 3.0
    env = dict(os.environ, PINUPLOAD_API_URL=server.url)
    child = subprocess.Popen(
        [sys.executable, "-c", CRASHING_RUN, str(path), ACCOUNT, TOKEN], env=env
    )
    deadline = time.monotonic() + 40
    while in_flight(paths.data_dir()) == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    child.kill()
    child.wait()
    server.state.latency = 0.0


def test_after_a_crash_offer_to_resend_or_leave(
    window: Any, qtbot: Any, open_file: Any, tmp_path: Path, server: Any, account: str
) -> None:
    path = write_csv(tmp_path / "sales.csv", sales_rows(4))
    crash_mid_send(path, server)
    recovery = window.sending.recover_ledger()  # what a restart does
    qtbot.waitUntil(lambda: not recovery.running, timeout=WAIT_MS)
    window.sending.reload_accounts(account)
    open_file(path)
    qtbot.waitUntil(
        lambda: len(window.loaded().state.unconfirmed) == 4, timeout=WAIT_MS
    )
    assert "may or may not have arrived" in window.message_bar.text()
    panel = window.send_panel
    panel.test_check.setChecked(False)

    window.answers.append("Leave them out")
    panel.send_button.click()
    assert "Nothing is left to send" in window.message_bar.text()
    assert not window.sending.running()

    window.answers += ["Resend them", "Send 4 events"]
    with qtbot.waitSignal(window.sending.send_done, timeout=WAIT_MS) as blocker:
        panel.send_button.click()
    assert "may or may not" in window.asked[0].text()
    assert blocker.args[0].processed == 4
    resent = [c for c in server.calls() if c.events == 4 and c.status == 200]
    assert resent, "the unconfirmed events were not posted again"

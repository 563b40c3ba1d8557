"""Sending from the window to the stand-in Pinterest: test runs, real runs, answers."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from pinupload.core import credentials
from pinupload.core.ledger import Ledger
from pinupload.gui import session
from tests.gui.conftest import ACCOUNT, WAIT_MS


def send(window: Any, qtbot: Any) -> Any:
    with qtbot.waitSignal(window.sending.send_done, timeout=WAIT_MS) as blocker:
        window.send_panel.send_button.click()
    return blocker.args[0]


def statuses(window: Any) -> list[str]:
    model = window.preview.model
    column = model.status_column
    return [model.data(model.index(r, column)) for r in range(model.rowCount())]


def test_test_send_is_the_default_and_records_nothing(
    window: Any, qtbot: Any, open_file: Any, sales_file: Path, server: Any, account: str
) -> None:
    window.sending.reload_accounts(account)
    open_file(sales_file)
    panel = window.send_panel
    assert panel.test_mode()
    assert panel.banner.text().startswith("TEST MODE")
    assert panel.send_button.text() == "&Send test"
    summary = send(window, qtbot)
    assert summary.test and summary.processed == 3 and summary.failed == 1
    assert window.asked == []  # a test run needs no confirmation
    assert statuses(window) == [
        "Processed, with a warning", "Processed, with a warning",
        "Processed, with a warning", "Not sendable", "Not sendable", "Failed",
    ]  # fmt: skip
    model = window.preview.model
    answer = model.data(model.index(5, 1))
    assert answer == "Given timestamp is in the past"
    assert len(server.processed(test=True)) == 3 and not server.processed()
    invalid = {r.index: r.error_message for r in window.sending.results if r.index < 5}
    assert "time of the sale" in (invalid[3] or "")  # the row's own problem
    assert "email" in (invalid[4] or "").lower()
    assert "Nothing was recorded" in panel.result_label.text()
    with Ledger.open() as ledger:
        ids = [e for e in window.loaded().state.check.event_ids if e]
        assert ledger.already_sent(ACCOUNT, ids) == set()
    window.preview.table.selectRow(0)
    details = window.preview.details.toPlainText()
    assert "Request id" in details and server.calls()[0].rid in details


def test_real_send_confirms_then_skips_what_went_before(
    window: Any, qtbot: Any, open_file: Any, sales_file: Path, server: Any,
    account: str, tmp_path: Path, monkeypatch: Any,
) -> None:  # fmt: skip
    monkeypatch.setattr(session, "MARKS_CHUNK", 2)  # rows sent are looked up in runs
    window.sending.reload_accounts(account)
    open_file(sales_file)
    panel = window.send_panel
    panel.test_check.setChecked(False)
    assert panel.banner.text().startswith("REAL SEND")
    assert panel.send_button.text() == "&Send 4 events"
    window.answers.append("Send 4 events")
    summary = send(window, qtbot)
    question = window.asked[0].text()
    assert "4 events" in question and ACCOUNT in question
    assert "cannot be undone" in question
    assert not summary.test and summary.processed == 3
    assert len(server.processed()) == 3 and server.duplicates() == []
    qtbot.waitUntil(lambda: window.loaded().state.summary.already_sent == 3)
    assert "3 already sent" in window.preview.summary_label.text()
    assert not panel.test_mode()  # the account has real runs now

    report = tmp_path / "results.csv"
    with qtbot.waitSignal(window.sending.export_done, timeout=WAIT_MS):
        window.sending.export(report)
    with report.open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][-5:] == ["Row", "Status", "Pinterest error", "Pinterest warning",
                            "Request id"]  # fmt: skip
    assert [r[-4] for r in rows[1:]].count("processed") == 3

    window.answers.append("Send 1 event")
    again = send(window, qtbot)
    assert again.skipped == 3 and again.processed == 0
    assert statuses(window)[:3] == ["Already sent"] * 3
    assert server.duplicates() == []

    dialog = window.sending.open_history()
    qtbot.addWidget(dialog)
    assert dialog.runs.rowCount() == 2
    assert dialog.runs.data(dialog.runs.index(0, 2)) == "Real"
    with qtbot.waitSignal(dialog.rows.modelReset, timeout=WAIT_MS):
        dialog.open_run(dialog.runs.items[1])
    assert dialog.rows.rowCount() == 6
    assert "processed" in [dialog.rows.data(dialog.rows.index(r, 1)) for r in range(6)]


def test_refused_token_says_what_to_do(
    window: Any, qtbot: Any, open_file: Any, sales_file: Path, server: Any
) -> None:
    credentials.set_token(ACCOUNT, "revoked-token")
    try:
        window.sending.reload_accounts(ACCOUNT)
        open_file(sales_file)
        summary = send(window, qtbot)
    finally:
        credentials.delete_token(ACCOUNT)
    assert summary.fatal
    text = window.send_panel.result_label.text()
    assert "refused the access token" in text and "Accounts" in text
    assert "Traceback" not in text


def test_without_an_account_the_window_asks_for_one(
    window: Any, qtbot: Any, open_file: Any, sales_file: Path
) -> None:
    open_file(sales_file)
    window.send_panel.send_button.click()
    assert "Add your ad account" in window.message_bar.text()
    dialogs = [d for d in window.findChildren(type(window.sending.open_accounts()))]
    assert dialogs and dialogs[0].isVisible()
    for dialog in dialogs:
        dialog.close()

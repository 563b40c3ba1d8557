"""What happens around a send: account and token, questions, progress, results."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QFileDialog, QMessageBox

from pinupload.core import credentials
from pinupload.core.credentials import KeyringUnavailable
from pinupload.core.ledger import Ledger, LedgerBusy
from pinupload.core.report import write_report
from pinupload.core.results import Progress, RowResult, UploadSummary
from pinupload.gui import settings
from pinupload.gui.accounts_dialog import AccountsDialog
from pinupload.gui.history_dialog import HistoryDialog
from pinupload.gui.send_panel import events
from pinupload.gui.sending import SendSession, auth_advice
from pinupload.gui.workers import Job, UserError, release

if TYPE_CHECKING:
    from pinupload.gui.main_window import MainWindow

logger = logging.getLogger(__name__)

REFRESH_MS = 250  # Status repaints while answers arrive, at most this often


def summary_text(summary: UploadSummary, account_id: str) -> str:
    kind = "Test run" if summary.test else "Run"
    if summary.cancelled:
        head = f"{kind} cancelled"
    elif summary.fatal:
        head = f"{kind} stopped"
    else:
        head = f"{kind} finished"
    text = (
        f"{head} for ad account {account_id}: {summary.sent:,} sent, "
        f"{summary.processed:,} processed, {summary.failed:,} failed, "
        f"{summary.skipped:,} skipped as already sent, {summary.unconfirmed:,} "
        f"unconfirmed, {summary.invalid:,} not sendable."
    )
    if summary.test:
        text += " Nothing was recorded: this was a test."
    return text


class SendFlow(QObject):
    """Drives the send panel for the main window.

    Signals: send_done(UploadSummary), export_done(Path).
    """

    send_done = Signal(object)
    export_done = Signal(Path)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.panel = window.send_panel
        self.session = SendSession(self)
        self.results: list[RowResult] = []
        self.export_job: Job | None = None
        self.recovery_job: Job | None = None
        self._refresh = QTimer(self, singleShot=True, interval=REFRESH_MS)
        self._refresh.timeout.connect(self._on_refresh_timeout)
        p = self.panel
        p.send_requested.connect(self.request_send)
        p.cancel_requested.connect(self.cancel)
        p.export_requested.connect(self.choose_export)
        p.history_requested.connect(self.open_history)
        p.accounts_requested.connect(self.open_accounts)
        p.account_chosen.connect(self._on_panel_account_chosen)
        s = self.session
        s.send_progress.connect(self._on_session_send_progress)
        s.results_arrived.connect(self._on_session_results_arrived)
        s.send_finished.connect(self._on_session_send_finished)
        s.send_failed.connect(self._on_session_send_failed)
        self.reload_accounts(settings.last_account())
        self.recover_ledger()

    def running(self) -> bool:
        return self.session.running()

    def uses_file(self) -> bool:
        """Return whether a send or an export still reads the file's rows."""
        export = self.export_job
        return self.session.running() or (export is not None and export.running)

    def cancel(self) -> None:
        if self.session.running():
            self.panel.set_cancelling()
            self.session.cancel()

    # -- accounts --------------------------------------------------------------
    def reload_accounts(self, current: str | None = None) -> None:
        accounts = credentials.list_accounts()
        self.panel.set_accounts(accounts, current or self.panel.account_id())
        self._on_panel_account_chosen(self.panel.account_id())

    @Slot(object)
    def _on_panel_account_chosen(self, account_id: str | None) -> None:
        settings.set_last_account(account_id)
        self.panel.set_test_mode(
            account_id is None or not self._has_real_runs(account_id)
        )
        self.window.session.refresh_marks(account_id)

    @staticmethod
    def _has_real_runs(account_id: str) -> bool:
        with Ledger.open() as ledger:
            return any(not run.test for run in ledger.runs(account_id))

    def open_accounts(self) -> AccountsDialog:
        dialog = AccountsDialog(self.window)
        dialog.accounts_changed.connect(lambda: self.reload_accounts())
        dialog.open()
        return dialog

    def open_history(self) -> HistoryDialog:
        dialog = HistoryDialog(
            credentials.list_accounts(), self.panel.account_id(), self.window
        )
        dialog.open()
        return dialog

    def recover_ledger(self) -> Job:
        """Mark batches a crashed run left in flight as unconfirmed, at start-up."""

        def body(_job: Job) -> None:
            with Ledger.open() as ledger:
                try:
                    ledger.claim()
                except LedgerBusy:
                    return  # another run is sending: it did the recovery itself

        self.recovery_job = Job("ledger recovery", body)
        self.recovery_job.start()
        return self.recovery_job

    # -- sending ---------------------------------------------------------------
    def file_changed(self) -> None:
        self.panel.result_label.hide()

    def forget_results(self) -> None:
        old, self.results = self.results, []
        release(old)
        loaded = self.window.loaded()
        if loaded is not None:
            release(loaded.state.results.clear())
        self.panel.export_button.setEnabled(False)
        self.window.export_action.setEnabled(False)

    @Slot()
    def request_send(self) -> None:
        """Check what is needed, ask what must be asked, then send."""
        if self.session.running():
            return
        loaded = self.window.loaded()
        files = self.window.session
        if (
            loaded is None
            or loaded.state.check is None
            or files.busy_with("load", "check")
        ):
            self.window.show_message(
                "Open a file and wait until its rows are checked first."
            )
            return
        if files.busy_with("marks"):
            self.window.show_message(
                "Still looking up which rows were sent before; try again in a moment."
            )
            return
        check = loaded.state.check
        account_id = self.panel.account_id()
        if account_id is None:
            self.window.show_message(
                "Add your ad account and its token first (Accounts)."
            )
            self.open_accounts()
            return
        try:
            token = credentials.get_token(account_id)
        except (ValueError, KeyringUnavailable) as exc:
            self.window.show_message(str(exc))
            return
        if not token:
            self.window.show_message(
                f"No access token is saved for ad account {account_id}; add it in "
                "Accounts."
            )
            return
        test = self.panel.test_mode()
        ready = loaded.state.summary.ready
        if ready <= 0:
            self.window.show_message("No row is ready to send; see the Status column.")
            return
        resend = False
        unsure = len(loaded.state.unconfirmed)
        if not test and unsure:
            answer = self._ask_unconfirmed(unsure)
            if answer is None:
                return
            resend = answer
            ready -= 0 if resend else unsure
            if ready <= 0:
                self.window.show_message(
                    "Nothing is left to send: the other rows were sent before or "
                    "cannot be sent.",
                    error=False,
                )
                return
        if not test and not self._confirm(ready, account_id, resend):
            return
        self.forget_results()
        self.window.show_message(None)
        self.panel.set_sending(True)
        self.session.start(
            check, account_id, token, test=test, resend_unconfirmed=resend
        )

    def _ask_unconfirmed(self, count: int) -> bool | None:
        box = QMessageBox(QMessageBox.Icon.Question, "Rows that may have arrived",
            f"{count:,} rows of this file were on their way when an earlier run "
            "stopped. Pinterest may or may not have them. Resending them could count "
            "those sales twice; leaving them out could miss them.",
            parent=self.window,
        )  # fmt: skip
        resend = box.addButton("&Resend them", QMessageBox.ButtonRole.AcceptRole)
        leave = box.addButton("&Leave them out", QMessageBox.ButtonRole.RejectRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(leave)
        clicked = self.window.ask(box)
        if clicked is resend:
            return True
        return False if clicked is leave else None

    def _confirm(self, ready: int, account_id: str, resend: bool) -> bool:
        extra = " (with the rows that may have arrived before)" if resend else ""
        box = QMessageBox(QMessageBox.Icon.Warning, "Send for real?",
            f"Send {events(ready)}{extra} to Pinterest ad account {account_id}?\n\n"
            "Pinterest will count them as sales. This cannot be undone.",
            parent=self.window,
        )  # fmt: skip
        send = box.addButton(f"Send {events(ready)}", QMessageBox.ButtonRole.AcceptRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        return self.window.ask(box) is send

    @Slot(object)
    def _on_session_send_progress(self, progress: Progress) -> None:
        self.panel.show_progress(progress)

    @Slot(object)
    def _on_session_results_arrived(self, results: list[RowResult]) -> None:
        loaded = self.window.loaded()
        self.results.extend(results)
        if loaded is not None:
            loaded.state.add_results(results, self.session.test)
        if not self._refresh.isActive():
            self._refresh.start()

    @Slot()
    def _on_refresh_timeout(self) -> None:
        self.window.preview.refresh_status()

    @Slot(object)
    def _on_session_send_finished(self, summary: UploadSummary) -> None:
        self.panel.set_sending(False)
        self.window.preview.refresh_status()
        account_id = self.session.account_id or ""
        advice = (
            auth_advice(summary.fatal_status, account_id) if summary.fatal else None
        )
        text = summary_text(summary, account_id)
        if summary.fatal:
            text += " " + (advice or summary.fatal)
        self.panel.show_result(text, trouble=bool(summary.fatal or summary.failed))
        has_results = bool(self.results)
        self.panel.export_button.setEnabled(has_results)
        self.window.export_action.setEnabled(has_results)
        if not summary.test:
            self.panel.set_test_mode(False)
            self.window.session.refresh_marks(account_id)
        self.send_done.emit(summary)

    @Slot(str)
    def _on_session_send_failed(self, message: str) -> None:
        self.panel.set_sending(False)
        self.panel.show_result(message, trouble=True)
        self.send_done.emit(None)

    # -- export ----------------------------------------------------------------
    @Slot()
    def choose_export(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self.window, "Export the results", "pinupload-results.xlsx",
            "Excel workbook (*.xlsx);;CSV (*.csv)",
        )  # fmt: skip
        if name:
            self.export(Path(name))

    def export(self, path: Path) -> None:
        """Write the last run's results to `path` (.xlsx or .csv) on the pool."""
        loaded = self.window.loaded()
        if loaded is None or loaded.state.check is None or not self.results:
            self.window.show_message("There are no results to export yet: send first.")
            return
        if path.suffix.lower() not in (".xlsx", ".csv"):
            path = path.with_suffix(".xlsx")
        check, results = loaded.state.check, list(self.results)

        def body(_job: Job) -> Path:
            try:
                return write_report(path, check, results)
            except OSError as exc:
                raise UserError(
                    f"The results could not be saved in {path}: {exc.strerror}."
                ) from None

        job = Job("export", body)
        job.job_finished.connect(self._on_export_finished)
        job.job_failed.connect(self.window.show_message)
        self.export_job = job
        job.start()

    @Slot(object)
    def _on_export_finished(self, path: Path) -> None:
        self.window.show_message(f"Results saved in {path}.", error=False)
        self.export_job = None
        self.export_done.emit(path)

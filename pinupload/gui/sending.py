"""Sending on a pool thread: run_upload's callbacks become signals."""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import QObject, Signal

from pinupload.core.check import CheckResult
from pinupload.core.results import Progress, RowResult, UploadSummary
from pinupload.core.upload import run_upload
from pinupload.gui.workers import PROGRESS_EVERY, Job

logger = logging.getLogger(__name__)


def auth_advice(status: int | None, account_id: str) -> str | None:
    """Return what to do when Pinterest refused the token (401) or account (403)."""
    if status == 401:
        return (
            "Pinterest refused the access token: it is wrong, expired or was revoked. "
            "Make a new conversion access token in Ads Manager (Conversions, then "
            "Conversions API), and paste it in Accounts."
        )
    if status == 403:
        return (
            f"Pinterest refused access to ad account {account_id}. Check the ad "
            "account id in Accounts, and that the token belongs to someone who may "
            "send conversions for that account."
        )
    return None


class SendSession(QObject):
    """Runs one upload at a time.

    Signals: send_progress(Progress), results_arrived(list[RowResult]),
    send_finished(UploadSummary), send_failed(str), send_cancelled().
    """

    send_progress = Signal(object)
    results_arrived = Signal(object)  # object: a list would be copied
    send_finished = Signal(object)
    send_failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.job: Job | None = None
        self.account_id: str | None = None
        self.test = True

    def running(self) -> bool:
        return self.job is not None

    def start(
        self,
        checked: CheckResult,
        account_id: str,
        token: str,
        *,
        test: bool,
        resend_unconfirmed: bool = False,
    ) -> None:
        """Send the valid rows; the token was read on the GUI thread."""
        self.account_id, self.test = account_id, test

        def body(job: Job) -> UploadSummary:
            last = [0.0]

            def on_progress(progress: Progress) -> None:
                now = time.monotonic()
                if now - last[0] >= PROGRESS_EVERY or progress.done == progress.total:
                    last[0] = now
                    job.step_reported.emit(progress)

            def on_results(results: list[RowResult]) -> None:
                self.results_arrived.emit(results)

            return run_upload(
                checked,
                account_id,
                token,
                test=test,
                resend_unconfirmed=resend_unconfirmed,
                on_progress=on_progress,
                on_results=on_results,
                cancel=job.cancel_flag,
            )

        job = Job("send", body)
        job.step_reported.connect(self.send_progress)
        job.job_finished.connect(self._on_job_finished)
        job.job_failed.connect(self._on_job_failed)
        self.job = job
        logger.info("Sending to ad account %s (test=%s)", account_id, test)
        job.start()

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()

    def _on_job_finished(self, summary: UploadSummary) -> None:
        self.job = None
        self.send_finished.emit(summary)

    def _on_job_failed(self, message: str) -> None:
        self.job = None
        self.send_failed.emit(message)

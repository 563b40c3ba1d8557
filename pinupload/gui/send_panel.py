"""The bottom of the window: account, Test switch, banner, Send, progress, results."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pinupload.core.credentials import Account
from pinupload.core.results import Progress

TEST_BANNER = (
    "TEST MODE: Pinterest checks these events and answers for each one, but records "
    "nothing and counts no sale. Untick Test to send for real."
)
TEST_STYLE = "background: #ffd23f; color: #1b1b1b; padding: 6px; font-weight: bold;"
REAL_STYLE = "background: #b00020; color: white; padding: 6px; font-weight: bold;"
DONE_STYLE = "background: #e6f2e8; color: #1b1b1b; padding: 6px;"
TROUBLE_STYLE = "background: #f8c9c4; color: #1b1b1b; padding: 6px;"


def events(count: int) -> str:
    return f"{count:,} event" + ("" if count == 1 else "s")


def duration_text(seconds: float | None) -> str:
    if seconds is None:
        return "working out the time left"
    seconds = int(seconds)
    if seconds < 60:
        return f"about {seconds} s left"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"about {minutes} min {seconds:02d} s left"
    hours, minutes = divmod(minutes, 60)
    return f"about {hours} h {minutes:02d} min left"


def progress_text(progress: Progress) -> str:
    return (
        f"{progress.done:,} of {progress.total:,} events answered · "
        f"{progress.rate:,.0f} a second · {duration_text(progress.eta_seconds)}"
    )


class SendPanel(QWidget):
    """Signals: send_requested(), cancel_requested(), export_requested(),
    history_requested(), accounts_requested(), account_chosen(object),
    test_toggled(bool).
    """

    send_requested = Signal()
    cancel_requested = Signal()
    export_requested = Signal()
    history_requested = Signal()
    accounts_requested = Signal()
    account_chosen = Signal(object)
    test_toggled = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.account_combo = QComboBox()
        self.account_combo.setMinimumContentsLength(18)
        self.account_combo.activated.connect(self._on_account_combo_activated)
        self.accounts_button = QPushButton("A&ccounts…")
        self.test_check = QCheckBox("&Test only")
        self.test_check.setChecked(True)
        self.test_check.toggled.connect(self._on_test_check_toggled)
        self.banner = QLabel(wordWrap=True)
        self.banner.setObjectName("modeBanner")
        self.send_button = QPushButton("Send test")
        self.send_button.setObjectName("sendButton")
        self.cancel_button = QPushButton("Cance&l sending")
        self.progress = QProgressBar()
        self.progress_label = QLabel()
        self.result_label = QLabel(wordWrap=True)
        self.result_label.setObjectName("resultBanner")
        self.result_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.export_button = QPushButton("E&xport results…")
        self.history_button = QPushButton("H&istory…")
        self.accounts_button.clicked.connect(self.accounts_requested)
        self.send_button.clicked.connect(self.send_requested)
        self.cancel_button.clicked.connect(self.cancel_requested)
        self.export_button.clicked.connect(self.export_requested)
        self.history_button.clicked.connect(self.history_requested)
        self._layout()
        self.set_sending(False)
        self.export_button.setEnabled(False)
        self.result_label.hide()
        self._show_mode()

    def _layout(self) -> None:
        account_label = QLabel("Ad &account:")
        account_label.setBuddy(self.account_combo)
        row = QHBoxLayout()
        row.addWidget(account_label)
        row.addWidget(self.account_combo)
        row.addWidget(self.accounts_button)
        row.addSpacing(16)
        row.addWidget(self.test_check)
        row.addStretch(1)
        row.addWidget(self.history_button)
        row.addWidget(self.export_button)
        row.addWidget(self.send_button)
        progress = QGridLayout()
        progress.addWidget(self.progress, 0, 0)
        progress.addWidget(self.cancel_button, 0, 1)
        progress.addWidget(self.progress_label, 1, 0, 1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.banner)
        layout.addLayout(row)
        layout.addLayout(progress)
        layout.addWidget(self.result_label)

    # -- state ---------------------------------------------------------------
    def set_accounts(self, accounts: list[Account], current: str | None) -> None:
        self.account_combo.clear()
        if not accounts:
            self.account_combo.addItem("No account yet: add one in Accounts", None)
        for account in accounts:
            text = f"{account.label} ({account.id})" if account.label else account.id
            self.account_combo.addItem(text, account.id)
        self.account_combo.setCurrentIndex(max(self.account_combo.findData(current), 0))

    def account_id(self) -> str | None:
        return self.account_combo.currentData()

    def test_mode(self) -> bool:
        return self.test_check.isChecked()

    def set_test_mode(self, test: bool) -> None:
        self.test_check.setChecked(test)
        self._show_mode()

    def set_ready_count(self, count: int) -> None:
        self._ready = count
        self._show_mode()

    def _show_mode(self) -> None:
        ready = getattr(self, "_ready", 0)
        if self.test_mode():
            self.banner.setText(TEST_BANNER)
            self.banner.setStyleSheet(TEST_STYLE)
            self.send_button.setText("&Send test")
        else:
            self.banner.setText(
                "REAL SEND: the events go to Pinterest for real and count as sales. "
                "This cannot be undone."
            )
            self.banner.setStyleSheet(REAL_STYLE)
            self.send_button.setText(f"&Send {events(ready)}")

    def set_sending(self, sending: bool) -> None:
        for widget in (self.progress, self.progress_label, self.cancel_button):
            widget.setVisible(sending)
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText("Cance&l sending")
        controls: list[QWidget] = [
            self.send_button, self.test_check, self.account_combo, self.accounts_button
        ]  # fmt: skip
        for control in controls:
            control.setEnabled(not sending)
        if sending:
            self.progress.setRange(0, 0)
            self.progress_label.setText("Starting…")
            self.result_label.hide()

    def set_cancelling(self) -> None:
        self.cancel_button.setEnabled(False)
        self.progress_label.setText(
            "Stopping: waiting for the answers to batches already on their way…"
        )

    def show_progress(self, progress: Progress) -> None:
        self.progress.setRange(0, max(progress.total, 1))
        self.progress.setValue(progress.done)
        if self.cancel_button.isEnabled():
            self.progress_label.setText(progress_text(progress))

    def show_result(self, text: str, trouble: bool = False) -> None:
        self.result_label.setText(text)
        self.result_label.setStyleSheet(TROUBLE_STYLE if trouble else DONE_STYLE)
        self.result_label.show()

    # -- slots ---------------------------------------------------------------
    @Slot(int)
    def _on_account_combo_activated(self, _index: int) -> None:
        self.account_chosen.emit(self.account_id())

    @Slot(bool)
    def _on_test_check_toggled(self, checked: bool) -> None:
        self._show_mode()
        self.test_toggled.emit(checked)

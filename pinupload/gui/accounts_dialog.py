"""The accounts dialog: add an ad account with its token, check it, remove it.

Tokens go to the OS keyring through the core's credentials module; the dialog
never shows a stored token again.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QRegularExpression, Qt, Signal, Slot
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pinupload.core import credentials
from pinupload.core.answers import ApiError, AuthError
from pinupload.core.credentials import KeyringUnavailable
from pinupload.gui.access import check_access
from pinupload.gui.sending import auth_advice
from pinupload.gui.workers import Job

logger = logging.getLogger(__name__)


def account_text(account: credentials.Account) -> str:
    return f"{account.label} ({account.id})" if account.label else account.id


def checked_access(account_id: str, token: str) -> str:
    """check_access with the window's own words for a refused token or account."""
    try:
        return check_access(account_id, token)
    except AuthError as exc:
        raise ApiError(auth_advice(exc.status, account_id) or str(exc)) from None


class AccountsDialog(QDialog):
    """Lists the saved ad accounts and adds, checks or removes one.

    Signals: accounts_changed().
    """

    accounts_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Ad accounts")
        self.job: Job | None = None
        self.account_list = QListWidget()
        self.account_list.currentItemChanged.connect(self._on_account_list_changed)
        self.id_edit = QLineEdit(placeholderText="digits, as in Ads Manager")
        self.id_edit.setValidator(
            QRegularExpressionValidator(QRegularExpression(r"\d{0,18}"))
        )
        self.label_edit = QLineEdit(placeholderText="e.g. Main store")
        self.token_edit = QLineEdit(placeholderText="paste the conversion token")
        self.token_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.message_label = QLabel(wordWrap=True)
        self.message_label.setObjectName("accountsMessage")
        self.message_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.save_button = QPushButton("&Save")
        self.check_button = QPushButton("C&heck with a test request")
        self.remove_button = QPushButton("&Remove")
        self.save_button.clicked.connect(self._on_save_clicked)
        self.check_button.clicked.connect(self._on_check_clicked)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        self._layout()
        self.reload()

    def _layout(self) -> None:
        form = QFormLayout()
        form.addRow("Ad account &id:", self.id_edit)
        form.addRow("&Label:", self.label_edit)
        form.addRow("Access &token:", self.token_edit)
        hint = QLabel(
            "Make a conversion access token in Pinterest Ads Manager: Conversions, "
            "then Conversions API. It is kept in this computer's keyring.",
            wordWrap=True,
        )
        buttons = QHBoxLayout()
        for button in (self.save_button, self.check_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        saved = QLabel("Sa&ved accounts:")
        saved.setBuddy(self.account_list)
        layout = QVBoxLayout(self)
        layout.addWidget(saved)
        layout.addWidget(self.account_list, 1)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addLayout(buttons)
        layout.addWidget(self.message_label)
        layout.addWidget(close)
        self.resize(560, 480)

    def reload(self) -> None:
        self.account_list.clear()
        for account in credentials.list_accounts():
            item = QListWidgetItem(account_text(account))
            item.setData(Qt.ItemDataRole.UserRole, account)
            self.account_list.addItem(item)

    def say(self, text: str, error: bool = False) -> None:
        colour = "#a4161a" if error else "#1d5e2f"
        self.message_label.setStyleSheet(f"color: {colour}")
        self.message_label.setText(text)

    # -- slots ---------------------------------------------------------------
    @Slot(QListWidgetItem, QListWidgetItem)
    def _on_account_list_changed(
        self, item: QListWidgetItem | None, _old: object
    ) -> None:
        if item is None:
            return
        account: credentials.Account = item.data(Qt.ItemDataRole.UserRole)
        self.id_edit.setText(account.id)
        self.label_edit.setText(account.label or "")
        self.token_edit.clear()
        self.token_edit.setPlaceholderText("saved in the keyring (paste to replace)")

    @Slot()
    def _on_save_clicked(self) -> None:
        account_id = self.id_edit.text().strip()
        token = self.token_edit.text()
        if not account_id:
            self.say("Type the ad account id first (digits, from Ads Manager).", True)
            return
        if not token.strip():
            self.say("Paste the access token for this account first.", True)
            return
        try:
            credentials.set_token(
                account_id, token, self.label_edit.text().strip() or None
            )
        except (ValueError, KeyringUnavailable) as exc:
            self.say(str(exc), True)
            return
        self.token_edit.clear()
        self.say(f"Saved ad account {account_id}; its token is in the keyring.")
        self.reload()
        self.accounts_changed.emit()

    @Slot()
    def _on_check_clicked(self) -> None:
        account_id = self.id_edit.text().strip()
        token = self.token_edit.text().strip()
        if not account_id:
            self.say("Type or choose the ad account id first.", True)
            return
        if not token:
            try:
                token = credentials.get_token(account_id) or ""
            except (ValueError, KeyringUnavailable) as exc:
                self.say(str(exc), True)
                return
        if not token:
            self.say("No token is saved for this account; paste one first.", True)
            return
        self.say("Asking Pinterest…")
        self.check_button.setEnabled(False)
        job = Job("access check", lambda _j: checked_access(account_id, token))
        job.job_finished.connect(self._on_job_finished)
        job.job_failed.connect(self._on_job_failed)
        self.job = job
        job.start()

    @Slot(object)
    def _on_job_finished(self, message: str) -> None:
        self.check_button.setEnabled(True)
        self.say(message)
        self.job = None

    @Slot(str)
    def _on_job_failed(self, message: str) -> None:
        self.check_button.setEnabled(True)
        self.say(message, True)
        self.job = None

    @Slot()
    def _on_remove_clicked(self) -> None:
        item = self.account_list.currentItem()
        if item is None:
            self.say("Choose the account to remove in the list.", True)
            return
        account: credentials.Account = item.data(Qt.ItemDataRole.UserRole)
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Remove the account",
            f"Remove ad account {account_text(account)} and delete its token from "
            "the keyring?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        if self.ask(box) != QMessageBox.StandardButton.Yes:
            return
        try:
            credentials.delete_token(account.id)
        except (ValueError, KeyringUnavailable) as exc:
            self.say(str(exc), True)
            return
        self.say(f"Removed ad account {account.id}.")
        self.reload()
        self.accounts_changed.emit()

    def ask(self, box: QMessageBox) -> int:
        """Show a question and return the button chosen (tests answer it instead)."""
        return box.exec()

"""The accounts dialog with the session's real keyring and the stand-in server."""

from __future__ import annotations

from typing import Any

import keyring
import keyring.backends.fail
import pytest

from pinupload.core import credentials
from pinupload.gui.accounts_dialog import AccountsDialog
from tests.gui.conftest import ACCOUNT, TOKEN, WAIT_MS


@pytest.fixture
def dialog(qtbot: Any) -> Any:
    dlg = AccountsDialog()
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def fill(dialog: Any, account_id: str, token: str, label: str = "") -> None:
    dialog.id_edit.setText(account_id)
    dialog.label_edit.setText(label)
    dialog.token_edit.setText(token)


def check(dialog: Any, qtbot: Any) -> str:
    dialog.check_button.click()
    qtbot.waitUntil(lambda: dialog.job is None, timeout=WAIT_MS)
    return dialog.message_label.text()


def test_add_check_and_remove_an_account(dialog: Any, qtbot: Any, server: Any) -> None:
    assert dialog.token_edit.echoMode() == dialog.token_edit.EchoMode.Password
    fill(dialog, ACCOUNT, TOKEN, "Main store")
    with qtbot.waitSignal(dialog.accounts_changed, timeout=WAIT_MS):
        dialog.save_button.click()
    try:
        assert credentials.get_token(ACCOUNT) == TOKEN
        assert dialog.token_edit.text() == ""
        assert dialog.account_list.item(0).text() == "Main store (123456)"
        dialog.account_list.setCurrentRow(0)
        assert dialog.token_edit.text() == ""  # a stored token is never shown
        assert "accepted the token" in check(dialog, qtbot)
        assert server.calls()[-1].test
        dialog.ask = lambda box: box.StandardButton.Yes
        with qtbot.waitSignal(dialog.accounts_changed, timeout=WAIT_MS):
            dialog.remove_button.click()
        assert credentials.get_token(ACCOUNT) is None
        assert dialog.account_list.count() == 0
    finally:
        credentials.delete_token(ACCOUNT)


def test_refused_token_and_account_get_their_own_words(
    dialog: Any, qtbot: Any, server: Any
) -> None:
    fill(dialog, ACCOUNT, "wrong-token")
    text = check(dialog, qtbot)
    assert "refused the access token" in text and "Ads Manager" in text
    fill(dialog, "777", TOKEN)
    text = check(dialog, qtbot)
    assert "refused access to ad account 777" in text


def test_bad_id_and_missing_keyring_are_explained(dialog: Any) -> None:
    fill(dialog, "", TOKEN)
    dialog.save_button.click()
    assert "ad account id" in dialog.message_label.text()
    old = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    try:
        fill(dialog, ACCOUNT, TOKEN)
        dialog.save_button.click()
    finally:
        keyring.set_keyring(old)
    text = dialog.message_label.text()
    assert "cannot be kept safely" in text and "keyring" in text
    assert credentials.list_accounts() == []

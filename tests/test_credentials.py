"""Tokens in a real Secret Service (gnome-keyring), and clear words without one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import secretstorage.exceptions

from pinupload.core import credentials
from pinupload.core.credentials import (
    Account,
    KeyringUnavailable,
    delete_token,
    get_token,
    list_accounts,
    set_token,
)

ROOT = Path(__file__).resolve().parent.parent
in_keyring = pytest.mark.skipif(
    os.environ.get("PINUPLOAD_IN_KEYRING_SESSION") != "1",
    reason="needs the throw-away gnome-keyring: run via scripts/with-keyring.sh",
)


@pytest.fixture(autouse=True)
def no_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PINUPLOAD_TOKEN", raising=False)


def files_mention(folder: Path, secret: str) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and secret in p.read_text()]


@in_keyring
def test_tokens_live_in_the_keyring_only(app_home: Path) -> None:
    set_token("549755813599", "pina_FIRST_secret", label="Shop A")
    set_token("1234", "pina_SECOND_secret")
    assert get_token("549755813599") == "pina_FIRST_secret"
    assert list_accounts() == [Account("1234", None), Account("549755813599", "Shop A")]
    set_token("549755813599", "pina_THIRD_secret")  # new token, label kept
    assert get_token("549755813599") == "pina_THIRD_secret"
    assert list_accounts()[1].label == "Shop A"
    assert files_mention(app_home, "secret") == []
    assert "secret" not in repr(list_accounts())

    delete_token("1234")
    delete_token("1234")  # twice is fine
    assert get_token("1234") is None
    assert list_accounts() == [Account("549755813599", "Shop A")]
    delete_token("549755813599")


@in_keyring
def test_environment_token_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    set_token("77", "pina_kept_secret")
    monkeypatch.setenv("PINUPLOAD_TOKEN", "pina_from_env")
    assert get_token("77") == "pina_from_env"
    monkeypatch.delenv("PINUPLOAD_TOKEN")
    assert get_token("77") == "pina_kept_secret"
    delete_token("77")


@pytest.mark.parametrize(
    ("account", "token"), [("12a", "tok"), ("123", ""), ("123", "two words")]
)
def test_bad_input_is_refused(account: str, token: str) -> None:
    with pytest.raises(ValueError):
        set_token(account, token)


def run_isolated(code: str, tmp_path: Path, *, keyring_session: bool) -> str:
    """Run `code` in a fresh interpreter, out of this test session's D-Bus."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DBUS_", "PINUPLOAD_", "XDG_"))
    }
    run = tmp_path / "run"
    run.mkdir(mode=0o700)
    env.update(XDG_RUNTIME_DIR=str(run), PINUPLOAD_HOME=str(tmp_path / "home"))
    command = [sys.executable, "-c", code]
    if keyring_session:
        command = ["bash", str(ROOT / "scripts" / "with-keyring.sh"), *command]
    out = subprocess.run(
        command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert "Traceback" not in out.stderr, out.stderr
    return out.stdout


def test_no_secret_service_says_so(tmp_path: Path) -> None:
    code = (
        "from pinupload.core.credentials import set_token, KeyringUnavailable\n"
        "try:\n"
        "    set_token('123', 'pina_never_written')\n"
        "except KeyringUnavailable as exc:\n"
        "    print(exc)\n"
    )
    message = run_isolated(code, tmp_path, keyring_session=False)
    assert "no keyring service answers" in message
    assert "PINUPLOAD_TOKEN" in message
    assert files_mention(tmp_path, "pina_never_written") == []


def test_locked_keyring_says_so(tmp_path: Path) -> None:
    code = (
        "import secretstorage\n"
        "from pinupload.core.credentials import set_token, get_token, "
        "KeyringUnavailable\n"
        "set_token('123', 'pina_locked_away')\n"
        "conn = secretstorage.dbus_init()\n"
        "secretstorage.get_default_collection(conn).lock()\n"
        "try:\n"
        "    get_token('123')\n"
        "except KeyringUnavailable as exc:\n"
        "    print(exc)\n"
    )
    message = run_isolated(code, tmp_path, keyring_session=True)
    assert "the keyring is locked" in message


def test_denied_access_is_named() -> None:
    refused = secretstorage.exceptions.PromptDismissedException("Prompt dismissed.")
    assert "denied" in str(credentials._unavailable(refused))
    assert isinstance(credentials._unavailable(refused), KeyringUnavailable)

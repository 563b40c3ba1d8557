"""Access tokens in the OS keyring, one per ad account; labels in the data folder."""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

import keyring
import keyring.errors

from pinupload import APP_NAME, paths
from pinupload.core.api import ApiError, check_account_id

logger = logging.getLogger(__name__)

SERVICE = f"{APP_NAME} conversion token"
ENV_TOKEN = "PINUPLOAD_TOKEN"
ACCOUNTS_FILE = "accounts.json"


@dataclass(frozen=True, slots=True)
class Account:
    """An ad account pinupload keeps a token for (the token itself is not here)."""

    id: str
    label: str | None = None


class KeyringUnavailable(Exception):  # noqa: N818 (the contract's name)
    """No usable keyring; str() is a sentence for the user naming the cause."""


def _unavailable(exc: Exception) -> KeyringUnavailable:
    """Turn whatever the keyring raised into a sentence that names the cause."""
    name = type(exc).__name__
    text = f"{name} {exc}".lower()
    if isinstance(
        exc, keyring.errors.NoKeyringError
    ) or "secretservicenotavailable" in (text.replace(" ", "")):
        cause = (
            "no keyring service answers (on Linux: no Secret Service such as GNOME "
            "Keyring or KWallet is running in this session)"
        )
    elif isinstance(exc, keyring.errors.KeyringLocked) or "locked" in text:
        cause = "the keyring is locked and could not be unlocked; unlock it and retry"
    elif "dismissed" in text or "denied" in text or "not allowed" in text:
        cause = "access to the keyring was denied; allow pinupload when asked"
    else:
        cause = f"the keyring failed ({name})"
    message = (
        f"The access token cannot be kept safely: {cause}. pinupload never stores "
        f"tokens in plain files; for automation, set {ENV_TOKEN} instead."
    )
    logger.warning("Keyring unavailable: %s", name)
    return KeyringUnavailable(message)


def _accounts_path() -> Path:
    return paths.data_dir() / ACCOUNTS_FILE


def _read_accounts() -> dict[str, str | None]:
    try:
        data = json.loads(_accounts_path().read_text(encoding="utf-8"))
        return {str(a["id"]): a.get("label") for a in data["accounts"]}
    except FileNotFoundError:
        return {}
    except (ValueError, KeyError, TypeError):
        logger.warning("The accounts file is damaged; starting a new one")
        return {}


def _write_accounts(accounts: dict[str, str | None]) -> None:
    path = _accounts_path()
    rows = [{"id": i, "label": label} for i, label in sorted(accounts.items())]
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"accounts": rows}, indent=2), encoding="utf-8")
    os.replace(tmp, path)  # never leave half a file


def _valid_account(account_id: str) -> str:
    try:
        return check_account_id(account_id.strip())
    except ApiError as exc:
        raise ValueError(str(exc)) from None


def set_token(account_id: str, token: str, label: str | None = None) -> None:
    """Keep `token` for the ad account in the keyring and remember the account.

    Raises ValueError for a malformed account id or token, KeyringUnavailable when
    there is no usable keyring.
    """
    account_id = _valid_account(account_id)
    token = token.strip()
    if not token or any(c.isspace() for c in token) or not token.isprintable():
        raise ValueError("The token is empty or has spaces in it; paste it again.")
    try:
        keyring.set_password(SERVICE, account_id, token)
    except Exception as exc:  # any backend's failure means no safe place for it
        raise _unavailable(exc) from None
    accounts = _read_accounts()
    accounts[account_id] = label if label is not None else accounts.get(account_id)
    _write_accounts(accounts)
    logger.info("Token saved for ad account %s", account_id)


def get_token(account_id: str) -> str | None:
    """Return the token for the ad account: PINUPLOAD_TOKEN if set, else the keyring's.

    Returns None when there is none; raises KeyringUnavailable.
    """
    override = os.environ.get(ENV_TOKEN, "").strip()
    if override:
        return override
    try:
        return keyring.get_password(SERVICE, _valid_account(account_id))
    except ValueError:
        raise
    except Exception as exc:
        raise _unavailable(exc) from None


def delete_token(account_id: str) -> None:
    """Forget the account and its token (no error if there was none).

    Raises KeyringUnavailable.
    """
    account_id = _valid_account(account_id)
    try:
        keyring.delete_password(SERVICE, account_id)
    except keyring.errors.PasswordDeleteError:
        pass  # nothing was stored
    except Exception as exc:
        raise _unavailable(exc) from None
    accounts = _read_accounts()
    if accounts.pop(account_id, "missing") != "missing":
        _write_accounts(accounts)
    logger.info("Token deleted for ad account %s", account_id)


def list_accounts() -> list[Account]:
    """Return the accounts that have a saved token, by id (never the tokens)."""
    return [Account(i, label) for i, label in sorted(_read_accounts().items())]

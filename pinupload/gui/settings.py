"""Choices the window remembers between runs, kept in an ini file in the data folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from pinupload import paths
from pinupload.core.model import Options

SETTINGS_FILE = "window.ini"
MAX_RECENT = 8
OPTION_KEYS = ("timezone", "default_country", "currency", "event_name", "date_order")


def open_settings() -> QSettings:
    """Return the window's settings (a file, so a data folder carries them along)."""
    return QSettings(str(paths.data_dir() / SETTINGS_FILE), QSettings.Format.IniFormat)


def _text(settings: QSettings, key: str) -> str | None:
    value = settings.value(key)
    return str(value) if value not in (None, "") else None


def load_options() -> Options:
    """Return the remembered time zone, country, currency, event name and date order."""
    settings = open_settings()
    settings.beginGroup("options")
    options = Options(
        timezone=_text(settings, "timezone"),
        default_country=_text(settings, "default_country"),
        currency=_text(settings, "currency"),
        event_name=_text(settings, "event_name") or "checkout",
        date_order=_text(settings, "date_order"),
    )
    settings.endGroup()
    return options


def save_options(options: Options) -> None:
    settings = open_settings()
    settings.beginGroup("options")
    for key in OPTION_KEYS:
        settings.setValue(key, getattr(options, key) or "")
    settings.endGroup()
    settings.sync()


def recent_files() -> list[Path]:
    value = open_settings().value("recent", [])
    if isinstance(value, str):
        items = [value]
    elif isinstance(value, list):
        items = value
    else:
        items = []
    return [Path(str(p)) for p in items if p]


def add_recent(path: Path) -> list[Path]:
    """Put `path` first in the recent files and return the list."""
    path = Path(path).resolve()
    items = [path] + [p for p in recent_files() if p != path]
    items = items[:MAX_RECENT]
    settings = open_settings()
    settings.setValue("recent", [str(p) for p in items])
    settings.sync()
    return items


def last_account() -> str | None:
    return _text(open_settings(), "account")


def set_last_account(account_id: str | None) -> None:
    settings = open_settings()
    settings.setValue("account", account_id or "")
    settings.sync()

"""The window's menus, and the advice shown when a file's rows cannot be checked."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from pinupload.gui.about import show_about
from pinupload.gui.loading import Loaded

if TYPE_CHECKING:
    from pinupload.gui.main_window import MainWindow


def _action(
    window: MainWindow,
    text: str,
    slot: Callable[[], object],
    shortcut: str | QKeySequence.StandardKey | None = None,
) -> QAction:
    action = QAction(text, window)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    action.triggered.connect(slot)
    return action


def build_menus(window: MainWindow) -> tuple[QMenu, QAction]:
    """Fill the menu bar; return the Open recent menu and the Export action."""
    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    open_key = QKeySequence.StandardKey.Open
    file_menu.addAction(_action(window, "&Open…", window.choose_file, open_key))
    recent = file_menu.addMenu("Open &recent")
    file_menu.addAction(
        _action(window, "Save a &template spreadsheet…", window.save_template)
    )
    file_menu.addSeparator()
    sending = window.sending
    export = _action(window, "&Export results…", sending.choose_export, "Ctrl+E")
    export.setEnabled(False)
    file_menu.addAction(export)
    file_menu.addSeparator()
    quit_key = QKeySequence.StandardKey.Quit
    file_menu.addAction(_action(window, "&Quit", window.close, quit_key))
    send_menu = bar.addMenu("&Pinterest")
    send_menu.addAction(_action(window, "&Send", sending.request_send, "Ctrl+Return"))
    send_menu.addAction(_action(window, "&Accounts…", sending.open_accounts))
    send_menu.addAction(
        _action(window, "&History of runs…", sending.open_history, "Ctrl+H")
    )
    help_menu = bar.addMenu("&Help")
    help_menu.addAction(_action(window, "Show the &log folder", window.show_log_folder))
    help_menu.addAction(_action(window, "&About pinupload", lambda: show_about(window)))
    return recent, export


def mapping_advice(loaded: Loaded) -> str:
    """Return what to choose in the panel when the rows could not be checked."""
    guess = loaded.guess
    if "event_time" not in guess:
        return (
            "No column was recognised as the time of the sale: choose it next to "
            "Event time *."
        )
    if not (
        "email" in guess or "mobile_ad_id" in guess
        or {"ip_address", "user_agent"} <= guess.keys()
    ):  # fmt: skip
        return (
            "No column was recognised as the customer's email: choose it next to "
            "Email * (or map a mobile ad id, or an IP address and a user agent)."
        )
    return f"The rows cannot be checked yet: {loaded.mapping_error}."

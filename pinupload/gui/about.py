"""The About box, and opening files the OS hands over (macOS "Open With")."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtWidgets import QMessageBox, QWidget

from pinupload import __version__, paths

if TYPE_CHECKING:
    from pinupload.gui.main_window import MainWindow


def about_text() -> str:
    """Return the About box's text: version, and where pinupload keeps things."""
    return (
        f"<h3>pinupload {escape(__version__)}</h3>"
        "<p>Sends store sales, phone orders and leads from a spreadsheet to the "
        "Pinterest Conversions API. Emails, phones and names are hashed on this "
        "computer; only the hashes are sent.</p>"
        f"<p>Data folder: {escape(str(paths.data_dir()))}<br>"
        f"Log folder: {escape(str(paths.log_dir()))}<br>"
        "Tokens: in this computer's keyring only.</p>"
    )


def show_about(parent: QWidget) -> QMessageBox:
    """Show the About box (not blocking) and return it."""
    box = QMessageBox(parent)
    box.setWindowTitle("About pinupload")
    box.setTextFormat(box.textFormat().RichText)
    box.setText(about_text())
    box.setIconPixmap(parent.windowIcon().pixmap(64, 64))
    box.open()
    return box


class FileOpenFilter(QObject):
    """Opens the spreadsheet macOS hands over (Finder's Open With, a dock drop).

    macOS sends a QFileOpenEvent to the application instead of putting the file
    on the command line.
    """

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FileOpen and isinstance(event, QFileOpenEvent):
            name = event.file()
            if name:
                self._window.open_file(Path(name))
                return True
        return super().eventFilter(watched, event)

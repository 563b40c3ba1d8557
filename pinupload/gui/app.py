"""Starting the window: the application, its icon, logging and a crash handler."""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QThreadPool, QTimer
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from pinupload import APP_ID, APP_NAME, __version__, paths
from pinupload.gui.about import FileOpenFilter
from pinupload.logsetup import setup_logging

if TYPE_CHECKING:
    from pinupload.gui.main_window import MainWindow

logger = logging.getLogger(__name__)

ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
# How long a thread waits for the interpreter lock before it asks the holder to
# let go. A repaint takes the lock hundreds of times, each time waiting on a busy
# worker; and a worker that reads a file lets the lock go and takes it back
# every few hundred microseconds, so a longer wait never ran out and the window
# starved until the read ended (0.6 s stalls at 400,000 rows with 1 ms, 25 ms
# with 50 us; the worker lost no measurable speed).
SWITCH_INTERVAL = 0.00005


def app_icon() -> QIcon:
    icon = QIcon()
    for size in ICON_SIZES:
        png = paths.resource(f"icons/pinupload-{size}.png")
        if png.exists():
            icon.addFile(str(png))
    return icon


def crash_text(log: Path) -> str:
    return (
        "pinupload ran into a problem it did not expect. What you were doing may "
        "not have finished; nothing already sent is lost, and the record of sent "
        f"events is safe.\n\nThe details are in the log:\n{log}\n\nIf this happens "
        "again, please send that file to whoever supports pinupload for you."
    )


def install_excepthook(log: Path) -> None:
    """Log any uncaught exception and tell the user where the log is."""

    def hook(
        kind: type[BaseException], value: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            QApplication.quit()
            return
        logger.critical(
            "Unexpected error\n%s", "".join(traceback.format_exception(kind, value, tb))
        )
        app = QApplication.instance()
        if app is not None and threading.current_thread() is threading.main_thread():
            QMessageBox.critical(None, "pinupload: unexpected problem", crash_text(log))

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        logger.critical(
            "Unexpected error in a thread\n%s",
            "".join(
                traceback.format_exception(
                    args.exc_type, args.exc_value, args.exc_traceback
                )
            ),
        )

    sys.excepthook = hook
    threading.excepthook = thread_hook


def make_app(argv: list[str]) -> QApplication:
    """Return the QApplication (made once), named and with its icon."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication([sys.argv[0] if sys.argv else APP_NAME, *argv])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationVersion(__version__)
    QGuiApplication.setDesktopFileName(APP_ID)
    app.setWindowIcon(app_icon())
    return app


def open_window(argv: list[str]) -> MainWindow:
    """Set up the app and show the window (opening the file in `argv`, if any)."""
    log = setup_logging()
    install_excepthook(log)
    sys.setswitchinterval(SWITCH_INTERVAL)
    app = make_app(argv)
    from pinupload.gui.main_window import MainWindow

    logger.info("pinupload %s starting", __version__)
    window = MainWindow()
    app.installEventFilter(FileOpenFilter(window))
    window.show()
    files = [a for a in argv if not a.startswith("-")]
    if files:
        QTimer.singleShot(0, lambda: window.open_file(Path(files[0])))
    return window


def run_app(argv: list[str]) -> int:
    """Open the window (with the file in `argv`, if any); return the exit status."""
    window = open_window(argv)
    status = QApplication.exec()
    window.session.cancel()
    window.session.wait(10_000)
    QThreadPool.globalInstance().waitForDone(10_000)
    return int(status)

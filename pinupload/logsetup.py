"""Logging for the window and the command line: one rotating file in the log folder."""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path

from pinupload import paths

LOG_FILE = "pinupload.log"


def setup_logging(console: bool = True) -> Path:
    """Log to a rotating file in the log folder and return its path.

    With `console`, warnings also go to a terminal when there is one. Calling it
    again adds nothing unless the log folder has moved.
    """
    path = paths.log_dir() / LOG_FILE
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "pinupload", False)]:
        if Path(getattr(old, "baseFilename", "")) == path:
            return path
        # The log folder moved (PINUPLOAD_HOME changed): follow it.
        root.removeHandler(old)
        old.close()
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=2_000_000, backupCount=3, encoding="utf-8"
    )
    handler.pinupload = True  # type: ignore[attr-defined]
    handler.setFormatter(
        logging.Formatter(
            "%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"
        )
    )
    root.addHandler(handler)
    if console and sys.stderr is not None and sys.stderr.isatty():
        echo = logging.StreamHandler()
        echo.setLevel(logging.WARNING)
        root.addHandler(echo)
    root.setLevel(logging.INFO)
    # urllib3 logs every retry and connection at INFO: noise in a user's log.
    logging.getLogger("urllib3").setLevel(logging.WARNING)
    return path

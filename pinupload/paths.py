"""Where pinupload keeps its data, logs and bundled resources."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

from pinupload import APP_NAME


def data_dir() -> Path:
    """Return the app's data folder (created): PINUPLOAD_HOME, else the OS's choice."""
    home = os.environ.get("PINUPLOAD_HOME")
    path = Path(home) if home else Path(platformdirs.user_data_dir(APP_NAME, False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_dir() -> Path:
    """Return the folder for log files (created)."""
    home = os.environ.get("PINUPLOAD_HOME")
    if home:
        path = Path(home) / "logs"
    else:
        path = Path(platformdirs.user_log_dir(APP_NAME, False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def resources_dir() -> Path:
    """Return the bundled `resources/` folder, from a source tree or a frozen build."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource(name: str) -> Path:
    """Return the path of one bundled resource file."""
    return resources_dir() / name

"""Frozen builds start here: give a windowed build its streams, then run pinupload."""

from __future__ import annotations

import os
import sys


def _attach_streams() -> None:
    # A windowed Windows build has no stdout/stderr; `--version` and `--selftest` print,
    # so borrow the console of the shell that started us, else write nowhere.
    if sys.stdout is not None and sys.stderr is not None:
        return
    console = False
    if sys.platform == "win32" and len(sys.argv) > 1:
        import ctypes

        attach_parent_process = -1
        console = bool(ctypes.windll.kernel32.AttachConsole(attach_parent_process))
    target = "CONOUT$" if console else os.devnull
    if sys.stdout is None:
        sys.stdout = open(target, "w", encoding="utf-8")  # noqa: SIM115
    if sys.stderr is None:
        sys.stderr = open(target, "w", encoding="utf-8")  # noqa: SIM115


if __name__ == "__main__":
    _attach_streams()
    from pinupload.__main__ import run

    run()

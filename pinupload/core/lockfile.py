"""An exclusive lock on a file, released by the OS when its holder dies."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import IO

if sys.platform == "win32":
    import msvcrt
else:
    import fcntl


class LockFile:
    """Holds `path` locked against every other process until `release`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file: IO[bytes] | None = None

    def try_acquire(self) -> bool:
        """Take the lock if it is free; return whether this process now holds it."""
        handle = open(self.path, "a+b")  # noqa: SIM115 (kept open while locked)
        try:
            if sys.platform == "win32":
                handle.seek(0)
                msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        self._file = handle
        return True

    def fileno(self) -> int | None:
        """Return the descriptor that holds the lock, None when not held."""
        return self._file.fileno() if self._file is not None else None

    def release(self) -> None:
        """Let the lock go (closing the file releases it on every OS)."""
        if self._file is not None:
            self._file.close()
            self._file = None

"""Request bodies built ahead by forked children, so converting rows uses every core.

Turning rows into events costs about 30 microseconds a row, so one process builds
about 33 calls' worth a second, well under Pinterest's 83. On Linux, children forked
before the sender starts its threads share the checked rows (copy-on-write); each
builds every n-th body and writes it to its pipe, which blocks it when it is ahead.
Elsewhere (macOS frameworks and Windows do not survive fork) bodies are built here.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import struct
import sys
import threading
from collections.abc import Sequence
from typing import IO, TYPE_CHECKING

import orjson

if TYPE_CHECKING:
    from pinupload.core.upload import Sendable

if sys.platform.startswith("linux"):
    import fcntl

logger = logging.getLogger(__name__)

MIN_ROWS = 50_000  # below this, forking costs more than it saves
MAX_WORKERS = 4
_LENGTH = struct.Struct("!q")  # a body's length; -1: an error message follows


def body_of(checked: Sendable, chunk: Sequence[int]) -> bytes:
    """Return the request body (`{"data": [...]}`) of the rows at `chunk`."""
    return orjson.dumps({"data": checked.build_events(chunk)})


def worker_count(rows: int) -> int:
    """Return how many children to fork for `rows` rows (0: build bodies here)."""
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return 0
    if threading.current_thread() is not threading.main_thread():
        # Called from a worker thread (the window): other threads may hold locks
        # a forked child would wait on for ever, so build the bodies here.
        return 0
    if rows < MIN_ROWS:
        return 0
    return max(1, min(os.cpu_count() or 1, MAX_WORKERS))


class Bodies:
    """The body of each chunk, in order, from forked children or built here.

    Create it before any thread of the run starts (fork copies only the caller's
    thread). `close_in_child` lists descriptors a child must not keep, such as the
    ledger's lock, which would outlive a killed parent otherwise.
    """

    def __init__(
        self,
        checked: Sendable,
        chunks: Sequence[Sequence[int]],
        workers: int,
        close_in_child: Sequence[int] = (),
    ) -> None:
        self.checked, self.chunks = checked, chunks
        self._pipes: list[IO[bytes]] = []
        self._pids: list[int] = []
        if workers:
            sys.stdout.flush()
            sys.stderr.flush()
            for k in range(workers):
                self._fork(k, workers, close_in_child)
            logger.info("Building bodies in %d processes", workers)

    def _fork(self, k: int, workers: int, close_in_child: Sequence[int]) -> None:
        read_end, write_end = os.pipe()
        with contextlib.suppress(OSError, AttributeError):
            # room for a whole body, so a child may run one ahead of its reader
            fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, 1 << 20)
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child's lines are not traced
            os.close(read_end)
            for fd in close_in_child:
                os.close(fd)
            _child(self.checked, self.chunks[k::workers], write_end)
        os.close(write_end)
        self._pids.append(pid)
        self._pipes.append(os.fdopen(read_end, "rb", buffering=1 << 20))

    def body(self, position: int) -> bytes:
        """Return the body of chunk `position` (asked for in order, 0, 1, 2...).

        Raises RuntimeError when a child failed.
        """
        if not self._pipes:
            return body_of(self.checked, self.chunks[position])
        pipe = self._pipes[position % len(self._pipes)]
        head = pipe.read(_LENGTH.size)
        if len(head) != _LENGTH.size:
            raise RuntimeError("a process building request bodies stopped")
        (length,) = _LENGTH.unpack(head)
        if length < 0:
            raise RuntimeError(pipe.read().decode(errors="replace"))
        return pipe.read(length)

    def close(self) -> None:
        """Stop the children (they may be ahead) and collect them."""
        for pipe in self._pipes:
            pipe.close()
        for pid in self._pids:
            try:
                os.kill(pid, signal.SIGTERM)
                os.waitpid(pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
        self._pipes, self._pids = [], []


def _child(
    checked: Sendable, chunks: Sequence[Sequence[int]], write_end: int
) -> None:  # pragma: no cover - runs in a forked child
    code = 0
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides about Ctrl-C
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        with os.fdopen(write_end, "wb", buffering=1 << 20) as pipe:
            try:
                for chunk in chunks:
                    body = body_of(checked, chunk)
                    pipe.write(_LENGTH.pack(len(body)) + body)
                    pipe.flush()
            except (BrokenPipeError, OSError):
                raise
            except Exception as exc:  # told to the parent, which stops the run
                pipe.write(_LENGTH.pack(-1) + f"{type(exc).__name__}: {exc}".encode())
    except BaseException:
        code = 1
    finally:
        os._exit(code)

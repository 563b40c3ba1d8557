"""Keeping calls under Pinterest's limits: a sliding window with even pacing."""

from __future__ import annotations

import threading
import time
from collections import deque

# Pinterest counts calls on arrival; a call that travels slower than the one sent
# 5,000 calls earlier would land inside its window, so the window is a little wider.
WINDOW_MARGIN = 0.01


class RateLimiter:
    """At most `limit` call starts in any `window` seconds, shared by threads.

    Starts are spread evenly (no burst at the start of a window), and `pause` holds
    everyone back after Pinterest has said to wait.
    """

    def __init__(self, limit: int, window: float) -> None:
        if limit < 1 or window <= 0:
            raise ValueError("a rate limit needs at least one call per window")
        self.limit = limit
        self.span = window * (1 + WINDOW_MARGIN) + 0.05
        self._interval = self.span / limit
        self._credit = max(2 * self._interval, min(1.0, window / 10))
        self._starts: deque[float] = deque(maxlen=limit)
        self._next = 0.0
        self._paused_until = 0.0
        self._lock = threading.Lock()

    def acquire(self, cancel: threading.Event | None = None) -> bool:
        """Wait for a free slot and take it; return False if `cancel` was set first."""
        while True:
            with self._lock:
                now = time.monotonic()
                ready = self._ready_at()
                if ready <= now:
                    # up to a second of credit makes up for threads that woke late
                    # on a busy machine; the window above still caps every minute
                    self._next = max(self._next, now - self._credit)
                    self._next += self._interval
                    self._starts.append(now)
                    return True
            wait = min(ready - now, 1.0)
            if cancel is not None:
                if cancel.wait(wait):
                    return False
            else:
                time.sleep(wait)

    def _ready_at(self) -> float:
        ready = max(self._next, self._paused_until)
        if len(self._starts) == self.limit:
            ready = max(ready, self._starts[0] + self.span)
        return ready

    def pause(self, seconds: float) -> None:
        """Let no call start for `seconds` from now (Retry-After and the like)."""
        with self._lock:
            self._paused_until = max(self._paused_until, time.monotonic() + seconds)


_shared: dict[tuple[str, int, float], RateLimiter] = {}
_shared_lock = threading.Lock()


def shared_limiter(key: str, limit: int, window: float) -> RateLimiter:
    """Return the process-wide limiter for `key`, so parallel runs share one budget."""
    with _shared_lock:
        limiter = _shared.get((key, limit, window))
        if limiter is None:
            limiter = _shared[(key, limit, window)] = RateLimiter(limit, window)
        return limiter

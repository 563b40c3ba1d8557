"""Keeping calls under Pinterest's limits: a sliding window with even pacing."""

from __future__ import annotations

import threading
import time
from collections import deque

# Pinterest counts calls on arrival; a call that travels slower than the one sent
# 5,000 calls earlier would land inside its window, so the window is a little wider.
WINDOW_MARGIN = 0.01
LATE = 0.25  # seconds after its slot a call may still start


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
        """Wait for a slot of one's own and take it; False if `cancel` came first.

        Each caller reserves a distinct start time and sleeps until then, so one
        wake-up serves one call, however many threads wait.
        """
        while True:
            with self._lock:
                now = time.monotonic()
                # up to a second of credit makes up for threads that woke late on
                # a busy machine; the window still caps every minute
                if not self._starts:
                    self._next = now  # no credit before the first call: no burst
                self._next = max(self._next, now - self._credit)
                base = max(self._next, self._paused_until)
                if len(self._starts) == self.limit:
                    base = max(base, self._starts[0] + self.span)
                slot = max(base, now)
                self._next = base + self._interval
                self._starts.append(slot)
            wait = slot - time.monotonic()
            if wait > 0 and _sleep(wait, cancel):
                return False
            # a pause that came meanwhile, or a wake-up so late that the window's
            # record would be wrong: take a new slot (the old one stays counted)
            late = time.monotonic() - slot > LATE
            if not late and self._paused_until <= slot:
                return True

    def pause(self, seconds: float) -> None:
        """Let no call start for `seconds` from now (Retry-After and the like)."""
        with self._lock:
            self._paused_until = max(self._paused_until, time.monotonic() + seconds)


def _sleep(seconds: float, cancel: threading.Event | None) -> bool:
    """Sleep; return True if cancelled meanwhile."""
    if cancel is None:
        time.sleep(seconds)
        return False
    return cancel.wait(seconds)


_shared: dict[tuple[str, int, float], RateLimiter] = {}
_shared_lock = threading.Lock()


def shared_limiter(key: str, limit: int, window: float) -> RateLimiter:
    """Return the process-wide limiter for `key`, so parallel runs share one budget."""
    with _shared_lock:
        limiter = _shared.get((key, limit, window))
        if limiter is None:
            limiter = _shared[(key, limit, window)] = RateLimiter(limit, window)
        return limiter

"""A progress bar on stderr: counts, rate and time left."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from pinupload.core.results import Progress

WIDTH = 28


class ProgressBar:
    """Redraws one line on a terminal; elsewhere prints a line now and then."""

    def __init__(self, label: str, stream: TextIO | None = None) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty()
        self._every = 0.2 if self.live else 10.0
        self._last = 0.0
        self._drawn = False

    def __call__(self, progress: Progress) -> None:
        now = time.monotonic()
        finished = progress.done >= progress.total
        if not finished and now - self._last < self._every:
            return
        self._last = now
        line = render(self.label, progress)
        if self.live:
            self.stream.write("\r" + line + "\x1b[K")
            self._drawn = True
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def close(self) -> None:
        """End the bar's line so later output starts on a fresh one."""
        if self._drawn:
            self.stream.write("\n")
            self.stream.flush()
            self._drawn = False


def render(label: str, progress: Progress) -> str:
    """Return one line: label, bar, done/total, rate and time left."""
    total = max(progress.total, 1)
    share = min(progress.done / total, 1.0)
    filled = round(share * WIDTH)
    bar = "#" * filled + "-" * (WIDTH - filled)
    eta = (
        "" if progress.eta_seconds is None else f", {_clock(progress.eta_seconds)} left"
    )
    return (
        f"{label} [{bar}] {progress.done:,}/{progress.total:,} rows "
        f"({share:.0%}), {progress.rate:,.0f} events/s{eta}"
    )


def _clock(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"

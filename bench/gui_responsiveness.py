"""How long the window's event loop stalls while it loads and sends a big file.

    bash scripts/with-keyring.sh .venv/bin/python bench/gui_responsiveness.py \
        [--rows 1000000] [--file sales.csv] [--latency 0.05] [--trace]

Runs the real window offscreen: opens the file (read, check, preview), sorts it by
a column, then sends it for real to the stand-in Pinterest server, which runs in a
process of its own on 127.0.0.1. A 10 ms QTimer records the gaps between its
ticks; a second timer scrolls the table a page every 250 ms so the view keeps
repainting, as it would under a user's hand. Prints the longest stall and the
share of ticks late by more than 100 ms, per phase (target: no stall over 100 ms).

--trace also prints, per phase, the garbage collections over 5 ms and the longest
waits of a thread that only sleeps 5 ms at a time: a wait far longer than that
means another thread held the interpreter lock, and the stacks show where the
threads were right after.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gc
import os
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ACCOUNT, TOKEN = "123456", "bench-token"
SERVER = """
import sys
from tests.pinterest_server import PinterestServer
server = PinterestServer({sys.argv[1]: {sys.argv[2]}}, latency=float(sys.argv[3]),
                         use_schema=False)
server.start()
print(server.url, flush=True)
sys.stdin.read()
"""
HEADER = (
    "Order ID", "Sale Date", "Email", "Phone", "First Name", "Last Name", "City",
    "State", "ZIP", "Country", "Order Total", "Currency", "Qty",
)  # fmt: skip


def write_sales(path: Path, count: int) -> None:
    """Write `count` plausible sales from the last five days as CSV."""
    start = dt.datetime.now().replace(microsecond=0) - dt.timedelta(days=5)
    names = ("Alex", "Sam", "Jamie", "Robin", "Kim", "Lee", "Pat", "Drew")
    places = (("Boston", "MA", "02134"), ("Austin", "TX", "73301"),
              ("Denver", "CO", "80201"), ("Miami", "FL", "33101"))  # fmt: skip
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(HEADER)
        for i in range(count):
            first, last = names[i % 8], names[(i // 8) % 8]
            city, state, zip_code = places[i % 4]
            when = start + dt.timedelta(seconds=(i * 37) % (4 * 86400))
            out.writerow((
                f"ORD-{i:08d}", when.strftime("%Y-%m-%d %H:%M:%S"),
                f"{first}.{last}{i}@example.com", f"(415) 555-{i % 10000:04d}",
                first, last, city, state, zip_code, "US",
                f"{5 + i % 400}.{i % 100:02d}", "USD", 1 + i % 4,
            ))  # fmt: skip


class StallMeter:
    """Records how late a 10 ms timer fires, per named phase."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.phase = "start"
        self.gaps: dict[str, list[float]] = {}
        self._last = time.perf_counter()
        self.timer = QTimer(interval=10)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps.setdefault(self.phase, []).append(now - self._last - 0.010)
        self._last = now

    def report(self) -> None:
        print(f"{'phase':<10} {'ticks':>7} {'longest stall':>14} {'p99':>8} "
              f"{'> 100 ms':>9}")  # fmt: skip
        for phase, gaps in self.gaps.items():
            gaps = sorted(gaps)
            late = sum(1 for g in gaps if g > 0.100)
            print(
                f"{phase:<10} {len(gaps):>7} {gaps[-1] * 1000:>11.0f} ms "
                f"{gaps[int(len(gaps) * 0.99)] * 1000:>5.0f} ms {late:>9}"
            )


class LockTracer:
    """Records long garbage collections and long waits for the interpreter lock."""

    def __init__(self, meter: StallMeter) -> None:
        self.meter = meter
        self.collections: dict[tuple[str, int], list[float]] = {}
        self.waits: list[tuple[float, str, list[str]]] = []
        self._started = 0.0
        self._running = True
        gc.callbacks.append(self._collected)
        threading.Thread(target=self._watch, daemon=True).start()

    def _collected(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
            return
        took = time.perf_counter() - self._started
        if took > 0.005:
            key = (self.meter.phase, info["generation"])
            self.collections.setdefault(key, []).append(took)

    def _watch(self) -> None:
        me = threading.get_ident()
        while self._running:
            before = time.perf_counter()
            time.sleep(0.005)
            late = time.perf_counter() - before - 0.005
            if late > 0.03:
                stacks = [
                    " < ".join(
                        f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno}:{f.name}"
                        for f in reversed(traceback.extract_stack(frame)[-3:])
                    )
                    for ident, frame in sys._current_frames().items()
                    if ident != me
                ]
                self.waits.append((late, self.meter.phase, stacks))

    def report(self) -> None:
        self._running = False
        print("garbage collections over 5 ms (phase, generation: count, longest):")
        for (phase, gen), took in sorted(self.collections.items()):
            print(f"  {phase}, {gen}: {len(took)}, {max(took) * 1000:.0f} ms")
        print("longest waits for the interpreter lock:")
        for late, phase, stacks in sorted(self.waits, reverse=True)[:8]:
            print(f"  {phase} {late * 1000:.0f} ms")
            for stack, count in Counter(stacks).most_common():
                print(f"    {count} x {stack}")


def wait_for(signal: object, limit: float) -> float:
    """Run the event loop until `signal` fires; return the seconds it took."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    signal.connect(loop.quit)  # type: ignore[attr-defined]
    QTimer.singleShot(int(limit * 1000), loop.quit)
    started = time.perf_counter()
    loop.exec()
    return time.perf_counter() - started


def run(path: Path, url: str, trace: bool = False) -> None:
    from PySide6.QtCore import QTimer

    from pinupload.core import credentials
    from pinupload.gui.app import SWITCH_INTERVAL, make_app, setup_logging
    from pinupload.gui.main_window import MainWindow

    os.environ["PINUPLOAD_API_URL"] = url
    setup_logging()
    sys.setswitchinterval(SWITCH_INTERVAL)  # as run_app does
    app = make_app([])
    credentials.set_token(ACCOUNT, TOKEN, "Bench")
    window = MainWindow()
    window.resize(1280, 800)
    window.show()
    window.ask = lambda box: next(  # answer "Send N events"
        b for b in box.buttons() if b.text().startswith("Send")
    )
    meter = StallMeter()
    tracer = LockTracer(meter) if trace else None
    table = window.preview.table
    scroll = QTimer(interval=250)
    scroll.timeout.connect(
        lambda: table.verticalScrollBar().setValue(
            table.verticalScrollBar().value() + 40
        )
    )
    scroll.start()
    app.processEvents()

    def phase(
        name: str, signal: object, start: Callable[[], None], limit: float
    ) -> None:
        meter.phase = name
        start_time = time.perf_counter()
        start()
        wait_for(signal, limit)
        print(f"{name}: {time.perf_counter() - start_time:.1f} s", flush=True)

    phase("load", window.file_shown, lambda: window.open_file(path), 900)
    loaded = window.loaded()
    assert loaded is not None and loaded.state.check is not None, (
        "the file did not load"
    )
    print(f"  {loaded.state.rows:,} rows, {loaded.state.summary.ready:,} ready")
    header = window.preview.table.horizontalHeader()
    phase("sort", window.view_updated, lambda: header.sectionClicked.emit(4), 300)
    while window.session.busy():  # the look-up of rows sent before
        app.processEvents()
        time.sleep(0.01)
    window.send_panel.test_check.setChecked(False)
    phase("send", window.sending.send_done, window.sending.request_send, 1800)
    summary = window.sending.results
    print(f"  {len(summary):,} rows answered")
    meter.phase = "idle"
    wait_for(window.view_updated, 1.0)
    meter.timer.stop()
    meter.report()
    if tracer is not None:
        tracer.report()
    credentials.delete_token(ACCOUNT)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--file", type=Path, help="a CSV to use instead")
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--trace", action="store_true", help="see what stalls")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["PINUPLOAD_HOME"] = str(Path(tmp) / "home")
        path = args.file
        if path is None:
            path = Path(tmp) / f"sales-{args.rows}.csv"
            started = time.perf_counter()
            write_sales(path, args.rows)
            print(f"wrote {args.rows:,} rows in {time.perf_counter() - started:.0f} s")
        server = subprocess.Popen(
            [sys.executable, "-c", SERVER, TOKEN, ACCOUNT, str(args.latency)],
            cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        try:
            assert server.stdout is not None
            run(path, server.stdout.readline().strip(), args.trace)
        finally:
            server.terminate()
            server.wait(10)


if __name__ == "__main__":
    main()

"""How close sending comes to Pinterest's limit of 5,000 calls a minute, never above it.

    python bench/send_throughput.py [--seconds 90] [--latency 0.2] [--limit 5000]

The stand-in server runs in a process of its own with the added latency and the
limit; this process runs the real sender (run_upload: ledger, pool, rate limiter)
over enough synthetic 1000-event batches to keep the limit busy for `--seconds`.
Prints events/s, calls/s, the fraction of the limit reached and the peak number of
calls that arrived within any 60 s (target: at least 90 % of the limit, never over).
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pinupload.core.api import PinterestClient  # noqa: E402
from pinupload.core.model import Problem, Table  # noqa: E402
from pinupload.core.upload import run_upload  # noqa: E402

ACCOUNT, TOKEN = "123456", "bench-token"


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class SyntheticFile:
    """`rows` valid sales shaped like the engine's events (about 770 bytes each)."""

    def __init__(self, rows: int) -> None:
        self.table = Table(Path("bench.csv"), None, [], 1, [], [], [])
        self.event_ids: list[str | None] = [f"bench-{i:09d}" for i in range(rows)]
        keys = ("em", "ph", "fn", "ln", "ct", "st", "zp", "country", "external_id")
        self._base = {
            "event_name": "checkout",
            "action_source": "offline",
            "event_time": int(time.time()) - 3600,
            "user_data": {k: [_hash(k + "-value")] for k in keys},
            "custom_data": {"currency": "USD", "value": "42.50", "num_items": 2},
        }

    @property
    def rows(self) -> int:
        return len(self.event_ids)

    @property
    def problems_by_index(self) -> dict[int, list[Problem]]:
        return {}

    def row_number(self, index: int) -> int:
        return index + 2

    def build_events(self, indices: Sequence[int]) -> list[dict[str, Any]]:
        # from a template: the engine's own cost is bench/check_speed.py's business
        base, ids = self._base, self.event_ids
        return [{**base, "event_id": ids[i]} for i in indices]


def peak_in_window(times: list[float], window: float = 60.0) -> int:
    times = sorted(times)
    best = start = 0
    for end, t in enumerate(times):
        while t - times[start] >= window:
            start += 1
        best = max(best, end - start + 1)
    return best


def start_server(latency: float, limit: int) -> tuple[subprocess.Popen[str], str]:
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.pinterest_server",
            "--latency",
            str(latency),
            "--calls-per-minute",
            str(limit),
            "--token",
            TOKEN,
            "--account",
            ACCOUNT,
            "--fast",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None
    return server, server.stdout.readline().strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=90.0)
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--limit", type=int, default=5000, help="calls per minute")
    args = parser.parse_args()

    rows = int(args.limit / 60 * args.seconds * 1000)
    server, url = start_server(args.latency, args.limit)
    home = tempfile.mkdtemp(prefix="pinupload-bench-")
    os.environ.update(PINUPLOAD_HOME=home, PINUPLOAD_API_URL=url)
    try:
        source = SyntheticFile(rows)
        gc.freeze()  # as `pinupload send` does once the file is checked
        client = PinterestClient(
            ACCOUNT, TOKEN, test=False, calls_per_minute=args.limit
        )
        cancel = threading.Event()
        timer = threading.Timer(args.seconds * 1.5, cancel.set)  # a bound, not a goal
        timer.start()
        cpu, started = time.process_time(), time.monotonic()
        summary = run_upload(
            source, ACCOUNT, TOKEN, test=False, client=client, cancel=cancel
        )
        elapsed, cpu = time.monotonic() - started, time.process_time() - cpu
        timer.cancel()
        with urllib.request.urlopen(url.removesuffix("/v5") + "/_stats") as answer:
            stats = json.load(answer)
    finally:
        server.terminate()
        server.wait(10)

    calls = [c for c in stats["calls"] if not c[1]]
    times = [c[0] for c in calls]
    span = max(times) - min(times) if len(times) > 1 else 0.0
    ceiling = args.limit / 60
    peak = peak_in_window(times)
    rate = (len(calls) - 1) / span if span else 0.0
    print(
        f"rows {rows:,}, latency {args.latency * 1000:.0f} ms, limit {args.limit:,}/min"
    )
    print(f"run: {elapsed:.1f} s wall, {cpu:.1f} s CPU in the sender's process")
    print(f"calls: {len(calls):,} ({sum(c[2] == 429 for c in calls)} answered 429)")
    print(
        f"events processed: {stats['processed']:,}, sent twice: {stats['duplicates']}"
    )
    print(f"events/s over the run: {summary.processed / elapsed:,.0f}")
    print(
        f"calls/s first to last call: {rate:.1f} of {ceiling:.1f} "
        f"({rate / ceiling:.1%} of the limit)"
    )
    print(
        f"peak calls in any 60 s: {peak:,} of {args.limit:,} "
        f"({peak / args.limit:.1%}){'  OVER THE LIMIT' if peak > args.limit else ''}"
    )


if __name__ == "__main__":
    main()

"""How fast `pinupload check --payload` is against calamine's bare read, and its memory.

    python bench/check_speed.py [ROWS ...]     (default: 100000 1000000)

Each measurement is a fresh process, timed from start to exit, so interpreter
start-up counts on both sides. "cpu s" is the check's processor time, workers
included. "peak MB" is the largest resident set of any one
process; "all MB" is the most that the check and its forked workers held
together (their proportional set sizes summed, sampled every 20 ms: pages a
worker shares with its parent count once). Targets: xlsx check <= 1.5x
calamine's bare read; csv >= 100,000 rows/s; 1,000,000 rows under 1 GB.
For workbooks each check runs right after a bare read, and "ratio" is the
median of those pairs' ratios; times are the best runs.
"""

from __future__ import annotations

import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.make_files import ensure

BARE_READ = (
    "import sys, python_calamine as c\n"
    "s = c.CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_index(0)\n"
    "n = sum(1 for _ in s.iter_rows())\n"
)


def _tree(pid: int) -> list[int]:
    """Return `pid` and its descendants (Linux /proc)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    todo.extend(int(c) for c in handle.read().split())
        except OSError:
            continue
    return found


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def measure(argv: list[str]) -> tuple[float, float, float, float]:
    """Return (wall s, CPU s, largest process MB, whole tree MB) of one run."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL)
    most = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal most
        while not done.wait(0.02):
            most = max(most, sum(_pss_kb(p) for p in _tree(proc.pid)))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{argv} failed with status {status}")
    cpu = usage.ru_utime + usage.ru_stime
    return wall, cpu, usage.ru_maxrss / 1024, most / 1024


def measure_check(argv: list[str], payload: Path) -> tuple[float, float, float, float]:
    """Return measure() of a check that writes `payload` anew, as a first run does.

    Overwriting the last run's payload would add its removal and, on ext4, a
    flush forced when the truncated file is closed (30-40 ms at 100,000 rows):
    the cost of the file left before, not of the check.
    """
    payload.unlink(missing_ok=True)
    return measure(argv)


def best_of(
    runs: int, argv: list[str], payload: Path
) -> tuple[float, float, float, float]:
    results = [measure_check(argv, payload) for _ in range(runs)]
    return (
        min(r[0] for r in results),
        min(r[1] for r in results),
        max(r[2] for r in results),
        max(r[3] for r in results),
    )


def main() -> None:
    counts = [int(a) for a in sys.argv[1:]] or [100_000, 1_000_000]
    # An installed pinupload has its modules compiled (pip does it at install,
    # the bundle holds them); a checkout run with PYTHONDONTWRITEBYTECODE never
    # keeps them, and would compile 30 modules at each start (20-25 ms).
    compileall.compile_dir(
        Path(__file__).resolve().parent.parent / "pinupload", quiet=1
    )
    out = Path(__file__).parent / "out"
    py = sys.executable
    print(f"{'file':<22} {'rows':>9} {'read s':>7} {'check s':>8} {'ratio':>6} "
          f"{'rows/s':>9} {'cpu s':>6} {'peak MB':>8} {'all MB':>7}")  # fmt: skip
    for count in counts:
        runs = 3 if count <= 100_000 else 2
        xlsx, text = ensure(count, out)
        with tempfile.TemporaryDirectory() as tmp:
            payload = Path(tmp) / "payload.jsonl"
            for path in (xlsx, text):
                check = [
                    py,
                    "-m",
                    "pinupload",
                    "check",
                    str(path),
                    "--payload",
                    str(payload),
                ]
                bare = [py, "-c", BARE_READ, str(path)]
                if path.suffix == ".xlsx":
                    # Each check right after a bare read of the same file: the
                    # machine's speed drifts, and a pair sees the same speed.
                    pairs = [
                        (measure(bare)[0], measure_check(check, payload))
                        for _ in range(runs)
                    ]
                    read = min(p[0] for p in pairs)
                    wall, cpu = min(p[1][0] for p in pairs), min(p[1][1] for p in pairs)
                    peak = max(p[1][2] for p in pairs)
                    tree = max(p[1][3] for p in pairs)
                    ratio = f"{statistics.median(p[1][0] / p[0] for p in pairs):.2f}"
                else:
                    wall, cpu, peak, tree = best_of(runs, check, payload)
                    read, ratio = float("nan"), "-"
                print(
                    f"{path.name:<22} {count:>9} {read:>7.2f} {wall:>8.2f} "
                    f"{ratio:>6} {count / wall:>9,.0f} {cpu:>6.2f} {peak:>8.0f} "
                    f"{tree:>7.0f}",
                    flush=True,
                )


if __name__ == "__main__":
    main()

"""Screenshots of every screen of the window, for the README.

    xvfb-run -a -s "-screen 0 1280x800x24" bash scripts/with-keyring.sh \
        .venv/bin/python docs/screenshots/take.py

Runs the real window on the virtual screen against the stand-in Pinterest server
(in this process, on 127.0.0.1), with a throw-away data folder and keyring
session. Writes the PNGs next to this script; `--scale 2` (run by the script
itself in a second process) takes the 200 % one.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

ACCOUNT, TOKEN = "549755813888", "screenshot-token"


def sample_file(folder: Path, rows: int = 240) -> Path:
    """A store's week of sales, with the usual mistakes in a few rows."""
    from tests.sheets import recent, write_xlsx

    rnd = random.Random(4)
    names = ["Alex Morgan", "Jamie Lee", "Sam Taylor", "Robin Diaz", "Kim Novak",
             "Pat Quinn", "Drew Park", "Lou Chen"]  # fmt: skip
    header = ["Order #", "Sale Date", "Customer Email", "Phone", "First Name",
              "Last Name", "ZIP", "Order Total", "Currency", "Store"]  # fmt: skip
    data: list[list[object]] = [header]
    for i in range(rows):
        first, last = rnd.choice(names).split()
        email = f"{first}.{last}{i}@example.com"
        when: object = recent(1 + i % 5, hour=9 + i % 9)
        if i % 41 == 7:
            email = f"{first} {last}"  # a name typed where the email goes
        if i % 53 == 11:
            when = None
        if i % 37 == 5:
            when = recent(20)
        phone = f"(415) 555-{rnd.randrange(10000):04d}" if i % 3 else ""
        data.append([f"S-{5000 + i}", when, email, phone, first, last,
                     f"{94100 + i % 60}", round(rnd.uniform(8, 300), 2), "USD",
                     f"Store {1 + i % 4}"])  # fmt: skip
    return write_xlsx(folder / "store-sales-week-48.xlsx", data)


def odd_file(folder: Path) -> Path:
    from tests.sheets import recent, write_xlsx

    rows = [["Ref", "Buyer", "When it happened", "Amount"]]
    rows += [[f"R{i}", f"buyer{i}@example.com", recent(1), 10 + i] for i in range(30)]
    return write_xlsx(folder / "export-from-till.xlsx", rows)


class Shooter:
    def __init__(self, scale: float) -> None:
        from PySide6.QtWidgets import QApplication

        from pinupload.gui.app import make_app

        self.app: QApplication = make_app([])
        self.scale = scale

    def settle(self, seconds: float = 0.4) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self.app.processEvents()
            time.sleep(0.02)

    def until(self, test, limit: float = 60.0) -> None:  # type: ignore[no-untyped-def]
        end = time.monotonic() + limit
        while not test():
            if time.monotonic() > end:
                raise RuntimeError("the window did not get there in time")
            self.app.processEvents()
            time.sleep(0.02)

    def save(self, widget, name: str, settle: float = 0.4) -> None:  # type: ignore[no-untyped-def]
        self.settle(settle)
        widget.grab().save(str(HERE / name))
        print("saved", name, flush=True)


def take_all(work: Path) -> None:
    from pinupload.core import credentials
    from pinupload.gui.main_window import MainWindow
    from pinupload.gui.rowfilter import PROBLEMS
    from tests.pinterest_server import PinterestServer

    shots = Shooter(1.0)
    server = PinterestServer({TOKEN: {ACCOUNT}}, latency=1.5).start()
    os.environ["PINUPLOAD_API_URL"] = server.url
    window = MainWindow()
    window.resize(1280, 800)
    window.move(0, 0)
    window.show()
    shots.save(window, "empty.png")

    window.open_file(odd_file(work))
    shots.until(lambda: window.loaded() is not None and not window.session.busy())
    shots.save(window, "mapping.png")

    credentials.set_token(ACCOUNT, TOKEN, "Main store")
    window.sending.reload_accounts(ACCOUNT)
    window.open_file(sample_file(work))
    shots.until(lambda: window.loaded() is not None and not window.session.busy()
                and window.loaded().table.path.name.startswith("store"))  # fmt: skip
    window.preview.set_filter(PROBLEMS)
    shots.until(lambda: window.preview.model.rowCount() < 60)
    window.preview.table.selectRow(0)
    shots.save(window, "loaded-with-problems.png")

    window.preview.set_filter("all")
    shots.until(lambda: window.preview.model.rowCount() == 240)
    window.side_tabs.setCurrentIndex(1)
    window.preview.table.selectRow(2)
    shots.save(window, "test-mode.png")

    bar = window.send_panel.progress
    window.sending.request_send()  # a test run: batches of 20, answered slowly
    shots.until(lambda: 0 < bar.value() < bar.maximum() - 40, 60)
    shots.save(window, "sending.png", settle=0.0)
    shots.until(lambda: not window.sending.running(), 120)

    window.send_panel.test_check.setChecked(False)
    window.ask = lambda box: next(
        b for b in box.buttons() if b.text().replace("&", "").startswith("Send")
    )
    window.sending.request_send()
    shots.until(lambda: not window.sending.running(), 120)
    qt_table = window.preview.table
    for column in range(2, 4):
        qt_table.setColumnWidth(column, 90)
    window.side_tabs.setCurrentIndex(0)
    window.preview.table.selectRow(5)
    shots.save(window, "results.png")

    dialog = window.sending.open_accounts()
    dialog.resize(640, 520)
    dialog.account_list.setCurrentRow(0)
    shots.save(dialog, "accounts.png")
    dialog.close()

    history = window.sending.open_history()
    history.resize(1200, 640)
    history.runs_view.selectRow(0)
    shots.until(lambda: history.rows.rowCount() > 0)
    history.runs_view.resizeColumnsToContents()
    shots.save(history, "history.png")
    history.close()
    credentials.delete_token(ACCOUNT)
    server.stop()


def take_scaled(work: Path) -> None:
    from pinupload.gui.main_window import MainWindow

    shots = Shooter(2.0)
    window = MainWindow()
    window.resize(1280, 800)
    window.show()
    window.open_file(sample_file(work))
    shots.until(lambda: window.loaded() is not None and not window.session.busy())
    window.preview.table.selectRow(7)
    shots.save(window, "scale-200.png")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["PINUPLOAD_HOME"] = str(Path(tmp) / "home")
        if args.scale == 1.0:
            take_all(Path(tmp))
            env = dict(os.environ, QT_SCALE_FACTOR="2")
            subprocess.run(
                [sys.executable, __file__, "--scale", "2"], env=env, check=True
            )
        else:
            take_scaled(Path(tmp))


if __name__ == "__main__":
    main()

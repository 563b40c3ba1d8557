"""`pinupload send`, `history` and `token` as a user runs them, against the stand-in."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.pinterest_server import PinterestServer
from tests.sheets import sales_rows, write_csv

ROOT = Path(__file__).resolve().parent.parent
ACCOUNT = "123456"
KEYS = {
    "test",
    "rows",
    "valid",
    "invalid",
    "sent",
    "processed",
    "failed",
    "skipped",
    "unconfirmed",
    "warnings",
    "run_id",
}


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[PinterestServer]:
    with PinterestServer(use_schema=False) as srv:
        monkeypatch.setenv("PINUPLOAD_API_URL", srv.url)
        monkeypatch.setenv("PINUPLOAD_TOKEN", "good-token")
        yield srv


def pinupload(
    *args: str, stdin: Any = subprocess.DEVNULL, typed: str | None = None, **env: str
) -> Any:
    """Run the real command line; `typed` is fed to its stdin."""
    feed: dict[str, Any] = {"input": typed} if typed is not None else {"stdin": stdin}
    return subprocess.run(
        [sys.executable, "-m", "pinupload", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
        **feed,
    )


def sales(tmp_path: Path, n: int = 4, blank_last: bool = True) -> str:
    rows: list[Any] = [list(r) for r in sales_rows(n)]
    if blank_last:
        rows[-1][1] = rows[-1][2] = ""
    return str(write_csv(tmp_path / "sales.csv", rows))


def test_send_json_report_and_history(server: PinterestServer, tmp_path: Path) -> None:
    report = tmp_path / "out.xlsx"
    done = pinupload(
        "send",
        sales(tmp_path),
        "--ad-account",
        ACCOUNT,
        "--yes",
        "--json",
        "--report",
        str(report),
    )
    assert done.returncode == 1, done.stderr  # one invalid row
    summary = json.loads(done.stdout)
    assert set(summary) == KEYS
    assert (summary["processed"], summary["invalid"], summary["test"]) == (3, 1, False)
    assert len(server.processed()) == 3
    rows = list(load_workbook(report)["Report"].iter_rows(values_only=True))
    assert [r[-4] for r in rows[1:]] == ["processed"] * 3 + ["invalid"]

    again = pinupload(
        "send", sales(tmp_path), "--ad-account", ACCOUNT, "--yes", "--json"
    )
    assert json.loads(again.stdout)["skipped"] == 3
    history = json.loads(pinupload("history", "--json").stdout)["runs"]
    assert [r["skipped"] for r in history] == [3, 0]
    assert history[1]["processed"] == 3 and history[1]["account_id"] == ACCOUNT
    assert "processed" in pinupload("history").stdout


def test_clean_test_run_exits_0(server: PinterestServer, tmp_path: Path) -> None:
    path = sales(tmp_path, 3, blank_last=False)
    done = pinupload("send", path, "--ad-account", ACCOUNT, "--test")
    assert done.returncode == 0, done.stderr
    assert "Test run" in done.stdout and "3 processed" in done.stdout
    assert server.processed() == {} and len(server.processed(test=True)) == 3


def test_real_run_without_a_terminal_needs_yes(
    server: PinterestServer, tmp_path: Path
) -> None:
    done = pinupload("send", sales(tmp_path), "--ad-account", ACCOUNT)
    assert done.returncode == 2
    assert "--yes" in done.stderr and "Traceback" not in done.stderr
    assert server.calls() == []


@pytest.mark.parametrize(("answer", "code"), [(b"yes\n", 1), (b"no\n", 2)])
def test_real_run_asks_on_a_terminal(
    server: PinterestServer, tmp_path: Path, answer: bytes, code: int
) -> None:
    main, secondary = pty.openpty()
    os.write(main, answer)
    done = pinupload("send", sales(tmp_path), "--ad-account", ACCOUNT, stdin=secondary)
    os.close(main)
    os.close(secondary)
    assert "Type yes to send" in done.stderr
    assert done.returncode == code, done.stderr
    assert len(server.processed()) == (3 if code == 1 else 0)


def test_refused_token_exits_2(server: PinterestServer, tmp_path: Path) -> None:
    done = pinupload(
        "send",
        sales(tmp_path),
        "--ad-account",
        ACCOUNT,
        "--yes",
        PINUPLOAD_TOKEN="pina_revoked_secret",
    )
    assert done.returncode == 2
    assert "HTTP 401" in done.stdout and "new conversion access token" in done.stdout
    assert "pina_revoked_secret" not in done.stdout + done.stderr


def test_bad_account_and_url_exit_2(server: PinterestServer, tmp_path: Path) -> None:
    bad = pinupload("send", sales(tmp_path), "--ad-account", "12-34", "--yes")
    assert bad.returncode == 2 and "digits only" in bad.stderr
    remote = pinupload(
        "send",
        sales(tmp_path),
        "--ad-account",
        ACCOUNT,
        "--yes",
        PINUPLOAD_API_URL="http://example.com/v5",
    )
    assert remote.returncode == 2 and "PINUPLOAD_API_URL" in remote.stderr


@pytest.mark.skipif(
    os.environ.get("PINUPLOAD_IN_KEYRING_SESSION") != "1",
    reason="needs the throw-away gnome-keyring: run via scripts/with-keyring.sh",
)
def test_token_commands_and_send_with_a_saved_token(
    server: PinterestServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PINUPLOAD_TOKEN")
    missing = pinupload("send", sales(tmp_path), "--ad-account", ACCOUNT, "--yes")
    assert missing.returncode == 2 and "token set" in missing.stderr
    saved = pinupload(
        "token", "set", "--ad-account", ACCOUNT, "--label", "Shop", typed="good-token\n"
    )
    assert saved.returncode == 0, saved.stderr
    listed = pinupload("token", "list", "--json")
    assert json.loads(listed.stdout)["accounts"] == [{"id": ACCOUNT, "label": "Shop"}]
    assert "good-token" not in listed.stdout
    sent = pinupload("send", sales(tmp_path), "--ad-account", ACCOUNT, "--yes")
    assert sent.returncode == 1 and len(server.processed()) == 3
    assert pinupload("token", "delete", "--ad-account", ACCOUNT).returncode == 0
    assert "No tokens saved" in pinupload("token", "list").stdout


def test_progress_line_and_exit_status() -> None:
    from pinupload.cli.progress import render
    from pinupload.cli.send import exit_status
    from pinupload.core.results import Progress, UploadSummary

    line = render("Sending", Progress(2500, 10000, 812.4, 3700))
    assert line.startswith("Sending [#######---------------------]")
    assert "2,500/10,000 rows (25%), 812 events/s, 1:01:40 left" in line
    clean = UploadSummary(1, False, rows=5, valid=5, processed=3, skipped=2)
    assert exit_status(clean) == 0
    assert exit_status(UploadSummary(1, False, rows=5, valid=4, invalid=1)) == 1
    assert exit_status(UploadSummary(1, False, unconfirmed=2)) == 1
    assert exit_status(UploadSummary(1, False, fatal="Pinterest refused")) == 2

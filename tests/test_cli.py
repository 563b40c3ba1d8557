"""The command line's own behaviour: quick options and no traceback, ever."""

from __future__ import annotations

from pathlib import Path

import pytest

from pinupload.cli import run_cli
from pinupload.core import check as core_check


def test_an_unexpected_failure_is_one_sentence_and_a_logged_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], app_home: Path
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("internal state went wrong")

    monkeypatch.setattr(core_check, "check_file", broken)
    status = run_cli(["check", "resources/sample.xlsx"])
    err = capsys.readouterr().err
    assert status == 2
    assert "something went wrong inside pinupload" in err
    assert "Traceback" not in err
    log = app_home / "logs" / "pinupload.log"
    assert "RuntimeError: internal state went wrong" in log.read_text()


def test_version_and_help_need_no_command_module(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as done:
        run_cli(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.startswith("pinupload ")
    with pytest.raises(SystemExit):
        run_cli(["--help"])
    assert "check" in capsys.readouterr().out


@pytest.mark.parametrize("entry", ["module", "script"])
def test_check_as_a_program_keeps_its_status_output_and_log(
    tmp_path: Path, app_home: Path, entry: str
) -> None:
    """`check` ends the process without teardown; nothing it wrote may be lost."""
    import json
    import os
    import shutil
    import subprocess
    import sys

    from tests.sheets import SALES_HEADER, recent, write_csv

    rows = [SALES_HEADER, ("A-1", "a@example.com", "", recent(1), "5", "USD", 1),
            ("A-2", "bad@", "", recent(1), "5", "USD", 1)]  # fmt: skip
    path = write_csv(tmp_path / "s.csv", rows)
    payload = tmp_path / "payload.jsonl"
    args = ["check", str(path), "--json", "--payload", str(payload)]
    if entry == "module":
        command = [sys.executable, "-m", "pinupload", *args]
    else:
        script = shutil.which("pinupload", path=str(Path(sys.executable).parent))
        assert script is not None, "the console script is not installed"
        command = [script, *args]
    env = {**os.environ, "PINUPLOAD_HOME": str(app_home)}
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 1, done.stderr
    summary = json.loads(done.stdout)
    assert (summary["valid"], summary["invalid"]) == (1, 1)
    assert len(json.loads(payload.read_text())["data"]) == 1
    log = (app_home / "logs" / "pinupload.log").read_text()
    assert "checked s.csv: 2 rows, 1 valid" in log

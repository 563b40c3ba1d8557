"""The command line's own behaviour: quick options and no traceback, ever."""

from __future__ import annotations

from pathlib import Path

import pytest

from pinupload.cli import check as check_command
from pinupload.cli import run_cli


def test_an_unexpected_failure_is_one_sentence_and_a_logged_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], app_home: Path
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("internal state went wrong")

    monkeypatch.setattr(check_command, "check_file", broken)
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

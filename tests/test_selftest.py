"""`pinupload --selftest`: each check passes on a sound install, fails when broken."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pinupload.selftest import ALLOW_NO_KEYRING, CHECKS, run_selftest

in_keyring_session = pytest.mark.skipif(
    os.environ.get("PINUPLOAD_IN_KEYRING_SESSION") != "1",
    reason="needs the Secret Service of scripts/with-keyring.sh",
)
FAIL_BACKEND = "keyring.backends.fail.Keyring"


def _run(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **env}
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        env=full_env,
    )


@in_keyring_session
def test_all_checks_pass_here(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_selftest() == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == "selftest passed"
    for name in CHECKS:
        assert any(line.startswith(f"ok   {name}: ") for line in lines), name
    keyring_line = next(line for line in lines if line.startswith("ok   keyring"))
    assert "SecretService" in keyring_line
    assert "stored, read and deleted" in keyring_line


def test_no_keyring_fails_unless_allowed() -> None:
    code = (
        "import sys; from pinupload.selftest import run_selftest\n"
        "sys.exit(run_selftest(['keyring']))"
    )
    failed = _run(code, PYTHON_KEYRING_BACKEND=FAIL_BACKEND)
    assert failed.returncode == 1, failed.stderr
    assert f"FAIL keyring: {FAIL_BACKEND}: no secure keyring" in failed.stdout
    assert "selftest failed: 1 check(s)" in failed.stdout

    allowed = _run(code, PYTHON_KEYRING_BACKEND=FAIL_BACKEND, **{ALLOW_NO_KEYRING: "1"})
    assert allowed.returncode == 0, allowed.stdout + allowed.stderr
    assert f"ok   keyring: {FAIL_BACKEND}: no secure keyring, allowed" in allowed.stdout


def test_checks_other_than_qt_leave_qt_unloaded() -> None:
    others = [name for name in CHECKS if name not in ("qt", "window")]
    code = (
        "import sys; from pinupload.selftest import run_selftest\n"
        f"status = run_selftest({others!r})\n"
        "qt = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken')))\n"
        "print('QT:' + ','.join(qt))\n"
        "sys.exit(status)"
    )
    out = _run(code, PYTHON_KEYRING_BACKEND=FAIL_BACKEND, **{ALLOW_NO_KEYRING: "1"})
    assert out.returncode == 0, out.stdout + out.stderr
    assert "QT:\n" in out.stdout
    assert out.stdout.count("\nok   ") == len(others)


def test_qt_check_fails_when_the_bundle_lacks_its_icons(tmp_path: Path) -> None:
    # A frozen build finds resources under sys._MEIPASS: point it at an empty folder.
    code = (
        "import sys\n"
        f"sys._MEIPASS = {str(tmp_path)!r}\n"
        "from pinupload.selftest import run_selftest\n"
        "sys.exit(run_selftest(['qt']))"
    )
    out = _run(code)
    assert out.returncode == 1, out.stderr
    assert f"FAIL qt: icon missing: {tmp_path / 'resources' / 'icons'}" in out.stdout


def test_window_check_fails_when_the_window_is_missing() -> None:
    # None in sys.modules makes the import fail, as in a build that left it out.
    code = (
        "import sys\n"
        "sys.modules['pinupload.gui.app'] = None\n"
        "from pinupload.selftest import run_selftest\n"
        "sys.exit(run_selftest(['window']))"
    )
    out = _run(code)
    assert out.returncode == 1, out.stderr
    assert "FAIL window: the window does not load: import of pinupload.gui.app" in (
        out.stdout
    )


def test_a_crashing_check_is_one_line_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken() -> str:
        raise OSError("disk on fire")

    monkeypatch.setitem(CHECKS, "data", broken)
    assert run_selftest(["data", "certificates"]) == 1
    out = capsys.readouterr().out
    assert "FAIL data: OSError('disk on fire')" in out
    assert "ok   certificates:" in out
    assert "Traceback" not in out


@in_keyring_session
def test_the_command_line_flag_runs_it() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "pinupload", "--selftest"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.splitlines()[-1] == "selftest passed"

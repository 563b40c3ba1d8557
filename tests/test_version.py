"""The version lives in pinupload.__version__ alone; `pinupload --version` prints it."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pinupload

ROOT = Path(__file__).resolve().parent.parent
# Files that describe a release; none may carry a version of its own.
RELEASE_FILES = [
    "installer/pinupload.spec",
    "installer/build.sh",
    "installer/build.ps1",
    "installer/windows/pinupload.iss",
    "installer/macos/make_dmg.sh",
    "installer/linux/package.sh",
    "installer/linux/install.sh",
    "installer/linux/com.pinupload.Pinupload.desktop",
]


def test_version_prints_the_package_version() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "pinupload", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout == f"pinupload {pinupload.__version__}\n"


def test_packaging_reads_the_version_from_the_package() -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+", pinupload.__version__)
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"]
    assert "version" in project["project"]["dynamic"]
    dynamic = project["tool"]["setuptools"]["dynamic"]["version"]
    assert dynamic == {"attr": "pinupload.__version__"}


def test_no_installer_file_hard_codes_a_version() -> None:
    for name in RELEASE_FILES:
        text = (ROOT / name).read_text(encoding="utf-8")
        found = re.findall(r"(?<![\w.])\d+\.\d+\.\d+(?![\w.])", text)
        assert not found, f"{name} names version {found}: use pinupload.__version__"

"""The core never imports Qt: each core module loads without it in a fresh process."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pinupload
import pinupload.cli
import pinupload.core


def _core_modules() -> list[str]:
    names = ["pinupload", "pinupload.paths", "pinupload.__main__"]
    for package in (pinupload.core, pinupload.cli):
        names.append(package.__name__)
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            names.append(info.name)
    return names


def test_core_modules_do_not_import_qt() -> None:
    modules = _core_modules()
    assert "pinupload.core.model" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "qt = ('PySide6', 'shiboken')\n"
        "bad = sorted(m for m in sys.modules if m.startswith(qt))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "", f"Qt imported by core: {out.stdout}"

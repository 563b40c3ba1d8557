"""The Linux tarball: its menu entry, and install.sh adding it to a menu and back."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

from pinupload import APP_ID

ROOT = Path(__file__).resolve().parent.parent
LINUX = ROOT / "installer" / "linux"
SPREADSHEET_TYPES = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.ms-excel",
    "application/vnd.oasis.opendocument.spreadsheet",
    "text/csv",
}
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def _entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def test_desktop_entry_opens_spreadsheets() -> None:
    path = LINUX / f"{APP_ID}.desktop"
    entry = _entry(path)
    assert entry["Type"] == "Application"
    assert entry["Icon"] == APP_ID
    assert entry["Exec"].split() == ["pinupload", "%f"]
    assert set(filter(None, entry["MimeType"].split(";"))) == SPREADSHEET_TYPES
    validate = shutil.which("desktop-file-validate")
    if validate:
        out = subprocess.run([validate, str(path)], capture_output=True, text=True)
        assert out.returncode == 0, out.stdout + out.stderr


def _fake_bundle(dist: Path) -> None:
    # A stand-in executable: packing and installing copy it, never run the app.
    bundle = dist / "pinupload"
    (bundle / "_internal").mkdir(parents=True)
    (bundle / "_internal" / "marker.txt").write_text("bundled file\n")
    exe = bundle / "pinupload"
    exe.write_text('#!/bin/sh\necho pinupload-bundle "$@"\n')
    exe.chmod(0o755)


def _run(args: list[str], env: dict[str, str]) -> str:
    out = subprocess.run(args, capture_output=True, text=True, env=env, timeout=60)
    assert out.returncode == 0, out.stdout + out.stderr
    return out.stdout


@pytest.mark.skipif(shutil.which("tar") is None, reason="needs tar")
def test_tarball_installs_for_the_user_and_uninstalls(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    _fake_bundle(dist)
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path / "home")}
    printed = _run(["bash", str(LINUX / "package.sh"), "9.8.7", str(dist)], env)
    arch = os.uname().machine
    tarball = dist / f"pinupload-9.8.7-linux-{arch}.tar.gz"
    assert printed.strip() == str(tarball)

    with tarfile.open(tarball) as archive:
        archive.extractall(tmp_path / "unpacked", filter="tar")
    top = tmp_path / "unpacked" / f"pinupload-9.8.7-linux-{arch}"
    assert _run([str(top / "install.sh")], env).startswith("pinupload installed")

    home = tmp_path / "home"
    app = home / ".local" / "opt" / "pinupload"
    assert (app / "_internal" / "marker.txt").read_text() == "bundled file\n"
    command = home / ".local" / "bin" / "pinupload"
    assert _run([str(command), "x.xlsx"], env).strip() == "pinupload-bundle x.xlsx"
    desktop = home / ".local" / "share" / "applications" / f"{APP_ID}.desktop"
    entry = _entry(desktop)
    assert entry["Exec"] == f'"{app}/pinupload" %f'
    assert entry["TryExec"] == f"{app}/pinupload"
    icons = home / ".local" / "share" / "icons" / "hicolor"
    for size in ICON_SIZES:
        assert (icons / f"{size}x{size}" / "apps" / f"{APP_ID}.png").is_file()
    assert (icons / "scalable" / "apps" / f"{APP_ID}.svg").is_file()

    # Installing again replaces the copy in place.
    _run([str(top / "install.sh")], env)
    assert (app / "pinupload").is_file()

    assert "removed" in _run([str(top / "install.sh"), "--uninstall"], env)
    assert not app.exists()
    assert not command.is_symlink()
    assert not desktop.exists()
    assert not list(icons.rglob(f"{APP_ID}.*"))


def test_package_refuses_without_a_bundle(tmp_path: Path) -> None:
    out = subprocess.run(
        ["bash", str(LINUX / "package.sh"), "1.0.0", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 1
    assert "build the bundle first" in out.stderr

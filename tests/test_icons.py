"""The committed icons: every size the installers need, in step with the SVG."""

from __future__ import annotations

import importlib.util
import struct
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
RESOURCES = ROOT / "resources"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _make_icons() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "make_icons", ROOT / "installer" / "make_icons.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_icons"] = module
    spec.loader.exec_module(module)
    return module


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_MAGIC
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_png_set_has_every_size() -> None:
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        data = (RESOURCES / "icons" / f"pinupload-{size}.png").read_bytes()
        assert _png_size(data) == (size, size)


def test_ico_holds_each_size_as_png() -> None:
    data = (RESOURCES / "pinupload.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1)
    sizes = []
    for i in range(count):
        entry = data[6 + 16 * i : 22 + 16 * i]
        width, height, _, _, _, bpp, length, offset = struct.unpack("<BBBBHHII", entry)
        png = data[offset : offset + length]
        assert bpp == 32
        assert _png_size(png) == (width or 256, height or 256)
        sizes.append(width or 256)
    assert sizes == [16, 24, 32, 48, 64, 128, 256]


def test_icns_elements_match_their_types() -> None:
    data = (RESOURCES / "pinupload.icns").read_bytes()
    assert data[:4] == b"icns"
    assert struct.unpack(">I", data[4:8])[0] == len(data)
    expected = dict(_make_icons().ICNS_TYPES)
    seen = {}
    pos = 8
    while pos < len(data):
        ostype = data[pos : pos + 4]
        length = struct.unpack(">I", data[pos + 4 : pos + 8])[0]
        seen[ostype] = _png_size(data[pos + 8 : pos + length])
        pos += length
    assert pos == len(data)
    assert seen == {key: (size, size) for key, size in expected.items()}


def test_committed_icons_match_the_svg(tmp_path: Path) -> None:
    pytest.importorskip("PySide6.QtSvg")
    from PySide6.QtGui import QImage

    assert _make_icons().main(["--out", str(tmp_path)]) == 0
    for size in (16, 64, 256):
        name = f"icons/pinupload-{size}.png"
        fresh = QImage(str(tmp_path / name))
        committed = QImage(str(RESOURCES / name))
        assert fresh.size() == committed.size()
        # Pixel values, not bytes: a newer Qt may compress the same image differently.
        worst = max(
            abs(
                (fresh.pixel(x, y) >> shift & 255)
                - (committed.pixel(x, y) >> shift & 255)
            )
            for y in range(size)
            for x in range(size)
            for shift in (0, 8, 16, 24)
        )
        assert worst <= 8, f"{name} is stale: run installer/make_icons.py"

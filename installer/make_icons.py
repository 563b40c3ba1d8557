"""Render resources/pinupload.svg into the PNG set, a Windows .ico and a macOS .icns."""

from __future__ import annotations

import argparse
import os
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "resources" / "pinupload.svg"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
# Windows picks among these for the taskbar, Explorer views and shortcuts.
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# (OSType, pixel size): the PNG-payload types macOS 10.7+ reads; ic10 is 512@2x.
ICNS_TYPES = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"icp6", 64),
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic09", 512),
    (b"ic10", 1024),
    (b"ic11", 32),
    (b"ic12", 64),
    (b"ic13", 256),
    (b"ic14", 512),
)


def render_pngs(svg: Path, sizes: set[int]) -> dict[int, bytes]:
    """Return PNG bytes of `svg` rendered square at each size."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg} is not a valid SVG")
    out: dict[int, bytes] = {}
    for size in sorted(sizes):
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        # The stubs want bytes for the format; the binding itself takes only str.
        image.save(buffer, "PNG")  # type: ignore[call-overload]
        buffer.close()
        out[size] = bytes(data.data())
    return out


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """Return a multi-size .ico of PNG entries (read by Windows Vista and later)."""
    sizes = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    entries = b""
    for size in sizes:
        # A width or height byte of 0 stands for 256.
        side = size if size < 256 else 0
        length = len(pngs[size])
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, length, offset)
        offset += length
    return header + entries + b"".join(pngs[size] for size in sizes)


def icns_bytes(pngs: dict[int, bytes]) -> bytes:
    """Return an .icns holding one PNG element per type in ICNS_TYPES."""
    body = b""
    for ostype, size in ICNS_TYPES:
        data = pngs[size]
        body += ostype + struct.pack(">I", len(data) + 8) + data
    return b"icns" + struct.pack(">I", len(body) + 8) + body


def main(argv: list[str] | None = None) -> int:
    """Write every icon file under the output folder; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "resources")
    args = parser.parse_args(argv)
    wanted = set(PNG_SIZES) | set(ICO_SIZES) | {size for _, size in ICNS_TYPES}
    pngs = render_pngs(SVG, wanted)
    icons = args.out / "icons"
    icons.mkdir(parents=True, exist_ok=True)
    for size in PNG_SIZES:
        (icons / f"pinupload-{size}.png").write_bytes(pngs[size])
    (args.out / "pinupload.ico").write_bytes(ico_bytes({s: pngs[s] for s in ICO_SIZES}))
    (args.out / "pinupload.icns").write_bytes(icns_bytes(pngs))
    print(f"icons written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

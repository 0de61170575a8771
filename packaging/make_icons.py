"""Render the application icon (resources/app/traywatch.svg) into PNG sizes, a .ico and a .icns.

A build-machine tool, run by hand when the SVG changes; its output is committed, so neither the
wheel nor the PyInstaller build needs it. Needs PySide6 (QtSvg renders the SVG) and Pillow
(writes .ico and .icns): `pip install pillow`, which is not a runtime dependency.

    python packaging/make_icons.py [--check]
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path

log = logging.getLogger("make_icons")

ROOT = Path(__file__).resolve().parent.parent
APP_DIR = ROOT / "resources" / "app"
SVG = APP_DIR / "traywatch.svg"
PNG_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)  # hicolor sizes the desktop installer uses
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_SIZES = (16, 32, 64, 128, 256, 512, 1024)


def png_path(size: int) -> Path:
    return APP_DIR / f"traywatch-{size}.png"


def render(svg: Path, sizes: tuple[int, ...]) -> dict[int, bytes]:
    """PNG bytes of the SVG at each size, rendered by Qt (no display needed)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication([])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg}: not a valid SVG")
    out: dict[int, bytes] = {}
    scratch = Path(tempfile.mkdtemp(prefix="traywatch-icons-"))
    for size in sizes:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        png = scratch / f"{size}.png"
        if not image.save(str(png)):
            raise SystemExit(f"Qt could not write {png}")
        out[size] = png.read_bytes()
    shutil.rmtree(scratch)
    del app
    return out


def build(rendered: dict[int, bytes]) -> dict[Path, bytes]:
    """The files to write: optimised PNGs, the Windows .ico and the macOS .icns."""
    from PIL import Image

    images = {size: Image.open(io.BytesIO(data)).convert("RGBA") for size, data in rendered.items()}
    files: dict[Path, bytes] = {}
    for size in PNG_SIZES:
        buf = io.BytesIO()
        images[size].save(buf, "PNG", optimize=True)
        files[png_path(size)] = buf.getvalue()
    buf = io.BytesIO()
    largest = images[max(ICO_SIZES)]
    largest.save(
        buf,
        "ICO",
        sizes=[(s, s) for s in ICO_SIZES],
        append_images=[images[s] for s in ICO_SIZES if s != max(ICO_SIZES)],
    )
    files[APP_DIR / "traywatch.ico"] = buf.getvalue()
    buf = io.BytesIO()
    images[max(ICNS_SIZES)].save(
        buf, "ICNS", append_images=[images[s] for s in ICNS_SIZES if s != max(ICNS_SIZES)]
    )
    files[APP_DIR / "traywatch.icns"] = buf.getvalue()
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report files that are out of date")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="make_icons: %(message)s")
    files = build(render(SVG, tuple(sorted(set(PNG_SIZES) | set(ICO_SIZES) | set(ICNS_SIZES)))))
    stale = [path for path, data in files.items() if not path.is_file() or path.read_bytes() != data]
    if args.check:
        for path in stale:
            log.info("out of date: %s", path.relative_to(ROOT))
        return 1 if stale else 0
    for path in stale:
        path.write_bytes(files[path])
        log.info("wrote %s (%d bytes)", path.relative_to(ROOT), len(files[path]))
    log.info("%d files up to date", len(files) - len(stale))
    return 0


if __name__ == "__main__":
    sys.exit(main())

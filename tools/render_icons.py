"""Render the application icon's PNG sizes from its SVG (Qt's SVG renderer, from PySide6).

Usage: ``python tools/render_icons.py [--check]``

Source: ``resources/icons/hicolor/scalable/apps/<APP_ID>.svg``. Output:
``resources/icons/hicolor/<N>x<N>/apps/<APP_ID>.png`` for every N in SIZES (the freedesktop icon
theme layout, so ``make install-desktop`` copies the tree as it is). The PNGs are committed; rerun
this after changing the SVG. ``--check`` writes nothing and exits 1 if a committed PNG is missing,
has the wrong size, or differs from a fresh rendering.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
APP_ID = "io.github.airmf_assessor.AIRMFAssessor"
ICONS = REPO / "resources" / "icons" / "hicolor"
SVG = ICONS / "scalable" / "apps" / f"{APP_ID}.svg"
SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


def png_path(size: int, root: Path = ICONS) -> Path:
    """Where the ``size`` x ``size`` PNG lives in the icon theme tree."""
    return root / f"{size}x{size}" / "apps" / f"{APP_ID}.png"


def render(size: int):  # type: ignore[no-untyped-def]  # -> QImage (Qt imported lazily)
    """The SVG drawn into a transparent ``size`` x ``size`` ARGB image, antialiased."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    if QGuiApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        render.app = QGuiApplication([])  # type: ignore[attr-defined]  # kept alive
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"render_icons: {SVG} is not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    return image


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, write nothing")
    args = parser.parse_args(argv)
    from PySide6.QtGui import QImage

    stale = []
    for size in SIZES:
        image = render(size)
        path = png_path(size)
        if args.check:
            committed = QImage(str(path)).convertToFormat(QImage.Format.Format_ARGB32)
            if committed.isNull() or committed != image:
                stale.append(path)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.part")
        if not image.save(str(tmp), "PNG"):
            raise SystemExit(f"render_icons: could not write {tmp}")
        os.replace(tmp, path)
        print(path.relative_to(REPO))
    for path in stale:
        print(f"render_icons: {path.relative_to(REPO)} is missing or out of date", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())

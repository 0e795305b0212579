"""Where the shipped data folders are: PyInstaller bundle, installed wheel or dev checkout."""

from __future__ import annotations

import sys
from pathlib import Path

from app.catalog.errors import CatalogError

_APP_DIR = Path(__file__).resolve().parents[1]  # the ``app`` package folder


def frameworks_root() -> Path:
    """The ``frameworks/`` folder (framework folders and ``schemes/``)."""
    return _find("frameworks")


def resources_root() -> Path:
    """The ``resources/`` folder (fonts and other non-framework assets)."""
    return _find("resources")


def candidates(name: str) -> list[Path]:
    """Places ``name`` is looked for, in order."""
    found = []
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:  # PyInstaller adds the folders next to the bundled code
        found.append(Path(bundle) / name)
    found.append(_APP_DIR / "_data" / name)  # wheel: force-included as app/_data/<name>
    found.append(_APP_DIR.parent / name)  # dev checkout: <repo>/<name> beside app/
    return found


def _find(name: str) -> Path:
    places = candidates(name)
    for place in places:
        if place.is_dir():
            return place
    raise CatalogError(
        f"the {name} folder is missing; looked in: " + ", ".join(str(p) for p in places)
    )

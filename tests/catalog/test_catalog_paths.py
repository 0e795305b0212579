"""frameworks_root() and resources_root() work from a checkout, a wheel and a PyInstaller bundle."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from app.catalog import CatalogError, frameworks_root, paths, resources_root

REPO = Path(__file__).resolve().parents[2]


def test_dev_checkout() -> None:
    assert frameworks_root() == REPO / "frameworks"
    assert resources_root() == REPO / "resources"
    assert (frameworks_root() / "schemes" / "rubric.json").is_file()


def test_installed_wheel_layout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app_dir = tmp_path / "site-packages" / "app"
    for name in ("frameworks", "resources"):
        (app_dir / "_data" / name).mkdir(parents=True)
    monkeypatch.setattr(paths, "_APP_DIR", app_dir)
    assert frameworks_root() == app_dir / "_data" / "frameworks"
    assert resources_root() == app_dir / "_data" / "resources"


def test_pyinstaller_bundle_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bundle = tmp_path / "bundle"
    (bundle / "frameworks").mkdir(parents=True)
    (bundle / "resources").mkdir()
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    assert frameworks_root() == bundle / "frameworks"
    assert resources_root() == bundle / "resources"


def test_missing_folder_names_where_it_looked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(paths, "_APP_DIR", tmp_path / "app")
    monkeypatch.delattr(sys, "_MEIPASS", raising=False)
    with pytest.raises(CatalogError, match="the frameworks folder is missing; looked in: "):
        frameworks_root()

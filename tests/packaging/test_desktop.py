"""Linux desktop integration: one application id everywhere, a valid .desktop file and AppStream
metainfo (checked by the freedesktop tools), an icon set rendered from the SVG, and
`make install-desktop` installing them under $XDG_DATA_HOME."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[2]
APP_ID = "io.github.airmf_assessor.AIRMFAssessor"
LINUX = REPO / "packaging" / "linux"
DESKTOP = LINUX / f"{APP_ID}.desktop"
METAINFO = LINUX / f"{APP_ID}.metainfo.xml"
ICONS = REPO / "resources" / "icons" / "hicolor"
SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


def _load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _tool(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        # .ci/run installs it; only a local machine without the package skips.
        pytest.skip(f"{name} is not installed (Debian/Ubuntu: apt-get install {package})")
    return path


def test_one_application_id_everywhere() -> None:
    from app.ui import application

    assert application.APP_ID == APP_ID
    assert f'APP_ID = "{APP_ID}"' in (REPO / "packaging" / "airmf.spec").read_text()
    assert _load(REPO / "packaging" / "install_desktop.py").APP_ID == APP_ID
    assert _load(REPO / "tools" / "render_icons.py").APP_ID == APP_ID
    entry = DESKTOP.read_text(encoding="utf-8")
    assert f"Icon={APP_ID}\n" in entry
    root = ET.parse(METAINFO).getroot()
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == DESKTOP.name
    flatpak = (REPO / "packaging" / "flatpak" / f"{APP_ID}.yml").read_text(encoding="utf-8")
    assert f"app-id: {APP_ID}" in flatpak


def test_desktop_file_validates() -> None:
    tool = _tool("desktop-file-validate", "desktop-file-utils")
    done = subprocess.run([tool, str(DESKTOP)], capture_output=True, text=True)
    assert done.returncode == 0 and not done.stdout.strip(), done.stdout + done.stderr


def test_metainfo_validates() -> None:
    tool = _tool("appstreamcli", "appstream")
    done = subprocess.run(
        [tool, "validate", "--no-net", str(METAINFO)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_metainfo_has_what_software_centres_show() -> None:
    root = ET.parse(METAINFO).getroot()
    assert root.get("type") == "desktop-application"
    assert root.findtext("project_license") == "Apache-2.0"
    assert root.findtext("metadata_license") == "CC0-1.0"
    assert len(root.findall("description/p")) >= 1
    assert root.find("content_rating") is not None
    versions = [r.get("version") for r in root.findall("releases/release")]
    assert versions and versions[0] == _project_version()
    shots = root.findall("screenshots/screenshot/image")
    assert shots
    for image in shots:
        # Each screenshot is one of the committed docs/screenshots (served from the repository).
        name = (image.text or "").rsplit("/", 1)[-1]
        assert (REPO / "docs" / "screenshots" / name).is_file(), name


def _project_version() -> str:
    match = re.search(r'^version = "([^"]+)"', (REPO / "pyproject.toml").read_text(), re.M)
    assert match
    return match.group(1)


def test_icon_set_is_rendered_from_the_svg() -> None:
    from PySide6.QtGui import QImage

    assert (ICONS / "scalable" / "apps" / f"{APP_ID}.svg").is_file()
    for size in SIZES:
        image = QImage(str(ICONS / f"{size}x{size}" / "apps" / f"{APP_ID}.png"))
        assert (image.width(), image.height()) == (size, size)
        assert image.hasAlphaChannel()
    check = subprocess.run(
        [sys.executable, str(REPO / "tools" / "render_icons.py"), "--check"],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stderr


@pytest.mark.slow
def test_make_install_desktop_installs_for_the_user(tmp_path: Path) -> None:
    data_home = tmp_path / "share"
    env = {**os.environ, "XDG_DATA_HOME": str(data_home), "HOME": str(tmp_path / "home")}
    gui = tmp_path / "my apps" / "airmf-gui"  # a space: Exec must quote it
    gui.parent.mkdir()
    gui.write_text("#!/bin/sh\n")
    gui.chmod(0o755)
    done = subprocess.run(
        ["make", "-s", "install-desktop", f"AIRMF_GUI={gui}"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    entry = data_home / "applications" / f"{APP_ID}.desktop"
    text = entry.read_text(encoding="utf-8")
    assert f'Exec="{gui}"\n' in text and f"TryExec={gui}\n" in text
    assert (data_home / "metainfo" / METAINFO.name).read_bytes() == METAINFO.read_bytes()
    for size in SIZES:
        assert (
            data_home / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        ).is_file()
    assert (data_home / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").is_file()
    assert not (tmp_path / "home" / ".local").exists(), "wrote outside XDG_DATA_HOME"
    if shutil.which("desktop-file-validate"):
        valid = subprocess.run(
            ["desktop-file-validate", str(entry)], capture_output=True, text=True
        )
        assert valid.returncode == 0, valid.stdout
    # Uninstall removes exactly what was installed.
    done = subprocess.run(
        ["make", "-s", "uninstall-desktop"], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    left = [p for p in data_home.rglob(f"{APP_ID}*")]
    assert left == []


def test_install_refuses_a_missing_program(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    tool = _load(REPO / "packaging" / "install_desktop.py")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert tool.main(["--exec", str(tmp_path / "nothing")]) == 2
    assert "is not an executable file" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("path", "exec_value"),
    [
        ("/opt/airmf/airmf-gui", "/opt/airmf/airmf-gui"),
        ("/home/a b/airmf-gui", '"/home/a b/airmf-gui"'),
        ('/x/say "hi"/airmf-gui', '"/x/say \\\\"hi\\\\"/airmf-gui"'),
        ("/x/100%/airmf-gui", "/x/100%%/airmf-gui"),
    ],
)
def test_exec_quoting_follows_the_desktop_entry_spec(path: str, exec_value: str) -> None:
    tool = _load(REPO / "packaging" / "install_desktop.py")
    assert tool.desktop_quote(path) == exec_value


def test_window_icon_has_every_size(qapp) -> None:  # type: ignore[no-untyped-def]
    from app.ui import application

    sizes = {(s.width(), s.height()) for s in application._icon().availableSizes()}
    assert sizes == {(n, n) for n in SIZES}

"""The PyInstaller one-folder bundle (`make dist`) works on its own: built from the spec, then run
from a temporary folder with a fresh data folder and no Python environment of ours, the command
line creates, answers, scores, exports and reports, and the window starts offscreen and reaches
ready. Nothing is read from the checkout.

One build (a few minutes on two cores) serves every test of this module.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SPEC = REPO / "packaging" / "airmf.spec"
BUILD_TIMEOUT = 1500  # seconds; a build on a loaded two-core machine takes a few minutes

pytestmark = [pytest.mark.slow, pytest.mark.timeout(BUILD_TIMEOUT + 300)]


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built folder ``airmf-assessor`` (built outside the checkout, from a temp cwd)."""
    if importlib.util.find_spec("PyInstaller") is None:
        pytest.skip("PyInstaller is not installed: pip install -e '.[dev]' (or `make test`)")
    work = tmp_path_factory.mktemp("pyinstaller")
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level",
            "WARN",
            "--distpath",
            str(work / "dist"),
            "--workpath",
            str(work / "build"),
            str(SPEC),
        ],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT,
    )
    assert build.returncode == 0, build.stderr[-4000:]
    folder = work / "dist" / "airmf-assessor"
    assert (folder / "airmf").is_file() and (folder / "airmf-gui").is_file()
    return folder


@pytest.fixture
def run_env(tmp_path: Path) -> dict[str, str]:
    """A bare environment: no virtualenv, no PYTHONPATH, a fresh home and data folder."""
    (tmp_path / "home").mkdir()
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path / "home"),
        "LANG": "C.UTF-8",
        "AIRMF_DATA_DIR": str(tmp_path / "data"),
        "AIRMF_ACTOR": "bundle test",
        "QT_QPA_PLATFORM": "offscreen",
    }


def _cli(bundle: Path, env: dict[str, str], cwd: Path, *args: str) -> str:
    done = subprocess.run(
        [str(bundle / "airmf"), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, f"airmf {' '.join(args)}: {done.stderr}"
    assert "Traceback" not in done.stderr
    return done.stdout


def test_cli_creates_answers_scores_exports_and_reports(
    bundle: Path, run_env: dict[str, str], tmp_path: Path
) -> None:
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    ident = _cli(bundle, run_env, cwd, "assessment", "create", "--name", "Bundle", "--system", "S")
    ident = ident.strip()
    assert ident.isdigit()
    out = _cli(
        bundle,
        run_env,
        cwd,
        *("answer", ident, "GOVERN 1.1", "--coverage", "H", "--robustness", "M"),
        *("--diversity", "L"),
    )
    assert "GOVERN 1.1: 3.0 Established" in out
    _cli(bundle, run_env, cwd, "answer", ident, "MAP 1.1", "--na", "--rationale", "not used")
    score = _cli(bundle, run_env, cwd, "score", ident)
    assert "OVERALL" in score and "3.0 Established" in score
    _cli(bundle, run_env, cwd, "export", ident, "-o", "out.json")
    exported = json.loads((cwd / "out.json").read_text(encoding="utf-8"))
    assert "GOVERN 1.1" in json.dumps(exported)
    _cli(bundle, run_env, cwd, "report", ident, "-o", "out.pdf")
    assert (cwd / "out.pdf").read_bytes().startswith(b"%PDF-")
    assert (tmp_path / "data").is_dir(), "the data went somewhere other than AIRMF_DATA_DIR"


def test_interchange_exports_and_import_work_from_the_bundle(
    bundle: Path, run_env: dict[str, str], tmp_path: Path
) -> None:
    """The Word report (python-docx's default template must be in the bundle), the workbook
    and its dry-run import (openpyxl, defusedxml), OSCAL and the action calendar (icalendar)."""
    from docx import Document

    cwd = tmp_path / "cwd"
    cwd.mkdir()
    ident = _cli(bundle, run_env, cwd, "assessment", "create", "--name", "B", "--system", "S")
    ident = ident.strip()
    _cli(
        bundle,
        run_env,
        cwd,
        *("answer", ident, "GOVERN 1.1", "--coverage", "H", "--robustness", "M"),
        *("--diversity", "L"),
    )
    _cli(
        bundle,
        run_env,
        cwd,
        *("action", "add", ident, "GOVERN 1.1", "--title", "Name the owner"),
        *("--due", "2030-01-31"),
    )
    _cli(bundle, run_env, cwd, "report", ident, "-o", "out.docx")
    doc = Document(str(cwd / "out.docx"))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert "Remediation plan" in headings and doc.inline_shapes
    _cli(bundle, run_env, cwd, "export", ident, "--format", "xlsx", "-o", "q.xlsx")
    out = _cli(bundle, run_env, cwd, "import", "q.xlsx", "--into", ident, "--dry-run")
    assert "0 field(s) would change" in out
    _cli(bundle, run_env, cwd, "export", ident, "--format", "oscal", "-o", "oscal")
    assert json.loads((cwd / "oscal" / "catalog.json").read_text(encoding="utf-8"))["catalog"]
    _cli(bundle, run_env, cwd, "action", "list", ident, "--ics", "-o", "due.ics")
    assert "BEGIN:VEVENT" in (cwd / "due.ics").read_text(encoding="utf-8")


def test_the_word_template_is_in_the_bundle(bundle: Path) -> None:
    """python-docx opens its header and footer parts as docx/parts/../templates/*.xml: the
    folder docx/parts must exist beside the templates (a bundle without it failed)."""
    (parts,) = [p for p in bundle.rglob("docx/parts") if p.is_dir()]
    for name in ("default-header.xml", "default-footer.xml", "default-settings.xml"):
        assert (parts / ".." / "templates" / name).is_file(), name
    assert list(bundle.rglob("docx/templates/default.docx")), (
        "python-docx's default template is missing from the bundle"
    )


def test_window_starts_offscreen_on_a_fresh_data_folder(
    bundle: Path, run_env: dict[str, str], tmp_path: Path
) -> None:
    done = subprocess.run(
        [str(bundle / "airmf-gui")],
        cwd=tmp_path,
        env={**run_env, "AIRMF_QUIT_WHEN_READY": "1"},
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    assert "ready-at" in done.stdout, done.stderr[-4000:]
    assert "Traceback" not in done.stderr
    assert (tmp_path / "data").is_dir()


def test_bundle_reads_its_own_frameworks_not_the_checkout(
    bundle: Path, run_env: dict[str, str], tmp_path: Path
) -> None:
    """A scheme added to the bundle's copy (and absent from the checkout) is what it lists."""
    (schemes,) = [p for p in bundle.rglob("frameworks/schemes") if p.is_dir()]
    assert not (REPO / "frameworks" / "schemes" / "bundleprobe.json").exists()
    probe = json.loads((schemes / "direct.json").read_text(encoding="utf-8"))
    probe["id"] = "bundleprobe"
    (schemes / "bundleprobe.json").write_text(json.dumps(probe), encoding="utf-8")
    try:
        listing = _cli(bundle, run_env, tmp_path, "frameworks", "list")
    finally:
        (schemes / "bundleprobe.json").unlink()
    assert "bundleprobe" in listing
    repo = str(REPO.resolve())
    into_checkout = [
        p for p in bundle.rglob("*") if p.is_symlink() and os.path.realpath(p).startswith(repo)
    ]
    assert into_checkout == []


def test_unused_qt_modules_are_left_out(bundle: Path) -> None:
    names = {p.name for p in bundle.rglob("*")}
    for unused in ("QtWebEngineCore", "QtQuick", "QtQml", "Qt3DCore", "QtMultimedia"):
        assert not [n for n in names if unused in n], f"{unused} is in the bundle"
    assert [n for n in names if "QtCharts" in n], "QtCharts (the dashboard chart) is missing"
    size = sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file() and not p.is_symlink())
    print(f"bundle size: {size / 1e6:.0f} MB")  # shown with -s; a figure for the README

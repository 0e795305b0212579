"""The command line as scripts use it: one ``airmf`` process per command, on SQLite.

Each command runs as a whole process (interpreter start, imports, opening the database, the
command, exit), alternately with the floor: a bare ``python -c "import pydantic, sqlite3"``.
Budget (issue 13): ``airmf score``, ``airmf answer`` and ``airmf assessment list`` at most 3x
the floor. The floor imports Pydantic's package but none of its models (its ``__init__`` is
lazy); the cost of ``from pydantic import BaseModel`` alone is reported beside it (a line
without a budget), since every command builds on the domain's models. Set
AIRMF_BENCH_SOURCE to another checkout's folder to measure that code instead (before/after
comparisons in one run).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from itertools import count
from pathlib import Path

from bench.harness import Result, alternate

ROUNDS = 9
BUDGET = 3.0
ROOT = Path(os.environ.get("AIRMF_BENCH_SOURCE") or Path(__file__).resolve().parents[1])


def _airmf(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from app.cli.main import main; sys.exit(main())",
            *args,
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=True,
    )
    return done.stdout


def run() -> list[Result]:
    with tempfile.TemporaryDirectory(prefix="airmf-bench-cli-") as tmp:
        env = {
            **os.environ,
            "AIRMF_DB": str(Path(tmp) / "cli.sqlite3"),
            "AIRMF_ACTOR": "Bench",
            "PYTHONPATH": str(ROOT),
        }
        aid = _airmf(env, "assessment", "create", "--name", "Bench", "--system", "Bench").strip()
        for sub in ("GV-1.1", "GV-1.2", "MP-1.1"):
            _airmf(
                env, "answer", aid, sub, "--coverage", "H", "--robustness", "M", "--diversity", "L"
            )
        notes = count()

        def floor() -> None:
            subprocess.run([sys.executable, "-c", "import pydantic, sqlite3"], check=True, env=env)

        commands: dict[str, Callable[[], None]] = {
            "score": lambda: _run(env, "score", aid),
            "answer": lambda: _run(env, "answer", aid, "GV-1.1", "--notes", f"n{next(notes)}"),
            "assessment list": lambda: _run(env, "assessment", "list"),
        }

        def with_models() -> None:
            subprocess.run(
                [sys.executable, "-c", "import sqlite3; from pydantic import BaseModel"],
                check=True,
                env=env,
            )

        models, base, ratio = alternate(with_models, floor, ROUNDS)
        results = [
            Result(
                "cli floor + Pydantic models (process)",
                models,
                base,
                "information: the floor with BaseModel imported",
                None,
                {"median_ratio": round(ratio, 2)},
            )
        ]
        for name, command in commands.items():
            ours, base, ratio = alternate(command, floor, ROUNDS)
            results.append(
                Result(
                    f"cli airmf {name} (process)",
                    ours,
                    base,
                    f"<= {BUDGET:g}x floor",
                    ratio <= BUDGET,
                    {"median_ratio": round(ratio, 2)},
                )
            )
        return results


def _run(env: dict[str, str], *args: str) -> None:
    _airmf(env, *args)


if __name__ == "__main__":
    for r in run():
        print(r.line())

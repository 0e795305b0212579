"""The command line as scripts use it: one ``airmf`` process per command, on SQLite.

Each command runs as a whole process (interpreter start, imports, opening the database, the
command, exit), alternately with the floor: a bare ``python -c "import pydantic, sqlite3"``.
Budget (issue 13): ``airmf score``, ``airmf answer`` and ``airmf assessment list`` at most 3x
the floor. The floor imports Pydantic's package but none of its models (its ``__init__`` is
lazy); the cost of ``from pydantic import BaseModel`` alone is reported beside it (a line
without a budget), since every command builds on the domain's models. The batch form a script
uses for many answers (``airmf answer ID --from FILE.csv``, one transaction) is reported too,
without a budget. Each line also gives the median per-round ratio of CPU time (user + system),
which moves less than the wall clock on a loaded machine. Set AIRMF_BENCH_SOURCE to another
checkout's folder to measure that code instead (before/after comparisons in one run); the
catalog cache of each run is its own (AIRMF_DATA_DIR in the run's temporary folder), so
that two checkouts never replace each other's.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from itertools import count
from pathlib import Path

from bench.harness import Result, alternate

ROUNDS = 15  # the machine is shared: more rounds steady the median ratio
BUDGET = 3.0
# Rows of the batch file: one change (new notes) to each of this many subcategories.
BATCH_ROWS = 24
ROOT = Path(os.environ.get("AIRMF_BENCH_SOURCE") or Path(__file__).resolve().parents[1])
# Another checkout (e.g. ``git archive main app frameworks | tar -x -C /tmp/before``, its
# ``app`` compiled with ``python -m compileall``): measured in the same rounds as this code,
# alternately, on the same database, each with its own catalog cache; adds "[before]" lines.
BEFORE = os.environ.get("AIRMF_BENCH_BEFORE")


def _airmf(env: dict[str, str], *args: str, root: Path = ROOT) -> str:
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from app.cli.main import main; sys.exit(main())",
            *args,
        ],
        capture_output=True,
        text=True,
        env={**env, "PYTHONPATH": str(root)},
        cwd=root,  # ``python -c`` puts the working folder first on the path
        check=True,
    )
    return done.stdout


def run() -> list[Result]:
    with tempfile.TemporaryDirectory(prefix="airmf-bench-cli-") as tmp:
        env = {
            **os.environ,
            "AIRMF_DB": str(Path(tmp) / "cli.sqlite3"),
            "AIRMF_DATA_DIR": str(Path(tmp) / "data"),  # its own catalog cache
            "AIRMF_ACTOR": "Bench",
            "PYTHONPATH": str(ROOT),
        }
        # The first process validates the catalog and caches it, as after an installation.
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
        batch = Path(tmp) / "batch.csv"
        subs = [f"{f}-{c}.{s}" for f, c, s in _BATCH_SUBCATEGORIES][:BATCH_ROWS]

        def answer_batch() -> None:
            n = next(notes)
            rows = "".join(f"{sub},batch {n}\n" for sub in subs)
            batch.write_text("subcategory,notes\n" + rows, encoding="utf-8")
            _run(env, "answer", aid, "--from", str(batch))

        def with_models() -> None:
            subprocess.run(
                [sys.executable, "-c", "import sqlite3; from pydantic import BaseModel"],
                check=True,
                env=env,
            )

        cpu = _CpuRatios()
        models, base, ratio = alternate(cpu.ours(with_models), cpu.floor(floor), ROUNDS)
        results = [
            Result(
                "cli floor + Pydantic models (process)",
                models,
                base,
                "information: the floor with BaseModel imported",
                None,
                {"median_ratio": round(ratio, 2), "median_cpu_ratio": cpu.median()},
            )
        ]
        if BEFORE:
            before_env = {**env, "AIRMF_DATA_DIR": str(Path(tmp) / "data-before")}
            _airmf(before_env, "score", aid, root=Path(BEFORE))  # its catalog cache
            before_commands: dict[str, Callable[[], None]] = {
                "score": lambda: _before(before_env, "score", aid),
                "answer": lambda: _before(
                    before_env, "answer", aid, "GV-1.1", "--notes", f"n{next(notes)}"
                ),
                "assessment list": lambda: _before(before_env, "assessment", "list"),
            }
        for name, command in commands.items():
            if BEFORE:
                results.extend(_before_and_after(name, before_commands[name], command, floor))
                continue
            cpu = _CpuRatios()
            ours, base, ratio = alternate(cpu.ours(command), cpu.floor(floor), ROUNDS)
            results.append(
                Result(
                    f"cli airmf {name} (process)",
                    ours,
                    base,
                    f"<= {BUDGET:g}x floor",
                    ratio <= BUDGET,
                    {"median_ratio": round(ratio, 2), "median_cpu_ratio": cpu.median()},
                )
            )
        cpu = _CpuRatios()
        ours, base, ratio = alternate(cpu.ours(answer_batch), cpu.floor(floor), ROUNDS)
        results.append(
            Result(
                f"cli airmf answer --from ({len(subs)} rows)",
                ours,
                base,
                "information: one transaction, one entry per field",
                None,
                {
                    "median_ratio": round(ratio, 2),
                    "median_cpu_ratio": cpu.median(),
                    "ms_per_row": round(ours / len(subs), 2),
                },
            )
        )
        return results


def _before(env: dict[str, str], *args: str) -> None:
    _airmf(env, *args, root=Path(BEFORE or ROOT))


def _before_and_after(
    name: str, before: Callable[[], None], after: Callable[[], None], floor: Callable[[], None]
) -> list[Result]:
    """Each round: the floor, then the checkout before and this code (in turns first), each
    against that round's floor. Returns the two lines, before's without a verdict."""
    rounds: dict[str, list[tuple[float, float, float, float]]] = {"before": [], "after": []}
    cpu_floor = _CpuRatios()
    for i in range(ROUNDS):
        base = _wall(cpu_floor.floor(floor))
        for which in ("before", "after") if i % 2 == 0 else ("after", "before"):
            cpu = _CpuRatios()
            took = _wall(cpu.ours(before if which == "before" else after))
            rounds[which].append((took, base, cpu._ours[0], cpu_floor._floor[-1]))
    out = []
    for which, got in rounds.items():
        ratio = statistics.median(t / b for t, b, _c, _f in got)
        cpu_ratio = round(statistics.median(c / f for _t, _b, c, f in got if f), 2)
        ours_ms = statistics.median(t for t, *_ in got) * 1000
        base_ms = statistics.median(b for _t, b, *_ in got) * 1000
        after_run = which == "after"
        out.append(
            Result(
                f"cli airmf {name} (process)" + ("" if after_run else " [before]"),
                ours_ms,
                base_ms,
                f"<= {BUDGET:g}x floor" if after_run else f"information: {BEFORE}",
                (ratio <= BUDGET) if after_run else None,
                {"median_ratio": round(ratio, 2), "median_cpu_ratio": cpu_ratio},
            )
        )
    return out


def _wall(fn: Callable[[], None]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


# The batch's subcategories (short ids): GOVERN's and MAP's first ones.
_BATCH_SUBCATEGORIES = [
    *(
        ("GV", c, s)
        for c, n in ((1, 7), (2, 3), (3, 2), (4, 3), (5, 2), (6, 2))
        for s in range(1, n + 1)
    ),
    *(("MP", c, s) for c, n in ((1, 6), (2, 3)) for s in range(1, n + 1)),
]


class _CpuRatios:
    """The CPU time (user + system) of the child processes each call runs, paired round by
    round: ours, then the floor (``alternate``'s order)."""

    def __init__(self) -> None:
        self._ours: list[float] = []
        self._floor: list[float] = []

    def ours(self, fn: Callable[[], None]) -> Callable[[], None]:
        return lambda: self._timed(fn, self._ours)

    def floor(self, fn: Callable[[], None]) -> Callable[[], None]:
        return lambda: self._timed(fn, self._floor)

    def median(self) -> float:
        pairs = [o / f for o, f in zip(self._ours, self._floor, strict=False) if f]
        return round(statistics.median(pairs), 2) if pairs else float("nan")

    @staticmethod
    def _timed(fn: Callable[[], None], into: list[float]) -> None:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        fn()
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        into.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)


def _run(env: dict[str, str], *args: str) -> None:
    _airmf(env, *args)


if __name__ == "__main__":
    for r in run():
        print(r.line())

"""Scale: home list, portfolio, one system's trend and opening an assessment at 1x, 4x, 16x.

16x is 200 AI systems x 8 cycles (1,600 assessments, ~115,000 answers and their history).
Budgets (at 16x): list, portfolio, trend <= 150 ms; open <= 100 ms; peak memory <= 300 MB.
Time per operation must stay flat (or grow with the opened item), not with the database.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from bench.generate import generate
from bench.harness import Result, alternate, peak_rss_mb

DATA = Path(__file__).with_name("data")
SIZES = {"1x": 13, "4x": 50, "16x": 200}
CYCLES = 8
ROUNDS = 9


def database(size: str) -> Path:
    path = DATA / f"scale-{size}.sqlite3"
    if not path.exists():
        print(f"generating {path} ({SIZES[size]} systems x {CYCLES} cycles)...", file=sys.stderr)
        generate(path, SIZES[size], CYCLES)
    return path


def measure(size: str) -> dict[str, object]:
    """Run in a fresh process per size, so that peak memory is that size's alone."""
    from app.services.assessments import AssessmentService
    from app.services.bootstrap import open_services
    from app.services.progress import ProgressService
    from app.services.scoring import ScoringService
    from app.ui.progress.portfolio_model import build_rows

    path = database(size)
    ctx = open_services(str(path))
    assessments = AssessmentService(ctx)
    progress = ProgressService(ctx)
    cold_list = _once(assessments.list)  # first listing fills the summary cache
    summaries = assessments.list()
    system = summaries[len(summaries) // 2].assessment.ai_system
    target = summaries[len(summaries) // 2].assessment.id
    raw = sqlite3.connect(path)

    def floor_list() -> None:
        raw.execute("SELECT * FROM assessments").fetchall()

    def floor_trend() -> None:
        raw.execute("SELECT * FROM assessments WHERE ai_system=?", (system,)).fetchall()

    def floor_open() -> None:
        raw.execute("SELECT * FROM answers WHERE assessment_id=?", (target,)).fetchall()

    def open_assessment() -> None:
        a = assessments.get(target)
        assessments.answers(target)
        ScoringService(ctx).score(a.id)

    out: dict[str, object] = {
        "size": size,
        "assessments": len(summaries),
        "cold_list_ms": cold_list,
        "empty_cache_list_ms": _empty_cache_list(path),
    }
    for name, ours, floor in (
        ("home list", assessments.list, floor_list),
        ("portfolio", lambda: build_rows(assessments.list()), floor_list),
        ("system trend", lambda: progress.trend(system), floor_trend),
        ("open assessment", open_assessment, floor_open),
    ):
        o, f, r = alternate(ours, floor, ROUNDS)
        out[name] = {"ours_ms": o, "floor_ms": f, "ratio": r}
    out["peak_rss_mb"] = peak_rss_mb()
    raw.close()
    ctx.db.dispose()
    return out


def _empty_cache_list(path: Path) -> float:
    """The first listing of a copy of the database whose cached summaries are empty (as after
    a migration or a large import): every assessment rescored and its summary stored."""
    import shutil
    import tempfile

    from app.services.assessments import AssessmentService
    from app.services.bootstrap import open_services

    with tempfile.TemporaryDirectory(prefix="airmf-bench-cold-") as tmp:
        copy = Path(tmp) / path.name
        with sqlite3.connect(path) as src, sqlite3.connect(copy) as dst:
            src.backup(dst)
        with sqlite3.connect(copy) as con:
            con.execute("UPDATE assessments SET summary = NULL")
        ctx = open_services(str(copy))
        elapsed = _once(AssessmentService(ctx).list)
        ctx.db.dispose()
        shutil.rmtree(tmp, ignore_errors=True)
    return elapsed


def _once(fn) -> float:  # type: ignore[no-untyped-def]
    import time

    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000


BUDGETS = {"home list": 150, "portfolio": 150, "system trend": 150, "open assessment": 100}


def run() -> list[Result]:
    results = []
    per_size = {}
    for size in SIZES:
        database(size)
        proc = subprocess.run(
            [sys.executable, "-m", "bench.bench_scale", "--child", size],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        )
        per_size[size] = json.loads(proc.stdout.strip().splitlines()[-1])
    for name, budget in BUDGETS.items():
        for size, data in per_size.items():
            m = data[name]
            ok = m["ours_ms"] <= budget if size == "16x" else None
            results.append(
                Result(
                    f"scale {name} @{size}",
                    m["ours_ms"],
                    m["floor_ms"],
                    f"<= {budget} ms at 16x",
                    ok,
                    {"assessments": data["assessments"]},
                )
            )
    for size, data in per_size.items():
        per = data["empty_cache_list_ms"] / max(1, data["assessments"])
        results.append(
            Result(
                f"scale first list, empty cache @{size}",
                data["empty_cache_list_ms"],
                None,
                "< 1 ms per assessment at 16x",
                per < 1.0 if size == "16x" else None,
                {"ms_per_assessment": round(per, 2)},
            )
        )
    for size, data in per_size.items():
        ok = data["peak_rss_mb"] <= 300 if size == "16x" else None
        results.append(
            Result(
                f"scale peak memory @{size}",
                0.0,
                None,
                "<= 300 MB at 16x",
                ok,
                {
                    "peak_rss_mb": round(data["peak_rss_mb"], 1),
                    "cold_list_ms": round(data["cold_list_ms"], 1),
                },
            )
        )
    return results


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        print(json.dumps(measure(sys.argv[2])))
    else:
        for r in run():
            print(r.line())

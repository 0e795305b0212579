"""Team mode on PostgreSQL (loopback): save to commit, open an assessment, lists at 16x.

A throwaway cluster is started from the installed server binaries (tests/pg_server.py) with
fsync on, as a real server runs. The 16x database of the scale benchmark is copied into it
table by table. Budgets: save median <= 5 ms, open <= 50 ms, home list and portfolio <= 150 ms
at 16x; the first listing of a database whose cached summaries are empty (after a migration or
a large import) < 1 ms per assessment.

Floors, measured alternately in the same run: a bare psycopg INSERT + COMMIT of one row into a
logged table on the same server (save: one durable commit), and a bare SELECT of the same rows
(open, lists).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from bench.harness import Result, alternate

TESTS = Path(__file__).resolve().parents[1] / "tests"
ROUNDS = 9
SAVES = 60
BUDGETS = {"save": 5.0, "open assessment": 50.0, "home list": 150.0, "portfolio": 150.0}


def _copy_sqlite_into(sqlite_path: Path, url: str) -> None:
    """Every table of our schema, row for row, from the SQLite file into the (migrated) server
    database; then the id sequences are moved past the copied ids."""
    from sqlalchemy import create_engine, func, select, text

    from app.persistence.rows import Base
    from app.services.bootstrap import open_services

    open_services(url).db.dispose()  # creates the schema at head
    source = create_engine(f"sqlite:///{sqlite_path}")
    target = create_engine(url)
    with source.connect() as src, target.begin() as dst:
        for table in Base.metadata.sorted_tables:
            rows = [dict(r._mapping) for r in src.execute(select(table))]
            for start in range(0, len(rows), 5000):
                dst.execute(table.insert(), rows[start : start + 5000])
            if "id" in table.c and rows:
                top = dst.execute(select(func.max(table.c.id))).scalar_one()
                dst.execute(
                    text("SELECT setval(pg_get_serial_sequence(:t, 'id'), :v)"),
                    {"t": table.name, "v": top},
                )
    source.dispose()
    target.dispose()


def measure(url: str, conninfo: str) -> dict[str, object]:
    """Run in a fresh process: the timings of one database on the server."""
    import psycopg

    from app.services.answers import AnswerService
    from app.services.assessments import AssessmentService
    from app.services.bootstrap import open_services
    from app.services.scoring import ScoringService
    from app.ui.progress.portfolio_model import build_rows

    ctx = open_services(url)
    assessments = AssessmentService(ctx)
    # Cold: the cached summaries emptied, as after a migration or a large import.
    with psycopg.connect(conninfo, autocommit=True) as raw:
        raw.execute("UPDATE assessments SET summary = NULL")
    t0 = time.perf_counter()
    summaries = assessments.list()
    cold_ms = (time.perf_counter() - t0) * 1000
    count = len(summaries)
    target = summaries[count // 2].assessment.id
    raw = psycopg.connect(conninfo, autocommit=False)
    # A logged table, as ours are: a TEMP table's commit writes no WAL and needs no fsync,
    # which made the save floor a fraction of any durable commit.
    raw.execute("CREATE TABLE IF NOT EXISTS floor_rows (id serial primary key, v text)")
    raw.commit()

    def floor_save() -> None:
        raw.execute("INSERT INTO floor_rows (v) VALUES (%s)", ("x",))
        raw.commit()

    def floor_list() -> None:
        raw.execute("SELECT * FROM assessments").fetchall()
        raw.commit()

    def floor_open() -> None:
        raw.execute("SELECT * FROM answers WHERE assessment_id = %s", (target,)).fetchall()
        raw.commit()

    def open_assessment() -> None:
        a = assessments.get(target)
        assessments.answers(target)
        ScoringService(ctx).score(a.id)

    fresh = assessments.create({"name": "Bench saves", "ai_system": "Bench"}).id
    answers = AnswerService(ctx)
    subs = ctx.catalog.framework("nist-ai-rmf-1.0").subcategory_ids()
    levels = "LMH"
    step = iter(range(10**6))

    def save() -> None:
        i = next(step)
        answers.record(
            fresh,
            subs[i % len(subs)],
            metrics={
                "coverage": levels[i % 3],
                "robustness": levels[(i + 1) % 3],
                "input_diversity": "M",
            },
        )

    out: dict[str, object] = {"assessments": count, "cold_list_ms": cold_ms}
    save_ms, floor_ms, _ = alternate(save, floor_save, SAVES)
    out["save"] = {"ours_ms": save_ms, "floor_ms": floor_ms}
    for name, ours, floor in (
        ("open assessment", open_assessment, floor_open),
        ("home list", assessments.list, floor_list),
        ("portfolio", lambda: build_rows(assessments.list()), floor_list),
    ):
        o, f, _ = alternate(ours, floor, ROUNDS)
        out[name] = {"ours_ms": o, "floor_ms": f}
    raw.close()
    ctx.db.dispose()
    return out


def run() -> list[Result]:
    sys.path.insert(0, str(TESTS))
    from pg_server import running_cluster  # type: ignore[import-not-found]

    from bench.bench_scale import database

    sqlite_path = database("16x")
    with running_cluster(durable=True) as cluster:
        name = cluster.new_database()
        url = cluster.url(name)
        conninfo = url.replace("postgresql+psycopg://", "postgresql://")
        print(f"copying {sqlite_path.name} into PostgreSQL...", file=sys.stderr)
        _copy_sqlite_into(sqlite_path, url)
        proc = subprocess.run(
            [sys.executable, "-m", "bench.bench_postgres", "--child", url, conninfo],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        )
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    results = []
    for name, budget in BUDGETS.items():
        m = data[name]
        results.append(
            Result(
                f"postgres {name} @16x",
                m["ours_ms"],
                m["floor_ms"],
                f"<= {budget:g} ms",
                m["ours_ms"] <= budget,
                {"assessments": data["assessments"]},
            )
        )
    per = data["cold_list_ms"] / max(1, data["assessments"])
    results.append(
        Result(
            "postgres first list, empty cache @16x",
            data["cold_list_ms"],
            None,
            "< 1 ms per assessment",
            per < 1.0,
            {"ms_per_assessment": round(per, 2)},
        )
    )
    return results


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        print(json.dumps(measure(sys.argv[2], sys.argv[3])))
    else:
        for r in run():
            print(r.line())

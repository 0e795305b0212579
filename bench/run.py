"""``make bench``: run every benchmark, print a table, write bench/results/latest.json.

python -m bench.run [--only startup,ui,report,scale,memory,postgres,cli,interchange]
"""

from __future__ import annotations

import argparse
import importlib
import sys
import traceback

from bench.harness import Result, machine, save

SUITES = {
    "startup": "bench.bench_startup",
    "ui": "bench.bench_ui",
    "report": "bench.bench_report",
    "scale": "bench.bench_scale",
    "memory": "bench.bench_memory",
    "postgres": "bench.bench_postgres",
    "cli": "bench.bench_cli",
    "interchange": "bench.bench_interchange",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", help="comma-separated subset of: " + ", ".join(SUITES))
    args = parser.parse_args()
    chosen = args.only.split(",") if args.only else list(SUITES)
    info = machine()
    print(f"machine: {info['cores']} cores, {info['cpu']}, Python {info['python']}")
    results: list[Result] = []
    failed = False
    for name in chosen:
        try:
            module = importlib.import_module(SUITES[name])
            got = module.run()
        except Exception:
            failed = True
            print(f"{name}: failed to run\n{traceback.format_exc()}", file=sys.stderr)
            continue
        for r in got:
            print(r.line(), flush=True)
        results.extend(got)
    path = save(results)
    print(f"\nresults: {path}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

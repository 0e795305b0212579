"""Child process of the crash test: records answers in a loop, printing each confirmed save.

python crash_writer.py DB_PATH ASSESSMENT_ID START
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.services.answers import AnswerService  # noqa: E402
from app.services.bootstrap import open_services  # noqa: E402

LEVELS = "LMH"


def main() -> None:
    db, aid, start = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    ctx = open_services(db)
    ctx.actor = "crash-writer"
    framework = ctx.catalog.framework("nist-ai-rmf-1.0")
    subs = framework.subcategory_ids()
    answers = AnswerService(ctx)
    i = start
    while True:
        sub = subs[i % len(subs)]
        metrics = {
            "coverage": LEVELS[i % 3],
            "robustness": LEVELS[(i // 3) % 3],
            "input_diversity": LEVELS[(i // 9) % 3],
        }
        answers.record(aid, sub, metrics=metrics, notes=f"write {i}")
        print(f"{sub}\t{i}", flush=True)  # only after the commit returned
        i += 1


if __name__ == "__main__":
    main()

"""Generate a large, realistic database: N AI systems x 8 cycles, answers and their history.

    python -m bench.generate --systems 200 --cycles 8 -o bench/data/scale-16x.sqlite3

The 16x size (200 systems x 8 cycles = 1,600 assessments, about 115,000 answers) is the
size the performance budgets are stated for; 1x and 4x are 1/16 and 1/4 of it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
import uuid
from pathlib import Path

from app.domain.assessment import Answer, HistoryEntry
from app.domain.exchange import ExportDocument, ExportedAssessment
from app.domain.history import GENESIS, chain, diff_answers
from app.services.bootstrap import open_services
from app.services.exchange import ExchangeService

LMH = "LMH"
NOTES = (
    "Reviewed with the model risk committee; minutes filed in the GRC tool. Follow-up actions "
    "are tracked in the quarterly plan and owners confirmed their due dates."
)


def _answer(rng: random.Random, sub: str, n_actions: int, drift: int) -> Answer | None:
    roll = rng.random()
    if roll < 0.08:
        return None
    if roll < 0.13:
        return Answer(subcategory_id=sub, not_applicable=True, na_rationale="Out of scope.")
    pick = lambda: LMH[min(2, max(0, rng.randint(0, 2) + drift - 1))]  # noqa: E731
    return Answer(
        subcategory_id=sub,
        metrics={"coverage": pick(), "robustness": pick(), "input_diversity": pick()},
        notes=NOTES if rng.random() < 0.6 else "",
        owner=rng.choice(["Legal", "Data science", "Risk", "Security", ""]),
        actions_in_place=sorted(rng.sample(range(n_actions), k=min(n_actions, rng.randint(0, 3)))),
        flagged=rng.random() < 0.05,
    )


def generate(path: Path, systems: int, cycles: int, seed: int = 7) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    ctx = open_services(str(path))
    ctx.actor = "generator"
    framework = ctx.catalog.framework("nist-ai-rmf-1.0")
    guidance = {
        s.id: len(s.guidance.suggested_actions) if s.guidance else 0
        for s in framework.subcategories()
    }
    exchange = ExchangeService(ctx)
    rng = random.Random(seed)
    start = dt.datetime(2019, 1, 1, tzinfo=dt.UTC)
    t0 = time.perf_counter()
    for sys_no in range(systems):
        system = f"AI system {sys_no + 1:04d}"
        for cycle in range(cycles):
            when = start + dt.timedelta(days=120 * cycle + sys_no % 90)
            answers = [
                a
                for sub, n in guidance.items()
                if (a := _answer(rng, sub, n, drift=cycle // 3)) is not None
            ]
            history = chain(
                [
                    HistoryEntry(
                        subcategory_id=a.subcategory_id,
                        field=f,
                        old=o,
                        new=n,
                        actor="generator",
                        at=when,
                    )
                    for a in answers
                    for f, o, n in diff_answers(None, a)
                ],
                GENESIS,
                1,
            )
            doc = ExportDocument(
                exported_at=when,
                assessment=ExportedAssessment(
                    name=f"{system} cycle {cycle + 1}",
                    ai_system=system,
                    uid=uuid.uuid4().hex,
                    framework_version=framework.version,
                    created_at=when,
                    updated_at=when,
                    organization="Generated",
                    assessor="generator",
                    default_target=3,
                ),
                answers=answers,
                history=history,
            )
            exchange.import_parsed(doc)
        if (sys_no + 1) % 25 == 0:
            print(
                f"  {sys_no + 1}/{systems} systems ({time.perf_counter() - t0:.0f} s)",
                file=sys.stderr,
            )
    ctx.db.dispose()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--systems", type=int, default=200)
    p.add_argument("--cycles", type=int, default=8)
    p.add_argument("-o", "--output", type=Path, required=True)
    args = p.parse_args()
    generate(args.output, args.systems, args.cycles)
    print(args.output)


if __name__ == "__main__":
    main()

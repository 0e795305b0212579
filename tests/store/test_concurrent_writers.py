"""Soak: several processes save to one assessment at once, on each engine (the store contract).

Every save states the version of the answer it was based on, so saves to the shared answer
are often stale: each is either applied (merged when the others changed other fields) or
reported as a conflict (never a traceback, never an IntegrityError from a race for the next
history entry, never a silent overwrite). Nothing applied is lost, nothing refused is written,
and the history chain verifies afterwards.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from soak_writer import field_of  # this test's directory is on the path (pytest's rootdir)

from app.services.answers import AnswerService
from app.services.assessments import AssessmentService
from app.services.bootstrap import open_services

WRITER = Path(__file__).with_name("soak_writer.py")
REPO = Path(__file__).resolve().parents[2]
# The size: 10 processes x 200 saves on one assessment, half of each writer's saves to
# the shared answer. One process start per writer keeps it affordable on a small machine.
PROCESSES = 10
SAVES = 200
SHARED = "GOVERN 1.1"
OWN = [f"MAP 1.{n}" for n in range(1, 7)] + [f"MAP 2.{n}" for n in range(1, 4)] + ["MAP 3.1"]


def _run_writers(
    url: str, aid: int, saves: int, *mode: str, writers: int = PROCESSES
) -> list[list[str]]:
    """Start ``writers`` processes at once; their output lines, split into fields."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    procs = [
        subprocess.Popen(
            [sys.executable, str(WRITER), url, str(aid), str(w), str(saves), SHARED, OWN[w], *mode],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=REPO,
        )
        for w in range(writers)
    ]
    outputs = [p.communicate(timeout=240) for p in procs]
    for proc, (out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
        assert "Traceback" not in err and "Traceback" not in out, err or out
    return [line.split("\t", 3) for out, _ in outputs for line in out.splitlines()]


@pytest.mark.slow
def test_many_writers_one_assessment(store_url: str, catalog) -> None:  # type: ignore[no-untyped-def]
    ctx = open_services(store_url, catalog=catalog)
    ctx.actor = "setup"
    aid = (
        AssessmentService(ctx)
        .create({"name": "Soak", "ai_system": "Soak system", "default_target": 3})
        .id
    )
    ctx.db.dispose()

    lines = _run_writers(store_url, aid, SAVES)
    assert len(lines) == PROCESSES * SAVES
    assert all(line[0] in {"ok", "conflict", "refused"} for line in lines), lines
    refused = [line for line in lines if line[0] == "refused"]
    assert not refused, refused[:3]
    # Only the shared answer has other writers: a writer's own answer never conflicts.
    conflicts = [line for line in lines if line[0] == "conflict"]
    assert all(line[1] == SHARED for line in conflicts), conflicts[:3]
    assert all("nothing was written" in line[3] for line in conflicts), conflicts[:3]
    applied = {(line[1], line[2]) for line in lines if line[0] == "ok"}
    refused_values = {(line[1], line[2]) for line in conflicts}

    ctx = open_services(store_url, catalog=catalog)
    answers = AnswerService(ctx)
    try:
        history = answers.history(aid)
        # Links, hashes, the stored head, and a replay of the history against the answers.
        assert answers.check_history(aid).ok
        recorded = {(e.subcategory_id, e.new) for e in history if e.field in {"notes", "owner"}}
        assert applied <= recorded, sorted(applied - recorded)[:5]
        assert not refused_values & recorded, sorted(refused_values & recorded)[:5]
        seqs = [e.seq for e in history]
        assert seqs == list(range(1, len(seqs) + 1))
        # Each worker's own subcategory ends with that worker's last applied value.
        in_order = sorted(applied, key=lambda a: int(a[1].split("-")[1]))
        for w in range(PROCESSES):
            mine = [v for s, v in in_order if s == OWN[w]]
            if mine:
                assert getattr(answers.get(aid, OWN[w]), field_of(w)) == mine[-1]
        # The shared answer holds, per field, the value of the last save that changed it.
        shared = answers.get(aid, SHARED)
        for name in ("notes", "owner"):
            last = [e.new for e in history if e.subcategory_id == SHARED and e.field == name]
            assert getattr(shared, name) == (last[-1] if last else "")
        # One version per applied save (each changes one field: one history entry).
        shared_saves = sum(1 for line in lines if line[0] == "ok" and line[1] == SHARED)
        assert answers.versions(aid)[SHARED] == shared_saves
    finally:
        ctx.db.dispose()


@pytest.mark.slow
def test_evidence_added_at_once_is_all_kept(store_url: str, catalog) -> None:  # type: ignore[no-untyped-def]
    """Adding evidence edits the list as stored inside the save's transaction: links that
    several writers add at the same moment are all kept (none replaced by a stale copy)."""
    ctx = open_services(store_url, catalog=catalog)
    aid = (
        AssessmentService(ctx)
        .create({"name": "Evidence soak", "ai_system": "Soak system", "default_target": 3})
        .id
    )
    ctx.db.dispose()
    # Fewer than the soak's writers: every save rewrites the growing list of links.
    saves, writers = 12, 6
    lines = _run_writers(store_url, aid, saves, "evidence", writers=writers)
    assert [line[0] for line in lines] == ["ok"] * (writers * saves), lines[:3]
    ctx = open_services(store_url, catalog=catalog)
    try:
        cited = [e.url for e in AnswerService(ctx).get(aid, SHARED).evidence]
        expected = {f"https://example.org/w{w}/{k}" for w in range(writers) for k in range(saves)}
        assert sorted(cited) == sorted(expected)
        assert AnswerService(ctx).verify_history(aid) is None
    finally:
        ctx.db.dispose()

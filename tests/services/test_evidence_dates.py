"""Evidence dates, several files at once, duplicate links and AI 600-1 ticks through the
services: each change one history entry, bad input refused with nothing written, and the new
fields carried by export and import (format 3; format 2 files still import)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from app.domain.assessment import AssessmentMeta
from app.domain.freshness import EXPIRING_WITHIN_DAYS
from app.services.answers import AnswerService
from app.services.assessments import AssessmentService
from app.services.errors import InvalidInput
from app.services.exchange import ExchangeService
from app.services.freshness import FreshnessService
from app.services.lifecycle import LifecycleService

NOW = dt.datetime(2027, 3, 10, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def aid(ctx) -> int:  # type: ignore[no-untyped-def]
    ctx.clock = lambda: NOW
    return AssessmentService(ctx).create(AssessmentMeta(name="Fresh", scheme_id="direct")).id  # type: ignore[no-any-return]


def _entries(ctx, aid: int, field: str) -> int:  # type: ignore[no-untyped-def]
    return sum(1 for e in AnswerService(ctx).history(aid) if e.field == field)


def test_dates_are_set_changed_and_cleared_each_with_a_history_entry(ctx, aid) -> None:  # type: ignore[no-untyped-def]
    service = AnswerService(ctx)
    answer = service.add_link(
        aid, "GOVERN 1.1", "Policy", "https://x.org/p", as_of="2027-01-01", valid_until="2027-04-01"
    )
    assert (answer.evidence[0].as_of, answer.evidence[0].valid_until) == (
        dt.date(2027, 1, 1),
        dt.date(2027, 4, 1),
    )
    assert _entries(ctx, aid, "evidence") == 1
    answer = service.update_evidence_dates(aid, "GOVERN 1.1", 0, valid_until="2028-01-01")
    assert answer.evidence[0].as_of == dt.date(2027, 1, 1)  # kept
    assert answer.evidence[0].valid_until == dt.date(2028, 1, 1)
    answer = service.update_evidence_dates(aid, "GOVERN 1.1", 0, as_of=None)
    assert answer.evidence[0].as_of is None
    assert _entries(ctx, aid, "evidence") == 3
    assert service.check_history(aid).ok


@pytest.mark.parametrize(
    ("dates", "match"),
    [
        ({"valid_until": "2027-02-30"}, "February 2027 has no day 30"),
        ({"as_of": "1/3/2027"}, "write it as YYYY-MM-DD"),
        ({"as_of": "2027-05-01", "valid_until": "2027-04-01"}, "is before as of"),
    ],
)
def test_bad_dates_are_refused_and_nothing_is_written(ctx, aid, tmp_path, dates, match) -> None:  # type: ignore[no-untyped-def]
    service = AnswerService(ctx)
    service.add_link(aid, "GOVERN 1.1", "Policy", "https://x.org/p")
    before = service.get(aid, "GOVERN 1.1")
    with pytest.raises(InvalidInput, match=match):
        service.update_evidence_dates(aid, "GOVERN 1.1", 0, **dates)
    with pytest.raises(InvalidInput, match=match):
        service.add_link(aid, "GOVERN 1.1", "", "https://x.org/other", **dates)
    f = tmp_path / "a.txt"
    f.write_text("a")
    with pytest.raises(InvalidInput, match=match):
        service.attach_files(aid, "GOVERN 1.1", [f], **dates)
    assert service.get(aid, "GOVERN 1.1") == before
    assert list(ctx.evidence.stored()) == []  # the bad date was found before any copy
    with pytest.raises(InvalidInput, match="has no evidence item 2"):
        service.update_evidence_dates(aid, "GOVERN 1.1", 1, as_of="2027-01-01")


def test_several_files_are_cited_in_one_save_or_none(ctx, aid, tmp_path) -> None:  # type: ignore[no-untyped-def]
    service = AnswerService(ctx)
    files = []
    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_text(f"content of {name}")
        files.append(tmp_path / name)
    answer = service.attach_files(aid, "MAP 1.1", files[:2], valid_until="2027-12-31")
    assert [(e.title, e.valid_until) for e in answer.evidence] == [
        ("a.txt", dt.date(2027, 12, 31)),
        ("b.txt", dt.date(2027, 12, 31)),
    ]
    assert _entries(ctx, aid, "evidence") == 1
    # One file of the batch cited already: nothing of the batch is cited, the new copy goes.
    with pytest.raises(InvalidInput, match="cites this file already"):
        service.attach_files(aid, "MAP 1.1", [files[2], files[0]])
    assert [e.title for e in service.get(aid, "MAP 1.1").evidence] == ["a.txt", "b.txt"]
    assert len(list(ctx.evidence.stored())) == 2
    with pytest.raises(InvalidInput, match="the same file is given twice"):
        service.attach_files(aid, "MAP 1.1", [files[2], files[2]])
    with pytest.raises(InvalidInput, match="no such file"):
        service.attach_files(aid, "MAP 1.1", [files[2], tmp_path / "missing.txt"])
    assert len(list(ctx.evidence.stored())) == 2


def test_a_duplicate_link_is_refused_and_an_untitled_link_is_titled_once(ctx, aid) -> None:  # type: ignore[no-untyped-def]
    service = AnswerService(ctx)
    answer = service.add_link(aid, "GOVERN 1.1", "", "https://x.org/p")
    assert answer.evidence[0].title == "https://x.org/p"
    with pytest.raises(InvalidInput, match=r"GOVERN 1.1 cites the link https://x.org/p already"):
        service.add_link(aid, "GOVERN 1.1", "Another title", " https://x.org/p ")
    assert len(service.get(aid, "GOVERN 1.1").evidence) == 1
    service.add_link(aid, "GOVERN 1.2", "", "https://x.org/p")  # another subcategory: fine


def test_genai_actions_are_ticked_by_id_and_undone(ctx, aid) -> None:  # type: ignore[no-untyped-def]
    service = AnswerService(ctx)
    answer = service.tick_genai_actions(aid, "GOVERN 1.1", {"GV-1.1-001": True})
    assert answer.genai_actions_in_place == ["GV-1.1-001"]
    history = [e for e in service.history(aid) if e.field == "genai_actions_in_place"]
    assert [h.new for h in history] == ['["GV-1.1-001"]']
    with pytest.raises(InvalidInput, match="GV-1.2-001 is not an AI 600-1 action of GOVERN 1.1"):
        service.tick_genai_actions(aid, "GOVERN 1.1", {"GV-1.2-001": True})
    answer = service.tick_genai_actions(aid, "GOVERN 1.1", {"GV-1.1-001": False})
    assert answer.genai_actions_in_place == []
    assert service.check_history(aid).ok


def test_summary_of_an_assessment(ctx, aid) -> None:  # type: ignore[no-untyped-def]
    service = AnswerService(ctx)
    service.record(aid, "GOVERN 1.1", level=5)
    service.add_link(aid, "GOVERN 1.1", "", "https://x.org/old", valid_until="2027-03-09")
    service.record(aid, "MAP 1.1", level=4)
    soon = (NOW.date() + dt.timedelta(days=EXPIRING_WITHIN_DAYS)).isoformat()
    service.add_link(aid, "MAP 1.1", "", "https://x.org/soon", valid_until=soon)
    summary = FreshnessService(ctx).summary(aid)
    assert summary.expired_subcategories == ("GOVERN 1.1",)
    assert summary.expiring_subcategories == ("MAP 1.1",)
    assert summary.unsupported_subcategories == ("GOVERN 1.1",)


def _exported(ctx, aid: int, tmp_path: Path) -> dict:  # type: ignore[no-untyped-def,type-arg]
    out = ExchangeService(ctx).export_json(aid, tmp_path / f"{aid}.json")
    return json.loads(out.read_text())  # type: ignore[no-any-return]


def test_export_and_import_carry_the_new_fields(ctx, aid, tmp_path) -> None:  # type: ignore[no-untyped-def]
    service = AnswerService(ctx)
    service.add_link(aid, "GOVERN 1.1", "P", "https://x.org/p", as_of="2027-01-01")
    service.tick_genai_actions(aid, "GOVERN 1.1", {"GV-1.1-001": True})
    LifecycleService(ctx).finalize(aid, "Ann Lee", "CRO", "Approved")
    doc = _exported(ctx, aid, tmp_path)
    assert doc["format_version"] == 3
    answer = doc["answers"][0]
    assert answer["evidence"][0]["as_of"] == "2027-01-01"
    assert "valid_until" not in answer["evidence"][0]
    assert answer["genai_actions_in_place"] == ["GV-1.1-001"]
    new = ExchangeService(ctx).import_file(tmp_path / f"{aid}.json")
    imported = AssessmentService(ctx).answers(new)["GOVERN 1.1"]
    assert imported.evidence[0].as_of == dt.date(2027, 1, 1)
    assert imported.genai_actions_in_place == ["GV-1.1-001"]
    assert LifecycleService(ctx).verify(new).matches


def test_a_version_2_export_still_imports(ctx, aid, tmp_path) -> None:  # type: ignore[no-untyped-def]
    service = AnswerService(ctx)
    service.add_link(aid, "GOVERN 1.1", "P", "https://x.org/p")
    LifecycleService(ctx).finalize(aid, "Ann Lee", "CRO", "Approved")
    doc = _exported(ctx, aid, tmp_path)
    doc["format_version"] = 2  # what version 2 wrote: no dates, no AI 600-1 ticks
    v2 = tmp_path / "v2.json"
    v2.write_text(json.dumps(doc))
    new = ExchangeService(ctx).import_file(v2)
    assert AssessmentService(ctx).answers(new)["GOVERN 1.1"].evidence[0].as_of is None
    assert LifecycleService(ctx).verify(new).matches


def test_cleaning_a_file_removed_meanwhile_removes_nothing(ctx) -> None:  # type: ignore[no-untyped-def]
    """A clean-up asked to remove a file another clean-up removed first (two members, or a
    failed batch after a purge) has nothing to do; it raised KeyError before."""
    from app.services.evidence import EvidenceService

    done = EvidenceService(ctx).clean({"a" * 64: ("gone.txt", 3)})
    assert done.removed == [] and done.problem == ""

"""The freshness rule: expired / expiring within 30 days / current by the local calendar day,
and Advanced or Leading ratings without current evidence flagged as unsupported."""

from __future__ import annotations

import datetime as dt

import pytest

from app.domain.assessment import Answer, EvidenceItem, EvidenceStatus
from app.domain.exchange import canonical_answers
from app.domain.freshness import (
    EXPIRING_WITHIN_DAYS,
    Freshness,
    answer_freshness,
    freshness,
    freshness_on,
    is_unsupported_on,
    summarize,
)
from app.domain.history import field_value_text
from tests.zones import local_zone

TODAY = dt.date(2027, 3, 10)


def _item(until: dt.date | None = None, title: str = "Policy") -> EvidenceItem:
    return EvidenceItem(title=title, url=f"https://example.org/{title}", valid_until=until)


@pytest.mark.parametrize(
    ("until", "state"),
    [
        (None, Freshness.CURRENT),
        (TODAY - dt.timedelta(days=1), Freshness.EXPIRED),
        (TODAY, Freshness.EXPIRING),  # valid until is inclusive: still valid today
        (TODAY + dt.timedelta(days=EXPIRING_WITHIN_DAYS), Freshness.EXPIRING),
        (TODAY + dt.timedelta(days=EXPIRING_WITHIN_DAYS + 1), Freshness.CURRENT),
    ],
    ids=["no date", "yesterday", "today", "in 30 days", "in 31 days"],
)
def test_freshness_by_calendar_day(until: dt.date | None, state: Freshness) -> None:
    assert freshness_on(_item(until), TODAY) is state


def test_freshness_uses_the_local_day_not_the_utc_day() -> None:
    # 02:00 UTC on 11 March is still 10 March in Los Angeles: valid until 10 March holds there.
    now = dt.datetime(2027, 3, 11, 2, 0, tzinfo=dt.UTC)
    item = _item(dt.date(2027, 3, 10))
    with local_zone("America/Los_Angeles"):
        assert freshness(item, now) is Freshness.EXPIRING
    with local_zone("UTC"):
        assert freshness(item, now) is Freshness.EXPIRED


def _rated(level: int, *items: EvidenceItem, status: EvidenceStatus | None = None) -> Answer:
    return Answer(
        subcategory_id="GOVERN 1.1", level=level, evidence=list(items), evidence_status=status
    )


@pytest.mark.parametrize("level", [4, 5])
def test_advanced_or_leading_without_current_evidence_is_unsupported(direct, level) -> None:  # type: ignore[no-untyped-def]
    assert is_unsupported_on(direct, _rated(level), TODAY)
    expired = _item(TODAY - dt.timedelta(days=1))
    assert is_unsupported_on(direct, _rated(level, expired), TODAY)
    assert not is_unsupported_on(direct, _rated(level, expired, _item(None, "B")), TODAY)
    contrary = _rated(level, _item(None), status=EvidenceStatus.CONTRARY)
    assert is_unsupported_on(direct, contrary, TODAY)


def test_established_or_lower_is_never_unsupported(direct) -> None:  # type: ignore[no-untyped-def]
    for level in (1, 2, 3):
        assert not is_unsupported_on(direct, _rated(level), TODAY)
        contrary = _rated(level, status=EvidenceStatus.CONTRARY)
        assert not is_unsupported_on(direct, contrary, TODAY)
    assert not is_unsupported_on(direct, None, TODAY)
    na = Answer(subcategory_id="GOVERN 1.1", not_applicable=True, na_rationale="n/a")
    assert not is_unsupported_on(direct, na, TODAY)


def test_the_rubric_scores_through_its_table(rubric) -> None:  # type: ignore[no-untyped-def]
    # H/H/H is 9 points: Leading (5); H/H/M 8: Advanced (4); H/M/M 7: Established (3).
    def rubric_answer(*codes: str) -> Answer:
        metrics = dict(zip(("coverage", "robustness", "input_diversity"), codes, strict=True))
        return Answer(subcategory_id="GOVERN 1.1", metrics=metrics)

    assert is_unsupported_on(rubric, rubric_answer("H", "H", "H"), TODAY)
    assert is_unsupported_on(rubric, rubric_answer("H", "H", "M"), TODAY)
    assert not is_unsupported_on(rubric, rubric_answer("H", "M", "M"), TODAY)


def test_summary_counts_items_and_lists_subcategories_in_order(direct) -> None:  # type: ignore[no-untyped-def]
    old = _item(TODAY - dt.timedelta(days=3), "old")
    soon = _item(TODAY + dt.timedelta(days=5), "soon")
    answers = {
        "MAP 1.1": Answer(subcategory_id="MAP 1.1", level=5, evidence=[old, soon]),
        "GOVERN 1.1": Answer(subcategory_id="GOVERN 1.1", level=4, evidence=[old]),
        "GOVERN 1.2": Answer(subcategory_id="GOVERN 1.2", level=2),
    }
    summary = summarize(direct, answers, ["GOVERN 1.1", "GOVERN 1.2", "MAP 1.1"], TODAY)
    assert summary.expired_items == 2
    assert summary.expiring_items == 1
    assert summary.expired_subcategories == ("GOVERN 1.1", "MAP 1.1")
    assert summary.expiring_subcategories == ("MAP 1.1",)
    assert summary.unsupported_subcategories == ("GOVERN 1.1",)
    assert summary.lines() == [
        "2 evidence items expired: GOVERN 1.1, MAP 1.1",
        "1 evidence item expiring within 30 days: MAP 1.1",
        "1 unsupported rating (Advanced or Leading without current evidence): GOVERN 1.1",
    ]
    assert summary.as_json()["unsupported"] == {"count": 1, "subcategories": ["GOVERN 1.1"]}
    state = answer_freshness(direct, answers["MAP 1.1"], TODAY)
    assert (state.expired, state.expiring, state.stale, state.unsupported) == (1, 1, True, False)


def test_dates_are_read_by_the_one_date_rule_and_ordered() -> None:
    item = EvidenceItem(
        title="P", url="https://x.org", as_of="2027-01-31", valid_until="2027-12-31"
    )
    assert (item.as_of, item.valid_until) == (dt.date(2027, 1, 31), dt.date(2027, 12, 31))
    for bad in ("2027-02-31", "31/01/2027", "20270131"):
        with pytest.raises(ValueError, match="is not a date"):
            EvidenceItem(title="P", url="https://x.org", as_of=bad)
    with pytest.raises(ValueError, match="valid until 2027-01-01 is before as of 2027-01-31"):
        EvidenceItem(title="P", url="https://x.org", as_of="2027-01-31", valid_until="2027-01-01")


def test_undated_evidence_and_unticked_answers_dump_as_before() -> None:
    """History texts, exports and sign-off fingerprints of data recorded before the dates and
    the AI 600-1 ticks existed stay the same: unset new fields are left out of the dump."""
    plain = Answer(subcategory_id="GOVERN 1.1", evidence=[_item(None)])
    assert set(plain.evidence[0].model_dump(mode="json")) == {
        "title",
        "url",
        "file_name",
        "sha256",
        "size",
        "added_at",
    }
    assert "genai_actions_in_place" not in plain.model_dump(mode="json")
    assert b"as_of" not in canonical_answers([plain])
    assert "valid_until" not in field_value_text(plain, "evidence")
    dated = plain.model_copy(
        update={"evidence": [_item(dt.date(2027, 5, 1))], "genai_actions_in_place": ["GV-1.1-001"]}
    )
    assert dated.evidence[0].model_dump(mode="json")["valid_until"] == "2027-05-01"
    assert dated.model_dump(mode="json")["genai_actions_in_place"] == ["GV-1.1-001"]
    assert '"valid_until": "2027-05-01"' in field_value_text(dated, "evidence")

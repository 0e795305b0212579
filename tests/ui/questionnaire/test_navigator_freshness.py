"""Navigator filters on owner, overdue, no evidence, stale evidence and unsupported ratings;
markers and tooltips for them; the search finds owners and evidence titles."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from app.domain.days import local_day
from app.services.answers import AnswerService
from app.ui.questionnaire.navigator_filter import ANY_OWNER, NO_OWNER, FilterMode
from app.ui.questionnaire.navigator_model import Role

pytestmark = pytest.mark.gui
TODAY = local_day(dt.datetime.now(dt.UTC))


@pytest.fixture
def page(ctx, make_page, create):  # type: ignore[no-untyped-def]
    aid = create(scheme_id="direct")
    answers = AnswerService(ctx)
    yesterday = TODAY - dt.timedelta(days=1)
    answers.record(aid, "GOVERN 1.1", level=5, owner="Dana Lee")  # unsupported: no evidence
    answers.record(aid, "GOVERN 1.2", level=3, owner="dana lee", due_date=yesterday)
    answers.add_link(aid, "GOVERN 1.2", "Board minutes", "https://x.org/m", valid_until=yesterday)
    answers.record(aid, "MAP 1.1", level=4, owner="Sam", due_date=TODAY)  # due today: not late
    soon = TODAY + dt.timedelta(days=3)
    answers.add_link(aid, "MAP 1.1", "Model card", "https://x.org/c", valid_until=soon)
    return make_page(aid)


def _shown(page, mode: FilterMode, owner: str | None = ANY_OWNER) -> list[str]:  # type: ignore[no-untyped-def]
    nav = page.navigator
    nav.filter_combo.setCurrentIndex(nav.filter_combo.findData(mode))
    found = 0 if owner is ANY_OWNER else nav.owner_combo.findData(owner)
    nav.owner_combo.setCurrentIndex(found)
    return nav.proxy.matching_subcategories()  # type: ignore[no-any-return]


def test_state_filters(page, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    qtmodeltester.check(page.navigator.proxy)
    assert _shown(page, FilterMode.OVERDUE) == ["GOVERN 1.2"]
    assert _shown(page, FilterMode.UNSUPPORTED) == ["GOVERN 1.1"]
    assert _shown(page, FilterMode.STALE_EVIDENCE) == ["GOVERN 1.2", "MAP 1.1"]
    no_evidence = _shown(page, FilterMode.NO_EVIDENCE)
    assert "GOVERN 1.1" in no_evidence and "GOVERN 1.2" not in no_evidence
    assert len(no_evidence) == len(page.navigator.model.subcategory_ids()) - 2


def test_owner_filter_lists_owners_and_folds_case(page) -> None:  # type: ignore[no-untyped-def]
    nav = page.navigator
    labels = [nav.owner_combo.itemText(i) for i in range(nav.owner_combo.count())]
    assert labels == ["Any owner", "No owner", "Owner: Dana Lee", "Owner: Sam"]  # one Dana
    assert _shown(page, FilterMode.ALL, "Dana Lee") == ["GOVERN 1.1", "GOVERN 1.2"]
    assert _shown(page, FilterMode.OVERDUE, "Sam") == []
    assert nav.empty.isVisible()
    assert "MAP 1.1" not in _shown(page, FilterMode.ALL, NO_OWNER)
    assert _shown(page, FilterMode.UNSUPPORTED, ANY_OWNER) == ["GOVERN 1.1"]


def test_search_finds_owners_and_evidence_titles(page, qtbot) -> None:  # type: ignore[no-untyped-def]
    nav = page.navigator
    qtbot.keyClicks(nav.search, "board minutes")
    assert nav.proxy.matching_subcategories() == ["GOVERN 1.2"]
    nav.search.clear()
    qtbot.keyClicks(nav.search, "SAM")
    assert nav.proxy.matching_subcategories() == ["MAP 1.1"]


def test_markers_and_tooltips(page, ctx, settle) -> None:  # type: ignore[no-untyped-def]
    model = page.navigator.model
    unsupported = model.index_of("GOVERN 1.1", 1)
    assert unsupported.data() == "5.0"  # the score reads as everywhere else
    assert unsupported.data(Qt.ItemDataRole.DecorationRole) is not None
    assert "unsupported rating" in unsupported.data(Qt.ItemDataRole.ToolTipRole)
    stale = model.index_of("GOVERN 1.2", 0).data(Qt.ItemDataRole.ToolTipRole)
    assert "overdue" in stale and "1 evidence item expired" in stale
    assert "1 evidence item expiring within 30 days" in model.index_of("MAP 1.1").data(
        Qt.ItemDataRole.ToolTipRole
    )
    assert model.index_of("GOVERN 2.1", 1).data(Qt.ItemDataRole.DecorationRole) is None
    # A save that dates the evidence anew clears the marker of that row.
    page.show_subcategory("GOVERN 1.2")
    later = TODAY + dt.timedelta(days=365)
    page.controller.set_evidence_date(0, "valid_until", later)
    settle(page)
    assert model.index_of("GOVERN 1.2", 1).data(Qt.ItemDataRole.DecorationRole) is None
    assert model.index_of("GOVERN 1.2").data(Role.FRESHNESS).stale is False


@pytest.fixture
def planned(ctx, make_page, create, background, qtbot):  # type: ignore[no-untyped-def]
    """A page whose subcategories are owned and made overdue through remediation actions only:
    Priya's open action on GOVERN 2.1 is a day late; Omar's on GOVERN 3.1 is done (late but
    closed); the answers name no owner and no due day."""
    from app.services.actions import ActionService

    aid = create(scheme_id="direct")
    answers, actions = AnswerService(ctx), ActionService(ctx)
    answers.record(aid, "GOVERN 2.1", level=2)
    yesterday = TODAY - dt.timedelta(days=1)
    late = actions.add(
        aid, "GOVERN 2.1", title="Rotate the signing keys", owner="Priya", due_date=yesterday
    )
    actions.add(aid, "GOVERN 3.1", title="Train the panel", owner="Omar", due_date=yesterday)
    closed = actions.list(aid, "GOVERN 3.1")[0]
    actions.update(aid, closed.uid, status="done")
    page = make_page(aid)
    background.wait()
    nav = page.navigator
    qtbot.waitUntil(lambda: nav.owner_combo.findData("Priya") >= 0, timeout=10_000)
    return page, aid, late.uid


def test_owner_overdue_and_search_cover_open_actions(planned, qtbot) -> None:  # type: ignore[no-untyped-def]
    page, _aid, _uid = planned
    nav = page.navigator
    labels = [nav.owner_combo.itemText(i) for i in range(nav.owner_combo.count())]
    assert labels == ["Any owner", "No owner", "Owner: Priya"]  # Omar's action is done
    assert _shown(page, FilterMode.ALL, "Priya") == ["GOVERN 2.1"]
    assert "GOVERN 2.1" not in _shown(page, FilterMode.ALL, NO_OWNER)
    assert "GOVERN 3.1" in _shown(page, FilterMode.ALL, NO_OWNER)
    assert _shown(page, FilterMode.OVERDUE) == ["GOVERN 2.1"]
    tip = page.navigator.model.index_of("GOVERN 2.1").data(Qt.ItemDataRole.ToolTipRole)
    assert "1 overdue action" in tip
    _shown(page, FilterMode.ALL)
    qtbot.keyClicks(nav.search, "signing keys")
    assert nav.proxy.matching_subcategories() == ["GOVERN 2.1"]
    nav.search.clear()
    qtbot.keyClicks(nav.search, "omar")  # a done action's owner is still found by search
    assert nav.proxy.matching_subcategories() == ["GOVERN 3.1"]


def test_navigator_follows_a_change_of_the_actions(planned, ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    """An action closed elsewhere (the Actions view's bulk change reloads the Plan tab) leaves
    the owner list and the "Overdue" filter without reopening the assessment."""
    from app.services.actions import ActionService

    page, aid, uid = planned
    nav = page.navigator
    nav.filter_combo.setCurrentIndex(nav.filter_combo.findData(FilterMode.OVERDUE))
    assert nav.proxy.matching_subcategories() == ["GOVERN 2.1"]
    ActionService(ctx).update(aid, uid, status="done")
    page.show_subcategory("GOVERN 1.1")
    page.remediation.reload()
    qtbot.waitUntil(lambda: nav.owner_combo.findData("Priya") < 0, timeout=10_000)
    assert nav.proxy.matching_subcategories() == []
    assert nav.empty.isVisible()

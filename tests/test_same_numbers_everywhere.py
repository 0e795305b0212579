"""The same assessment reads the same on every surface: dashboard, `airmf score` and the PDF.

Issue 11: GOVERN 2 rated 1, 3, 3 against target 3 showed gap 0.6 on the dashboard and 0.7 in the
CLI and the PDF, and a function at score 3.0 and target 3.0 showed gap 0.5. Every score, target,
gap, completion and below-target count is read back from each surface's text (labels, table
cells, tooltips, printed lines, PDF text) and compared.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from app.cli.main import main as cli
from app.services.answers import AnswerService
from app.services.assessments import AssessmentService
from app.services.report import ReportService
from app.services.scoring import ScoringService

sys.path.insert(0, str(Path(__file__).parent / "reporting"))
from report_helpers import read_pdf  # noqa: E402

pytestmark = pytest.mark.gui

# Rubric metrics (coverage, robustness, input diversity) that give each score 1..5.
RATINGS = {1: "LLL", 2: "LLM", 3: "MMM", 4: "HHM", 5: "HHH"}
ANSWERS = {
    # GOVERN 1: 1, 1, 1, 2 and a 2 against target 4: a mean of 1.4, a mean target of 3.2.
    "GOVERN 1.1": 1,
    "GOVERN 1.2": 1,
    "GOVERN 1.3": 1,
    "GOVERN 1.4": 2,
    # GOVERN 2: the case, 1, 3, 3 against 3: 2.33 shows 2.3, gap 0.7.
    "GOVERN 2.1": 1,
    "GOVERN 2.2": 3,
    "GOVERN 2.3": 3,
    # MAP: 5 and 1 against 3: score 3.0, target 3.0, gap 0.0, one below target.
    "MAP 1.1": 5,
    "MAP 1.2": 1,
    # MANAGE 1: 1, 1, 1, 2 (a mean of 1.25, a half) against 3: 1.2 and gap 1.8.
    "MANAGE 1.1": 1,
    "MANAGE 1.2": 1,
    "MANAGE 1.3": 1,
    "MANAGE 1.4": 2,
}
NUM = r"(?:\d\.\d|–)"
Figures = tuple[str, str, str, str, str]  # score, target, gap, completion, below target


def _metrics(score: int) -> dict[str, str]:
    return dict(zip(("coverage", "robustness", "input_diversity"), RATINGS[score], strict=True))


@pytest.fixture
def assessment(ctx) -> int:  # type: ignore[no-untyped-def]
    aid = AssessmentService(ctx).create({"name": "Numbers", "ai_system": "Loan scorer"}).id
    answers = AnswerService(ctx)
    for sub, score in ANSWERS.items():
        answers.record(aid, sub, metrics=_metrics(score))
    answers.record(aid, "GOVERN 1.5", metrics=_metrics(2), target=4)
    answers.record(aid, "MEASURE 1.1", not_applicable=True, na_rationale="Not in scope.")
    return aid


def _dashboard(qtbot, ctx, aid: int) -> tuple[dict[str, Figures], dict[str, tuple[str, ...]]]:  # type: ignore[no-untyped-def]
    """Cards (overall, functions) and the subcategory figures of the gaps table and heat map."""
    from app.ui.dashboard.gaps import GapColumn
    from app.ui.dashboard.heatmap import describe
    from app.ui.dashboard.page import DashboardPage
    from app.ui.workers import Background

    background = Background()
    page = DashboardPage(ctx, background)
    qtbot.addWidget(page)
    try:
        with qtbot.waitSignal(page.loaded, timeout=20000):
            page.load(aid)
        cards: dict[str, Figures] = {}
        for node_id, card in page.cards.items():
            detail = re.fullmatch(
                rf"Target ({NUM}) · gap ({NUM})(?: · (\d+) below target)?", card.detail_label.text()
            )
            percent = re.match(r"(\d+%) complete", card.completion_label.text())
            assert detail and percent, (card.detail_label.text(), card.completion_label.text())
            cards[node_id] = (
                card.score_label.text(),
                detail[1],
                detail[2],
                percent[1],
                detail[3] or "0",
            )
        subs: dict[str, tuple[str, ...]] = {}
        model = page.gaps_model
        for row in range(model.rowCount()):
            cell = lambda col: model.index(row, int(col)).data()  # noqa: B023, E731
            score = cell(GapColumn.SCORE).split()[0]
            subs[cell(GapColumn.SUBCATEGORY)] = (score, cell(GapColumn.TARGET), cell(GapColumn.GAP))
        for heat in page.heat_map.cells():
            if heat.node.id in subs:
                found = re.search(rf"target ({NUM}), gap ({NUM})", describe(heat.node))
                assert found and found.groups() == subs[heat.node.id][1:], describe(heat.node)
        return cards, subs
    finally:
        background.wait()


def _cli(db_path: Path, aid: int, capsys) -> dict[str, Figures]:  # type: ignore[no-untyped-def]
    capsys.readouterr()
    assert cli(["--db", str(db_path), "score", str(aid)]) == 0
    out: dict[str, Figures] = {}
    line = re.compile(
        rf"^\s*(?P<id>OVERALL|[A-Z]+(?: \d+)?)\s+(?P<score>{NUM})(?=\s).*?complete\s+(?P<pct>\d+%)"
        rf"\s+target\s+(?P<target>{NUM})\s+gap\s+(?P<gap>{NUM})\s+below target (?P<below>\d+)$"
    )
    for text in capsys.readouterr().out.splitlines()[1:]:
        m = line.match(text)
        assert m, text
        out[m["id"]] = (m["score"], m["target"], m["gap"], m["pct"], m["below"])
    return out


def _pdf(ctx, aid: int) -> tuple[dict[str, Figures], dict[str, tuple[str, ...]], str]:  # type: ignore[no-untyped-def]
    """The figures of the PDF's function and category tables, its score lines and gap list."""
    service = ReportService(ctx)
    pdf = read_pdf(service.render(service.build(aid)))
    text = pdf.text
    nodes: dict[str, Figures] = {}
    summary = text[text.index("Function Score Level Complete Target Gap Below target") :]
    for fid in ("GOVERN", "MAP", "MEASURE", "MANAGE"):
        m = re.search(rf"\b{fid} ({NUM})(?: \*)? (?:\S+) (\d+%) ({NUM}) ({NUM}) (\d+)\b", summary)
        assert m, fid
        nodes[fid] = (m[1], m[3], m[4], m[2], m[5])
        # The section heading: the second "GOVERN function " (the first is in the contents).
        section = text[[m.start() for m in re.finditer(f"{fid} function ", text)][1] :]
        line = re.search(
            rf"Score ({NUM}) .*?· target ({NUM}) · gap ({NUM}) · (\d+) below target "
            rf"· complete (\d+%)",
            section,
        )
        if nodes[fid][0] != "–":
            assert line and (line[1], line[2], line[3], line[5], line[4]) == nodes[fid], fid
    categories = re.compile(
        rf"\b([A-Z]+ \d+)(?!\.\d) .*? ({NUM})(?: \*)? (?:all N/A|\S+) (\d+%) ({NUM}) ({NUM}) "
        rf"(\d+)\b"
    )
    for table in re.findall(
        r"Category Title Score Level Complete Target Gap Below target (.*?)"
        r"(?:Subcategories|$)",
        text,
    ):
        for m in categories.finditer(table):
            nodes[m[1]] = (m[2], m[4], m[5], m[3], m[6])
    subs = {
        m[1]: (m[3], m[4], m[2])
        for m in re.finditer(
            rf"([A-Z]+ \d+\.\d+) · gap ({NUM}) · score ({NUM}) \(\w+\) → target ({NUM})", text
        )
    }
    return nodes, subs, text


def test_every_surface_prints_the_same_figures(qtbot, ctx, db_path, assessment, capsys) -> None:  # type: ignore[no-untyped-def]
    tree = ScoringService(ctx).score(assessment)
    cards, dash_subs = _dashboard(qtbot, ctx, assessment)
    lines = _cli(db_path, assessment, capsys)
    pdf_nodes, pdf_subs, _text = _pdf(ctx, assessment)

    functions_and_overall = ["OVERALL", *(f.id for f in tree.children)]
    categories = [c.id for f in tree.children for c in f.children]
    assert set(cards) == set(functions_and_overall)
    for node_id in functions_and_overall:
        assert cards[node_id] == lines[node_id], node_id
        if node_id != "OVERALL":
            assert pdf_nodes[node_id] == lines[node_id], node_id
    for node_id in categories:
        assert pdf_nodes[node_id] == lines[node_id], node_id
    below = {n.id for n in tree.subcategories() if n.below_target}
    assert set(dash_subs) == set(pdf_subs) == below
    for sub in below:
        assert dash_subs[sub] == pdf_subs[sub], sub

    # The shown figures are the exact ones rounded to one decimal (a whole percent), not cut.
    for node_id, (score, target, gap, percent, count) in lines.items():
        node = tree.find(node_id)
        assert node is not None
        for shown, exact in ((score, node.score), (target, node.target), (gap, node.gap)):
            assert (shown == "–") == (exact is None), node_id
            if exact is not None:
                assert abs(float(shown) - exact) <= 0.05 + 1e-9, (node_id, shown, exact)
        assert abs(int(percent[:-1]) - node.completion * 100) <= 0.5 + 1e-9, node_id
        assert int(count) == node.below_target

    # The cases of the issue, as a reader sees them.
    assert lines["GOVERN 2"][:3] == ("2.3", "3.0", "0.7")  # not gap 0.6 (cut) anywhere
    assert lines["MAP"][:3] == ("3.0", "3.0", "0.0") and lines["MAP"][4] == "1"  # not gap 0.5
    assert lines["MANAGE 1"][:3] == ("1.2", "3.0", "1.8")  # a half: 3.0 - 1.2 is 1.8
    assert lines["GOVERN 1"][:4] == ("1.4", "3.2", "1.8", "71%")

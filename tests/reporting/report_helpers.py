"""Shared helpers of the report tests: realistic assessments and PDF text extraction (pypdf)."""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader

from app.domain.review import ReviewAction
from app.services.answers import AnswerService
from app.services.lifecycle import LifecycleService
from app.services.sample import create_sample


def rubric(c: str, r: str, d: str) -> dict[str, str]:
    return {"coverage": c, "robustness": r, "input_diversity": d}


def norm(text: str) -> str:
    """Whitespace runs to one space (PDF text comes back with the lines as laid out)."""
    return re.sub(r"\s+", " ", text).strip()


@dataclass
class Pdf:
    data: bytes
    reader: PdfReader
    pages: list[str]

    @property
    def text(self) -> str:
        return norm(" ".join(self.pages))

    @property
    def squeezed(self) -> str:
        """All text without any whitespace (for strings a table cell may have wrapped)."""
        return re.sub(r"\s+", "", "".join(self.pages))


def read_pdf(source: bytes | Path) -> Pdf:
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    reader = PdfReader(io.BytesIO(data))
    return Pdf(data, reader, [page.extract_text() or "" for page in reader.pages])


def make_two_cycles(ctx, folder: Path) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """The sample chatbot review with an evidence file, then a second cycle with changes."""
    answers = AnswerService(ctx)
    first = create_sample(ctx).id
    evidence = folder / "ai-policy-v2.txt"
    evidence.write_text("AI policy, version 2, approved by the board.\n", encoding="utf-8")
    answers.attach_file(first, "GOVERN 1.2", evidence, "AI policy v2 (signed)")
    second = (
        LifecycleService(ctx)
        .start_next_cycle(first, "Chatbot review, second cycle", from_draft=True)
        .id
    )
    answers.record(second, "GOVERN 2.2", metrics=rubric("M", "M", "M"))  # 2 -> 3: improved
    answers.record(second, "GOVERN 1.4", metrics=rubric("L", "L", "M"))  # 4 -> 2: regressed
    answers.record(second, "MEASURE 1.1", metrics=rubric("H", "M", "M"), owner="Data science")
    answers.record(
        second, "MANAGE 3.2", not_applicable=True, na_rationale="No pre-trained model is used."
    )
    return first, second


def contents_numbers(text: str) -> list[int]:
    """The page numbers of a contents page, in order (each follows leader dots)."""
    return [int(n) for n in re.findall(r"(?:\s\.)+\s*(\d+)\b", text)]


def contents_link_pages(reader: PdfReader, index: int) -> list[int]:
    """The target page (0-based) of each contents entry's links on page ``index``, top to
    bottom. An entry's text is a link on each of its lines; its last line also has the link on
    the leader dots and page number. All of an entry's links must have the same target."""
    page_of = {p.indirect_reference.idnum: i for i, p in enumerate(reader.pages)}
    links = []
    for ref in reader.pages[index].get("/Annots", []):
        annot = ref.get_object()
        if annot.get("/Subtype") == "/Link" and "/Dest" in annot:
            y0, y1 = float(annot["/Rect"][1]), float(annot["/Rect"][3])
            links.append(((y0 + y1) / 2, page_of[annot["/Dest"][0].idnum]))
    rows: list[tuple[float, list[int]]] = []
    for middle, target in sorted(links, key=lambda link: -link[0]):
        if rows and rows[-1][0] - middle <= 6:  # the same line
            rows[-1][1].append(target)
        else:
            rows.append((middle, [target]))
    entries, pending = [], set()
    for _middle, targets in rows:
        pending.update(targets)
        if len(targets) > 1:  # the entry's last line: text and page number
            assert len(pending) == 1, f"one contents entry links to pages {sorted(pending)}"
            entries.append(pending.pop())
    assert not pending, "a contents line without a page number link"
    return entries


def heading_pages(
    pages: list[str], titles: list[str], first: int, prefix: bool = False
) -> list[int]:
    """The page (0-based) each title starts on as a line of its own (or, with ``prefix``, as
    the beginning of a line), searching in order from page ``first`` (titles in reading order)."""

    def starts_here(title: str, text: str) -> bool:
        lines = (line.strip() for line in text.splitlines())
        return any(line.startswith(title) if prefix else line == title for line in lines)

    found, start = [], first
    for title in titles:
        start = next(i for i in range(start, len(pages)) if starts_here(title, pages[i]))
        found.append(start)
    return found


# A fixed report day for the ongoing-work assessment (local day 2026-11-30 in any zone near UTC).
ONGOING_NOW = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)


def make_ongoing(ctx, folder: Path, *, finalize: bool = True, relax: bool = False) -> int:  # type: ignore[no-untyped-def]
    """The sample chatbot review with issue 14's data: an AI-system profile, evidence with
    as-of/valid-until days (one expired, one expiring), an unsupported Leading rating,
    remediation actions (two overdue, one done, one risk accepted), review states with a
    returned answer and its comment, a reopening with a reason, and (``finalize``) a
    three-role sign-off by people other than the last editor (``relax``: the approver made
    the last change, with the four-eyes rule relaxed)."""
    from app.services.actions import ActionService
    from app.services.assessment_edit import AssessmentEdit, AssessmentEditor
    from app.services.lifecycle import RoleInput
    from app.services.review import ReviewService

    ctx.clock = lambda: ONGOING_NOW - dt.timedelta(days=2)
    ctx.actor = "alice"
    aid = create_sample(ctx).id
    answers = AnswerService(ctx)
    AssessmentEditor(ctx).edit(
        aid,
        AssessmentEdit(
            system={
                "risk_tier": "high",
                "intended_use": "Answers customer questions in the web chat; hands over to "
                "human agents for refunds and complaints.",
                "deployment_status": "operate_and_monitor",
                "model_type": "Hosted large language model with retrieval",
                "model_vendor": "ExampleAI Inc.",
                "data_categories": ["Chat transcripts", "Account identifiers"],
                "affected_populations": ["Retail customers", "Support agents"],
            }
        ),
    )
    answers.add_link(
        aid,
        "GOVERN 1.1",
        "Legal register review 2024",
        "https://intranet.example.com/legal/review-2024",
        as_of="2024-03-01",
        valid_until="2025-03-01",
    )
    answers.add_link(
        aid,
        "MAP 1.1",
        "Context statement",
        "https://intranet.example.com/ai/context",
        as_of="2026-10-01",
        valid_until="2026-12-15",
    )
    answers.record(aid, "MEASURE 2.7", metrics=rubric("H", "H", "H"))  # Leading, no evidence
    actions = ActionService(ctx)
    actions.add(
        aid,
        "GOVERN 1.1",
        title="Renew the regulatory register review",
        owner="Legal & Compliance",
        due_date="2026-10-31",
        priority="high",
        status="in_progress",
    )
    actions.add(
        aid,
        "MEASURE 2.7",
        title="Commission a security test of the chat endpoint",
        owner="Security",
        due_date="2026-11-20",
        priority="high",
    )
    actions.add(
        aid,
        "MAP 1.1",
        title="Refresh the context statement",
        owner="Product",
        due_date="2027-01-15",
        priority="medium",
    )
    actions.add(
        aid,
        "GOVERN 1.2",
        title="Publish the AI policy on the intranet",
        owner="Legal & Compliance",
        due_date="2026-09-30",
        status="done",
    )
    actions.add(
        aid,
        "MANAGE 4.1",
        title="Monitor hand-over rates monthly",
        status="risk_accepted",
        rationale="Volumes too low for a monthly figure; reviewed each quarter instead.",
        priority="low",
    )
    reviews = ReviewService(ctx)
    for sub in ("GOVERN 1.1", "GOVERN 1.2", "MAP 1.1"):
        reviews.act(aid, sub, ReviewAction.READY)
    ctx.actor = "bob"
    reviews.act(aid, "GOVERN 1.1", ReviewAction.APPROVE)
    reviews.act(aid, "GOVERN 1.2", ReviewAction.APPROVE)
    reviews.act(
        aid, "MAP 1.1", ReviewAction.RETURN, "Name the markets the context statement covers."
    )
    if not finalize:
        ctx.clock = lambda: ONGOING_NOW
        return aid
    lifecycle = LifecycleService(ctx)
    ctx.actor = "carol"
    lifecycle.finalize(aid, "Carol Chen", "Chief Risk Officer", "Approved for the board.")
    ctx.clock = lambda: ONGOING_NOW - dt.timedelta(days=1)
    lifecycle.reopen(aid, "The security test result came in after sign-off.")
    ctx.actor = "alice"
    answers.record(aid, "MEASURE 2.7", metrics=rubric("H", "H", "H"), notes="Test booked.")
    ctx.clock = lambda: ONGOING_NOW
    ctx.actor = "alice" if relax else "carol"
    lifecycle.finalize(
        aid,
        "Alice Adams" if relax else "Carol Chen",
        "Head of AI governance" if relax else "Chief Risk Officer",
        "I approve this assessment for the board.",
        assessor=RoleInput("Alice Adams", "AI governance analyst", "I rated the answers."),
        reviewer=RoleInput("Bob Brown", "Internal audit", "I reviewed the ratings."),
        relax_four_eyes=relax,
    )
    return aid

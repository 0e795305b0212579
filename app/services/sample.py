"""A realistic, partly filled sample assessment that a new user can explore and then delete."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from app.domain.assessment import Assessment, EvidenceStatus, Origin
from app.domain.days import local_day
from app.services.answers import AnswerService
from app.services.assessments import AssessmentService
from app.services.context import ServiceContext

SAMPLE_NAME = "Sample: customer support chatbot review"
SAMPLE_SYSTEM = "Customer support chatbot"
GENAI_PROFILE = "nist-ai-600-1"
SAMPLE_RISKS = ("confabulation", "data-privacy", "information-security")
SAMPLE_SCOPE = (
    "The generative AI assistant that answers customer questions in the web chat and hands "
    "conversations over to human agents. In scope: the hosted language model, the retrieval "
    "index over help-centre articles, the hand-over rules and the conversation logs. Out of "
    "scope: the ticketing system and the agents' own tools."
)


@dataclass(frozen=True)
class _Rating:
    """One sample answer. Metrics are rubric codes (coverage, robustness, input diversity)."""

    subcategory: str
    metrics: tuple[str, str, str] | None = None
    notes: str = ""
    na_rationale: str = ""
    target: int | None = None
    owner: str = ""
    due_in_days: int | None = None
    actions: tuple[int, ...] = ()
    flagged: bool = False
    evidence_status: EvidenceStatus | None = None
    links: tuple[tuple[str, str], ...] = field(default=())


# The notes below are the sample's own illustrative text about a fictitious chatbot; no
# framework text is reproduced or paraphrased here.
_ANSWERS: tuple[_Rating, ...] = (
    _Rating(
        "GOVERN 1.1",
        ("H", "M", "M"),
        "Legal reviewed consumer-protection and privacy obligations for automated chat in our "
        "three markets. Register kept in the compliance wiki; review due each spring.",
        owner="Legal & Compliance",
        actions=(0, 1),
        evidence_status=EvidenceStatus.CITED,
        links=(
            (
                "Regulatory register: customer chat",
                "https://intranet.example.com/legal/ai-register",
            ),
        ),
    ),
    _Rating(
        "GOVERN 1.2",
        ("M", "M", "L"),
        "The AI policy names the trustworthiness characteristics but the support team's "
        "procedures do not yet refer to it.",
        owner="AI governance lead",
        due_in_days=60,
        actions=(0, 2, 5),
    ),
    _Rating("GOVERN 1.3", ("M", "L", "L"), "Risk tiering exists for credit models only."),
    _Rating(
        "GOVERN 1.4",
        ("H", "H", "M"),
        "Model risk committee minutes and decisions are published on the intranet.",
        actions=(0, 1, 3),
    ),
    _Rating("GOVERN 1.5", ("M", "M", "M"), "Quarterly review of the chatbot risk register."),
    _Rating(
        "GOVERN 1.6",
        ("H", "M", "L"),
        "The chatbot is listed in the AI inventory with its model version and vendor.",
    ),
    _Rating("GOVERN 2.1", ("H", "H", "H"), "RACI agreed by Support, Data and Legal."),
    _Rating(
        "GOVERN 2.2",
        ("L", "L", "M"),
        "Only the product team has had AI risk training; support agents have not.",
        target=4,
        owner="People & Learning",
        due_in_days=90,
        flagged=True,
    ),
    _Rating(
        "GOVERN 2.3",
        ("H", "M", "M"),
        "The Chief Customer Officer signed the launch risk acceptance.",
    ),
    _Rating("GOVERN 3.1", ("M", "M", "H"), "Customer panel and accessibility group consulted."),
    _Rating("GOVERN 4.1", ("M", "H", "M")),
    _Rating(
        "GOVERN 4.3",
        ("M", "M", "L"),
        "Incident channel exists; red-team findings are shared monthly.",
        actions=(1,),
    ),
    _Rating("GOVERN 5.1", ("L", "M", "M"), "Thumbs-up/down feedback is collected but not triaged."),
    _Rating(
        "GOVERN 6.1",
        ("H", "M", "M"),
        "Vendor contract covers data use, retention and model change notices.",
        owner="Procurement",
    ),
    _Rating(
        "MAP 1.1",
        ("H", "H", "M"),
        "Intended use: answer account and billing questions; never give financial advice.",
        actions=(0, 3, 7),
    ),
    _Rating("MAP 1.3", ("H", "M", "M")),
    _Rating("MAP 1.4", ("H", "H", "H"), "Business case approved with deflection and CSAT targets."),
    _Rating("MAP 1.5", ("M", "L", "L"), "Risk tolerance stated informally in the launch memo."),
    _Rating("MAP 2.1", ("H", "M", "M")),
    _Rating(
        "MAP 2.2",
        ("M", "M", "M"),
        "Users are told they are talking to an AI assistant and how to reach a person.",
    ),
    _Rating("MAP 3.1", ("H", "M", "L")),
    _Rating("MAP 3.5", ("M", "H", "M"), "Agents can take over any conversation at any time."),
    _Rating("MAP 4.1", ("M", "M", "L")),
    _Rating("MAP 5.1", ("L", "L", "L"), "No structured impact assessment yet.", target=3),
    _Rating(
        "MEASURE 1.1",
        ("M", "M", "L"),
        "Answer accuracy and hand-over rate tracked; no metric yet for confabulated answers.",
        owner="Data science",
        due_in_days=45,
    ),
    _Rating(
        "MEASURE 2.2",
        na_rationale="No evaluation with human subjects is carried out: the assistant is tested "
        "on redacted historical tickets and synthetic conversations only.",
    ),
    _Rating("MEASURE 2.3", ("M", "M", "M")),
    _Rating("MEASURE 2.5", ("M", "L", "M"), "Tested on 2,000 historical tickets (English only)."),
    _Rating(
        "MEASURE 2.7",
        ("M", "M", "L"),
        "Prompt-injection tests run before each release; no external penetration test yet.",
        flagged=True,
    ),
    _Rating("MEASURE 2.10", ("H", "M", "M"), "PII redaction of logs verified by the DPO."),
    _Rating(
        "MEASURE 2.12",
        na_rationale="The model is hosted and trained by the vendor; we neither train nor "
        "fine-tune it. The vendor's own disclosures are tracked under third-party risk.",
    ),
    _Rating("MEASURE 3.3", ("M", "H", "M"), "Customers can report a wrong answer from the chat."),
    _Rating("MANAGE 1.1", ("H", "M", "M")),
    _Rating("MANAGE 1.3", ("M", "M", "M"), "Mitigation plan for the top five risks agreed."),
    _Rating("MANAGE 2.4", ("H", "H", "M"), "Kill switch tested in the last release rehearsal."),
    _Rating(
        "MANAGE 4.1",
        ("M", "L", "L"),
        "Weekly sample of 50 conversations reviewed by the quality team.",
        owner="Support quality",
        due_in_days=30,
    ),
)


def sample_plan() -> tuple[_Rating, ...]:
    """The sample's answers (exposed for tests and for the home page's description)."""
    return _ANSWERS


class SampleService:
    """Creates the sample assessment through the ordinary services (validated, historised)."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self.assessments = AssessmentService(ctx)
        self.answers = AnswerService(ctx)

    def existing(self) -> Assessment | None:
        """The sample made earlier and not deleted (the latest, if several), or None."""
        samples = [
            s.assessment for s in self.assessments.list() if s.assessment.origin is Origin.SAMPLE
        ]
        return max(samples, key=lambda a: a.id, default=None)

    def open_or_create(self) -> Assessment:
        """The sample: the existing one, else a new one. Opening the sample twice must not
        make a second assessment of its AI system (it would read as another cycle)."""
        return self.existing() or self.create()

    def create(self) -> Assessment:
        """A new sample assessment (``Origin.SAMPLE``: not a cycle of its AI system)."""
        assessment = self.assessments.create(
            {
                "name": SAMPLE_NAME,
                "ai_system": SAMPLE_SYSTEM,
                "organization": "Customer Operations",
                "scope": SAMPLE_SCOPE,
                "assessor": self.ctx.actor,
                "framework_id": "nist-ai-rmf-1.0",
                "scheme_id": "rubric",
                "default_target": 3,
                "profiles": [{"profile_id": GENAI_PROFILE, "risks": list(SAMPLE_RISKS)}],
            },
            origin=Origin.SAMPLE,
        )
        today = local_day(self.ctx.clock())  # due dates are the user's days
        for item in _ANSWERS:
            self.answers.record(assessment.id, item.subcategory, **self._changes(item, today))
            for title, url in item.links:
                self.answers.add_link(assessment.id, item.subcategory, title, url)
        return self.assessments.get(assessment.id)

    @staticmethod
    def _changes(item: _Rating, today: dt.date) -> dict[str, object]:
        changes: dict[str, object] = {}
        if item.na_rationale:
            changes.update(not_applicable=True, na_rationale=item.na_rationale)
        elif item.metrics:
            coverage, robustness, diversity = item.metrics
            changes["metrics"] = {
                "coverage": coverage,
                "robustness": robustness,
                "input_diversity": diversity,
            }
        if item.notes:
            changes["notes"] = item.notes
        if item.target is not None:
            changes["target"] = item.target
        if item.owner:
            changes["owner"] = item.owner
        if item.due_in_days is not None:
            changes["due_date"] = today + dt.timedelta(days=item.due_in_days)
        if item.actions:
            changes["actions_in_place"] = list(item.actions)
        if item.flagged:
            changes["flagged"] = True
        if item.evidence_status is not None:
            changes["evidence_status"] = item.evidence_status
        return changes


def create_sample(ctx: ServiceContext) -> Assessment:
    """The sample assessment, created unless it exists already (see ``open_or_create``)."""
    return SampleService(ctx).open_or_create()

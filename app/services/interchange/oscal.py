"""OSCAL 1.2 (JSON) export of an assessment: a catalog of the AI RMF generated from frameworks/,
the assessment results, and a plan of action and milestones (POA&M); and the import of our own
assessment results back into an assessment (its ratings).

Identifiers are stable: a subcategory "GOVERN 1.1" is the control ``gv-1.1`` (function code
from NIST AI 600-1 section 3, lower case, then the number), its category the group ``gv-1`` and
its function the group ``gv``. Every UUID is a UUID version 5 over a stable key (the assessment's
uid and what the object is), so the same data gives the same documents. The app's own values
(metrics, scores, targets, gaps) are properties in the namespace ``NS``.

The OSCAL models require an assessment plan reference (``import-ap``); the app has no separate
plan, so it points at a back-matter resource that says so (``PLAN_PLACEHOLDER``). The POA&M
needs at least one item (``poam-items`` has minItems 1): its items are the open remediation
actions (``remediation_items``) and, while there are none, one item per subcategory rated below
its target; with neither, no POA&M is written.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app import __version__
from app.domain.assessment import Answer, Assessment
from app.domain.framework import Framework
from app.domain.numbers import format_score
from app.domain.rating import RatingScheme
from app.domain.scoring import NodeScore
from app.services.actions import ActionService, ListedAction
from app.services.assessments import AssessmentService
from app.services.context import ServiceContext
from app.services.errors import InvalidInput
from app.services.exchange import read_bounded
from app.services.interchange.service import ImportPlan, InterchangeService
from app.services.outputs import guard_output, write_output
from app.services.scoring import ScoringService

OSCAL_VERSION = "1.2.1"  # the version of NIST's models the tests validate against (trestle)
NS = "urn:airmf-assessor:oscal"  # the namespace of the app's own properties
_UUID_NS = uuid.UUID("5b6f2f1e-6a8e-5c0b-9d1e-2f7a6c1b9e40")  # fixed: uuid5 keys below
PLAN_PLACEHOLDER = "no-separate-assessment-plan"
FILES = ("catalog.json", "assessment-results.json", "poam.json")
MAX_RESULTS_BYTES = 20 * 1024 * 1024


def stable_uuid(*key: str) -> str:
    """A UUID version 5 for ``key`` (e.g. the assessment uid and "finding" and "GOVERN 1.1")."""
    return str(uuid.uuid5(_UUID_NS, "\x1f".join(key)))


def control_id(framework: Framework, subcategory_id: str) -> str:
    """The OSCAL control id of a subcategory: "GOVERN 1.1" -> "gv-1.1"."""
    function, _category = framework.parents(subcategory_id)
    number = subcategory_id.split(" ", 1)[1] if " " in subcategory_id else subcategory_id
    return f"{(function.code or function.id).lower()}-{number}"


def _group_id(code: str, category_id: str) -> str:
    number = category_id.split(" ", 1)[1] if " " in category_id else category_id
    return f"{code.lower()}-{number}"


def _prop(name: str, value: object, ns: str | None = NS, **extra: str) -> dict[str, Any]:
    prop: dict[str, Any] = {"name": name, "value": " ".join(str(value).split())}
    if ns:
        prop["ns"] = ns
    prop.update(extra)
    return prop


def _instant(when: dt.datetime) -> str:
    aware = when if when.tzinfo is not None else when.replace(tzinfo=dt.UTC)
    return aware.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _metadata(title: str, when: dt.datetime, version: str, **more: Any) -> dict[str, Any]:
    return {
        "title": title,
        "last-modified": _instant(when),
        "version": version,
        "oscal-version": OSCAL_VERSION,
        **more,
    }


# -- catalog ------------------------------------------------------------------------------
def catalog_document(framework: Framework) -> dict[str, Any]:
    """The AI RMF as an OSCAL catalog: function and category groups, one control per
    subcategory with its official label and verbatim statement; the Playbook entry and the
    NIST AI 600-1 action ids of each subcategory as properties."""
    published = dt.datetime.fromisoformat(framework.source.published).replace(tzinfo=dt.UTC)
    actions: dict[str, list[str]] = {}
    for profile in framework.profiles:
        for action in profile.actions:
            actions.setdefault(action.subcategory, []).append(action.id)
    groups = []
    for function in framework.functions:
        code = function.code or function.id
        categories = []
        for category in function.categories:
            controls = []
            for sub in category.subcategories:
                props = [
                    _prop("label", sub.id, ns=None),
                    _prop("sort-id", control_id(framework, sub.id), ns=None),
                ]
                if sub.guidance is not None:
                    props.append(_prop("playbook-id", sub.id))
                props += [_prop("ai-600-1-action", a) for a in actions.get(sub.id, [])]
                cid = control_id(framework, sub.id)
                controls.append(
                    {
                        "id": cid,
                        "class": "subcategory",
                        "title": sub.id,
                        "props": props,
                        "parts": [{"id": f"{cid}_smt", "name": "statement", "prose": sub.text}],
                    }
                )
            categories.append(
                {
                    "id": _group_id(code, category.id),
                    "class": "category",
                    "title": f"{category.id}: {category.title}",
                    "props": [_prop("label", category.id, ns=None)],
                    "controls": controls,
                }
            )
        groups.append(
            {
                "id": code.lower(),
                "class": "function",
                "title": function.title,
                "props": [_prop("label", function.id, ns=None)],
                "groups": categories,
            }
        )
    return {
        "catalog": {
            "uuid": stable_uuid("catalog", framework.id, framework.version),
            "metadata": _metadata(
                framework.source.title,
                published,
                framework.version,
                published=_instant(published),
                props=[_prop("framework-id", framework.id)],
                remarks=f"Generated by AI RMF Assessor {__version__} from "
                f"{framework.source.identifier} ({framework.source.url}); statements are "
                "verbatim NIST text.",
            ),
            "groups": groups,
        }
    }


# -- assessment results -------------------------------------------------------------------
@dataclass(frozen=True)
class FindingProp:
    """One property of a finding: its name and how it is read from (answer, score node);
    None leaves it out. A new property is one more entry in ``finding_props``."""

    name: str
    value: Callable[[Answer, NodeScore], object | None]


def finding_props(scheme: RatingScheme) -> tuple[FindingProp, ...]:
    """The app's properties on each finding, for an assessment rated with ``scheme``."""
    rating: list[FindingProp] = []
    if scheme.kind == "metrics":
        rating = [
            FindingProp(m.id, lambda a, _n, m=m.id: a.metrics.get(m) or None)  # type: ignore[misc]
            for m in scheme.metrics
        ]
    else:
        rating = [FindingProp("level", lambda a, _n: a.level)]
    return (
        FindingProp("subcategory", lambda a, _n: a.subcategory_id),
        FindingProp("state", lambda a, n: _state(a, n)),
        *rating,
        FindingProp("score", lambda _a, n: format_score(n.score) if n.score is not None else None),
        FindingProp("level-name", lambda _a, n: n.level_name or None),
        FindingProp("answer-target", lambda a, _n: a.target),
        FindingProp("target", lambda _a, n: format_score(n.target) if n.target else None),
        FindingProp("gap", lambda _a, n: format_score(n.gap) if n.gap is not None else None),
        FindingProp("owner", lambda a, _n: a.owner or None),
        FindingProp("due-date", lambda a, _n: a.due_date.isoformat() if a.due_date else None),
        FindingProp(
            "evidence-status", lambda a, _n: a.evidence_status.value if a.evidence_status else None
        ),
    )


def _state(answer: Answer, node: NodeScore) -> str:
    if answer.not_applicable:
        return "not-applicable"
    return "rated" if node.score is not None else "unanswered"


def _objective_state(answer: Answer, node: NodeScore) -> str:
    """OSCAL's two states: satisfied when rated at or above target, or not applicable (with
    the rationale in the remarks); not-satisfied when below target or not answered."""
    if answer.not_applicable:
        return "satisfied"
    if node.score is None:
        return "not-satisfied"
    return "not-satisfied" if node.below_target else "satisfied"


def results_document(
    assessment: Assessment,
    framework: Framework,
    scheme: RatingScheme,
    answers: dict[str, Answer],
    tree: NodeScore,
    versions: dict[str, int],
) -> dict[str, Any]:
    """The assessment as OSCAL assessment results: one result, one finding per subcategory
    (its metrics, score, target and gap as properties), one observation per answer that has
    notes or evidence, N/A rationales in the finding's remarks."""
    uid = assessment.uid
    nodes = {n.id: n for n in tree.subcategories()}
    props = finding_props(scheme)
    findings, observations = [], []
    for sub in framework.subcategories():
        answer = answers.get(sub.id) or Answer(subcategory_id=sub.id)
        node = nodes[sub.id]
        cid = control_id(framework, sub.id)
        values = [(p.name, p.value(answer, node)) for p in props]
        finding_props_out = [_prop(n, v) for n, v in values if v is not None and str(v).strip()]
        finding_props_out.append(_prop("answer-version", versions.get(sub.id, 0)))
        finding: dict[str, Any] = {
            "uuid": stable_uuid(uid, "finding", sub.id),
            "title": sub.id,
            "description": sub.text,
            "props": finding_props_out,
            "target": {
                "type": "objective-id",
                "target-id": cid,
                "status": {"state": _objective_state(answer, node)},
            },
        }
        if answer.not_applicable:
            finding["remarks"] = f"Not applicable: {answer.na_rationale}"
        if answer.notes.strip() or answer.evidence:
            obs_uuid = stable_uuid(uid, "observation", sub.id)
            observation: dict[str, Any] = {
                "uuid": obs_uuid,
                "title": f"{sub.id}: notes and evidence",
                "description": answer.notes.strip() or f"Evidence cited for {sub.id}.",
                "methods": ["EXAMINE"],
                "collected": _instant(answer.updated_at or assessment.updated_at),
            }
            evidence = [
                {
                    **({"href": item.url} if item.url else {}),
                    "description": item.title
                    + (f" (file {item.file_name}, SHA-256 {item.sha256})" if item.sha256 else ""),
                }
                for item in answer.evidence
            ]
            if evidence:
                observation["relevant-evidence"] = evidence
            observations.append(observation)
            finding["related-observations"] = [{"observation-uuid": obs_uuid}]
        findings.append(finding)
    overall = tree
    result: dict[str, Any] = {
        "uuid": stable_uuid(uid, "result"),
        "title": f"{assessment.name}: AI RMF self-assessment",
        "description": (
            f"Self-assessment of {assessment.ai_system} against {framework.name} "
            f"{framework.version} with the {scheme.name} scheme. A self-assessment is not a "
            "certification."
        ),
        "start": _instant(assessment.created_at),
        "props": [
            _prop("scheme", scheme.id),
            _prop("overall-score", format_score(overall.score)),
            _prop("completion", f"{round(overall.completion * 100)}%"),
            _prop("status", assessment.status.value),
        ],
        "reviewed-controls": {"control-selections": [{"include-all": {}}]},
        "findings": findings,
    }
    if observations:
        result["observations"] = observations
    if assessment.finalized_at is not None:
        result["end"] = _instant(assessment.finalized_at)
    plan_uuid = stable_uuid(uid, PLAN_PLACEHOLDER)
    return {
        "assessment-results": {
            "uuid": stable_uuid(uid, "assessment-results"),
            "metadata": _metadata(
                f"{assessment.name}: AI RMF assessment results",
                assessment.updated_at,
                f"{assessment.history_count}",
                props=[
                    _prop("assessment-uid", uid),
                    _prop("ai-system", assessment.ai_system),
                    _prop("framework-id", framework.id),
                ],
            ),
            "import-ap": {"href": f"#{plan_uuid}"},
            "results": [result],
            "back-matter": {
                "resources": [
                    {
                        "uuid": plan_uuid,
                        "title": "No separate assessment plan",
                        "description": (
                            "AI RMF Assessor keeps no separate OSCAL assessment plan: the plan "
                            "is the questionnaire of every subcategory of the AI RMF catalog "
                            "(catalog.json) rated with the scheme named in the result."
                        ),
                    }
                ]
            },
        }
    }


# -- POA&M --------------------------------------------------------------------------------
def remediation_items(
    assessment: Assessment, framework: Framework, actions: Sequence[ListedAction] = ()
) -> list[dict[str, Any]]:
    """POA&M items from the assessment's remediation actions: one per open action (planned or
    in progress; done and risk-accepted actions are closed), in the order given.

    Each item: the action's title and description (the title again when it has none), the
    app's properties ``action-id`` (the uid), ``subcategory``, ``status``, ``priority``,
    ``owner``, ``due-date`` (ISO day), ``overdue``, ``carried-over`` and ``source`` (the
    suggestion it was made from), the notes as remarks, and ``related-findings`` pointing at
    its subcategory's finding in the assessment results. The item's UUID is a version 5 UUID
    of the action's uid alone, so the item keeps its UUID when the action is carried over to
    the next cycle (OSCAL tracks one weakness by one item over time).
    """
    uid = assessment.uid
    items = []
    for listed in actions:
        action = listed.action
        if not action.is_open:
            continue
        props = [
            _prop("action-id", action.uid),
            _prop("subcategory", action.subcategory_id),
            _prop("status", action.status.value),
            _prop("priority", action.priority.value),
        ]
        if action.owner:
            props.append(_prop("owner", action.owner))
        if action.due_date is not None:
            props.append(_prop("due-date", action.due_date.isoformat()))
        props.append(_prop("overdue", "yes" if listed.overdue else "no"))
        if action.carried_over:
            props.append(_prop("carried-over", "yes"))
        if action.source:
            props.append(_prop("source", action.source))
        item: dict[str, Any] = {
            "uuid": stable_uuid("poam-item", action.uid),
            "title": action.title,
            "description": action.description.strip() or action.title,
            "props": props,
            "related-findings": [
                {"finding-uuid": stable_uuid(uid, "finding", action.subcategory_id)}
            ],
        }
        if action.notes.strip():
            item["remarks"] = action.notes
        items.append(item)
    return items


def poam_document(
    assessment: Assessment,
    framework: Framework,
    answers: dict[str, Answer],
    tree: NodeScore,
    actions: Sequence[ListedAction] = (),
) -> dict[str, Any] | None:
    """The POA&M: one item per open remediation action (``remediation_items``), or while
    there is none, one item per subcategory rated below its target. None when there is nothing
    to list (OSCAL needs one item)."""
    uid = assessment.uid
    items = remediation_items(assessment, framework, actions)
    if not items:
        for node in tree.subcategories():
            if not node.below_target:
                continue
            answer = answers.get(node.id) or Answer(subcategory_id=node.id)
            props = [
                _prop("subcategory", node.id),
                _prop("score", format_score(node.score)),
                _prop("target", format_score(node.target)),
                _prop("gap", format_score(node.gap)),
            ]
            if answer.owner:
                props.append(_prop("owner", answer.owner))
            if answer.due_date:
                props.append(_prop("due-date", answer.due_date.isoformat()))
            items.append(
                {
                    "uuid": stable_uuid(uid, "poam-item", node.id),
                    "title": f"{node.id}: below target",
                    "description": (
                        f"{node.id} is rated {format_score(node.score)} against a target of "
                        f"{format_score(node.target)} (gap {format_score(node.gap)}). "
                        f"{framework.subcategory(node.id).text}"
                    ),
                    "props": props,
                    "related-findings": [{"finding-uuid": stable_uuid(uid, "finding", node.id)}],
                }
            )
    if not items:
        return None
    return {
        "plan-of-action-and-milestones": {
            "uuid": stable_uuid(uid, "poam"),
            "metadata": _metadata(
                f"{assessment.name}: AI RMF plan of action and milestones",
                assessment.updated_at,
                f"{assessment.history_count}",
                props=[_prop("assessment-uid", uid)],
            ),
            "system-id": {"identifier-type": NS, "id": assessment.ai_system},
            "poam-items": items,
        }
    }


def _json(document: dict[str, Any]) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode()


class OscalService:
    """Write the OSCAL documents of an assessment; read our own assessment results back."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self.assessments = AssessmentService(ctx)

    def documents(self, assessment_id: int) -> dict[str, dict[str, Any]]:
        """File name -> OSCAL document (the POA&M only when it has items)."""
        from app.services.answers import AnswerService

        versions = AnswerService(self.ctx).versions(assessment_id)
        assessment, answers = self.assessments.open(assessment_id)
        framework = self.assessments.framework_for(assessment)
        scheme = self.assessments.scheme_for(assessment)
        tree = ScoringService(self.ctx).score(assessment_id)
        docs = {
            FILES[0]: catalog_document(framework),
            FILES[1]: results_document(assessment, framework, scheme, answers, tree, versions),
        }
        actions = ActionService(self.ctx).listed(assessment_id)
        actions.sort(key=lambda x: int(x.extra.get("order", 0)))  # framework order
        poam = poam_document(assessment, framework, answers, tree, actions)
        if poam is not None:
            docs[FILES[2]] = poam
        return docs

    def export(self, assessment_id: int, folder: Path, *, force: bool = False) -> list[Path]:
        """Write the documents into ``folder`` (created when missing, its parent must exist),
        each file atomically. Returns the paths written. Raises NotFound, InvalidInput,
        NeedsConfirmation or StorageError."""
        folder = Path(folder).expanduser()
        if folder.exists() and not folder.is_dir():
            raise InvalidInput(f"{folder}: --format oscal writes into a folder, not a file")
        docs = self.documents(assessment_id)  # read everything before creating anything
        if not folder.exists():
            guard_output(self.ctx.location, folder, "json", force=force)  # not in our data
            try:
                folder.mkdir()
            except OSError as exc:
                raise InvalidInput(f"{folder}: cannot be created: {exc.strerror or exc}") from exc
        for name in docs:
            guard_output(self.ctx.location, folder / name, "json", force=force)
        written = []
        for name, doc in docs.items():
            path = write_output(
                self.ctx.location, folder / name, "json", _json(doc), force=force, what=name
            )
            assert path is not None
            written.append(path)
        return written

    def preview_results(self, assessment_id: int, source: Path) -> ImportPlan:
        """The ratings our own OSCAL assessment results would restore in the assessment (an
        ImportPlan, nothing written): metrics or level, not applicable and its rationale, and
        the target of each finding. Raises InvalidInput naming the finding and property."""
        name = Path(source).name
        raw = read_bounded(Path(source), MAX_RESULTS_BYTES)
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:
            raise InvalidInput(f"{name}: not OSCAL JSON ({exc})") from None
        results = data.get("assessment-results") if isinstance(data, dict) else None
        if not isinstance(results, dict):
            raise InvalidInput(f"{name}: not an OSCAL assessment-results document")
        assessment = self.assessments.get(assessment_id)
        self.assessments.ensure_editable(assessment)
        framework = self.assessments.framework_for(assessment)
        scheme = self.assessments.scheme_for(assessment)
        meta_props = _ours((results.get("metadata") or {}).get("props"))
        if meta_props.get("assessment-uid") != assessment.uid:
            raise InvalidInput(
                f"{name}: these results are of another assessment (not {assessment.name!r})"
            )
        found = results.get("results")
        if not isinstance(found, list) or len(found) != 1 or not isinstance(found[0], dict):
            raise InvalidInput(f"{name}: results: expected the one result the app writes")
        result = found[0]
        if _ours(result.get("props")).get("scheme") != scheme.id:
            raise InvalidInput(f"{name}: rated with another scheme than {scheme.id!r}")
        service = InterchangeService(self.ctx)
        plan = ImportPlan(assessment_id, name)
        with self.ctx.reading() as unit:
            stored = unit.answers.all(assessment_id)
        findings = result.get("findings")
        if not isinstance(findings, list):
            raise InvalidInput(f"{name}: results.0.findings: a list is required")
        plan.rows_read = len(findings)
        seen: set[str] = set()
        for i, finding in enumerate(findings):
            where = f"{name}: finding {i + 1}"
            if not isinstance(finding, dict):
                raise InvalidInput(f"{where}: not an object")
            props = _ours(finding.get("props"))
            sub = framework.resolve_subcategory_id(str(props.get("subcategory", "")))
            if sub is None or sub in seen:
                raise InvalidInput(f"{where}: property subcategory: unknown or repeated")
            seen.add(sub)
            changed = _rating_of(where, scheme, props, finding)
            # A restore: the results' ratings replace the stored ones (shown first), so no
            # version is compared.
            service.add_row(
                plan,
                f"{where} ({sub})",
                i + 1,
                sub,
                changed,
                stored.get(sub),
                None,
                None,
                framework,
                scheme,
            )
        return plan


def _ours(props: object) -> dict[str, str]:
    """name -> value of the app's properties in an OSCAL ``props`` list."""
    if not isinstance(props, list):
        return {}
    return {
        str(p.get("name")): str(p.get("value"))
        for p in props
        if isinstance(p, dict) and p.get("ns") == NS
    }


_NA = re.compile(r"^Not applicable: ", re.DOTALL)


def _rating_of(
    where: str, scheme: RatingScheme, props: dict[str, str], finding: dict[str, Any]
) -> dict[str, Any]:
    """The rating fields a finding gives (metrics or level, N/A and rationale, target)."""
    state = props.get("state")
    target_text = props.get("answer-target")
    try:
        target = int(target_text) if target_text else None
    except ValueError:
        raise InvalidInput(f"{where}: property answer-target: not a level 1-5") from None
    changes: dict[str, Any] = {"target": target}
    if state == "not-applicable":
        remarks = str(finding.get("remarks") or "")
        changes.update(not_applicable=True, na_rationale=_NA.sub("", remarks))
        return changes
    if state not in {"rated", "unanswered"}:
        raise InvalidInput(f"{where}: property state: {state!r} is not rated, unanswered or N/A")
    changes["not_applicable"] = False
    if scheme.kind == "metrics":
        metrics = {m.id: props[m.id] for m in scheme.metrics if m.id in props}
        changes["metrics"] = metrics if state == "rated" else {}
    else:
        try:
            changes["level"] = int(props["level"]) if state == "rated" else None
        except (KeyError, ValueError):
            raise InvalidInput(f"{where}: property level: a level 1-5 is required") from None
    return changes


__all__: Sequence[str] = ("NS", "OSCAL_VERSION", "OscalService", "stable_uuid")

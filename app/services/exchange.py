"""Export one assessment as a versioned native JSON document, and import one, validated whole."""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path
from typing import BinaryIO

from pydantic import ValidationError

from app import __version__
from app.domain import limits
from app.domain.actions import action_replay_differences
from app.domain.answer_rules import InvalidAnswer, validate_answer
from app.domain.assessment import AssessmentMeta, Origin, Status
from app.domain.exchange import (
    FORMAT_NAME,
    FORMAT_VERSION,
    ExportDocument,
    ExportedAssessment,
    SignOff,
    fingerprint,
    sealed_fingerprint,
)
from app.domain.history import first_broken, signoff_problem
from app.domain.history_check import ChainHead, replay_differences
from app.domain.review import RoleKind, review_problems
from app.persistence.action_values import read_unit_actions
from app.persistence.review_snapshot import reviews_in
from app.persistence.system_profiles import SystemProfileRepository
from app.services.actions import ActionService
from app.services.assessment_edit import AssessmentEditor
from app.services.assessments import AssessmentService, copy_name
from app.services.context import ServiceContext
from app.services.errors import InvalidInput
from app.services.outputs import guard_output, write_output
from app.services.validation import describe_validation_error

MAX_IMPORT_BYTES = limits.MAX_IMPORT_BYTES
MAX_DEPTH = 64


def _depth(value: object, limit: int) -> int:
    """Nesting depth of parsed JSON, iteratively (no recursion on hostile input)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if deepest > limit:
            return deepest
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node)
    return deepest


def read_bounded(source: Path, limit: int) -> bytes:
    """The bytes of ``source``, read up to ``limit`` (never trusting its stated size: a pipe or
    /dev/zero has none). Raises InvalidInput when it holds more or cannot be read."""
    name, mb = str(source), 1024 * 1024
    try:
        with Path(source).open("rb") as fh:
            stated = os.fstat(fh.fileno()).st_size
            if stated > limit:  # a regular file says its size: refuse without reading
                raise InvalidInput(
                    f"{name}: the file is {stated // mb} MB; an export is at most {limit // mb} MB"
                )
            raw = fh.read(limit + 1)
    except OSError as exc:
        raise InvalidInput(f"{name}: cannot be read: {exc.strerror or exc}") from exc
    if len(raw) > limit:
        raise InvalidInput(f"{name}: holds more than {limit // mb} MB; an export is at most that")
    return raw


class ExchangeService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self.assessments = AssessmentService(ctx)

    def document(self, assessment_id: int) -> ExportDocument:
        assessment = self.assessments.get(assessment_id)
        with self.ctx.reading() as unit:
            answers = unit.answers.all(assessment_id)
            history = unit.history.list(assessment_id)
            actions = read_unit_actions(unit, assessment_id)
            reviews = reviews_in(unit)
            states = reviews.states(assessment_id)
            comments = reviews.comments(assessment_id)
            roles = reviews.roles(assessment_id)
            relaxed = reviews.four_eyes_relaxed(assessment_id)
        try:
            # Revalidated: what the export holds is what an import accepts (domain.limits).
            exported = ExportedAssessment.model_validate(
                {
                    **assessment.model_dump(
                        exclude={"id", "last_subcategory", "previous_id", "origin", "copy_of"}
                    ),
                    "system_profile": AssessmentEditor(self.ctx).profile(assessment_id),
                    "signoff_roles": [r.model_dump() for r in roles],
                    "four_eyes_relaxed": relaxed,
                }
            )
            return ExportDocument.model_validate(
                {
                    "app_version": __version__,
                    "exported_at": self.ctx.clock(),
                    "assessment": exported,
                    # As plain data, so that every value is checked again (read rows are not).
                    "answers": [
                        a.model_dump()
                        for a in sorted(answers.values(), key=lambda a: a.subcategory_id)
                    ],
                    "history": [e.model_dump() for e in history],
                    "actions": [a.model_dump() for a in actions],
                    "reviews": [states[k].model_dump() for k in sorted(states)],
                    "review_comments": [c.model_dump() for c in comments],
                }
            )
        except ValidationError as exc:
            raise InvalidInput(
                f"assessment {assessment_id} holds a value that an import would refuse, so it "
                f"is not exported: {describe_validation_error(exc)}"
            ) from exc

    @staticmethod
    def serialize(doc: ExportDocument) -> bytes:
        """The document as the export file's JSON text (UTF-8, no trailing newline)."""
        content = doc.model_dump(mode="json")
        for entry in content["history"]:
            if entry["old"] is None:
                del entry["old"]  # a compact entry stores no old value (format 2)
        return json.dumps(content, ensure_ascii=False, indent=1).encode()

    def export_json(
        self, assessment_id: int, target: Path | BinaryIO, *, force: bool = False
    ) -> Path | None:
        """Write the export of one assessment to ``target`` (a path, atomically and guarded by
        ``outputs.guard_output``; or a binary stream such as standard output).

        Returns the path (None for a stream). Raises NotFound, InvalidInput, NeedsConfirmation
        (an existing file of another kind, without ``force``) or StorageError.
        """
        if isinstance(target, (str, Path)):  # refuse before reading anything
            guard_output(self.ctx.location, Path(target), "json", force=force)
        doc = self.document(assessment_id)
        data = self.serialize(doc)
        return write_output(
            self.ctx.location, target, "json", data + b"\n", force=force, what="the export"
        )

    def parse(self, source: Path) -> ExportDocument:
        """Read and validate an export file completely, without writing anything."""
        return self.parse_bytes(str(source), read_bounded(source, MAX_IMPORT_BYTES))

    def parse_bytes(self, name: str, raw: bytes) -> ExportDocument:
        """Validate the bytes of an export (``name`` labels the messages); raise InvalidInput."""
        try:
            data = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError as exc:
            raise InvalidInput(f"{name}: not UTF-8 text (byte {exc.start})") from exc
        except json.JSONDecodeError as exc:
            raise InvalidInput(
                f"{name}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
            ) from exc
        except RecursionError as exc:
            raise InvalidInput(f"{name}: the JSON is nested too deeply") from exc
        except ValueError as exc:  # e.g. an integer of more than 4,300 digits
            raise InvalidInput(f"{name}: not a valid export ({exc})") from exc
        if _depth(data, MAX_DEPTH) > MAX_DEPTH:
            raise InvalidInput(f"{name}: the JSON is nested too deeply")
        if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
            raise InvalidInput(f"{name}: format: not an AI RMF Assessor export")
        version = data.get("format_version")
        if isinstance(version, int) and version > FORMAT_VERSION:
            raise InvalidInput(
                f"{name}: format_version: {version} is from a newer version of the app "
                f"(this one reads up to {FORMAT_VERSION})"
            )
        try:
            doc = ExportDocument.model_validate(data)
        except ValidationError as exc:
            raise InvalidInput(f"{name}: {describe_validation_error(exc)}") from exc
        self._check_consistency(name, doc)
        return self._check_integrity(name, doc)

    @staticmethod
    def _check_integrity(name: str, doc: ExportDocument) -> ExportDocument:
        """Refuse a history that does not verify or was cut short, answers that differ from
        their history, and a sign-off whose fingerprint does not match (e.g. a forged signer).
        Return the document in the current format (a format 1 file gains its chain head)."""
        if doc.format_version == 1:
            for i, entry in enumerate(doc.history):
                if entry.old is None:
                    raise InvalidInput(f"{name}: history.{i}.old: required in format_version 1")
        broken = first_broken(doc.history)
        if broken is not None:
            raise InvalidInput(
                f"{name}: history: entry {broken.seq} does not verify (the history was altered)"
            )
        head = ChainHead.of(doc.history)
        a = doc.assessment
        if doc.format_version >= 2 and (a.history_count is None or a.history_head is None):
            raise InvalidInput(
                f"{name}: assessment.history_count: the history's head (history_count and "
                "history_head) is required"
            )
        if a.history_count is not None and (a.history_count, a.history_head) != (
            head.count,
            head.last_hash,
        ):
            raise InvalidInput(
                f"{name}: history: it ends at entry {head.count} but the assessment records "
                f"{a.history_count} entries ending in {a.history_head} (entries were removed "
                "or added)"
            )
        differences = replay_differences(doc.history, {x.subcategory_id: x for x in doc.answers})
        if differences:
            raise InvalidInput(
                f"{name}: answers: {differences[0].text()}; the answers were changed outside "
                "the history"
            )
        action_differences = action_replay_differences(doc.history, doc.actions)
        if action_differences:
            raise InvalidInput(
                f"{name}: actions: {action_differences[0].text()}; the actions were changed "
                "outside the history"
            )
        problems = review_problems(
            doc.history,
            {r.subcategory_id: r.state for r in doc.reviews},
            doc.review_comments,
            a.signoff_roles,
            a.four_eyes_relaxed,
        )
        if problems:
            raise InvalidInput(f"{name}: reviews: {problems[0]}")
        roles = a.signoff_roles
        if roles and (
            a.status is not Status.FINALIZED
            or roles[-1].kind is not RoleKind.APPROVER
            or (roles[-1].name, roles[-1].title) != (a.finalized_by, a.finalized_role)
        ):
            raise InvalidInput(
                f"{name}: assessment.signoff_roles: the approver must be the assessment's "
                "signer (finalized_by and finalized_role), and roles go with a finalized "
                "assessment only"
            )
        if a.status is Status.FINALIZED:
            problem = signoff_problem(doc.history, a.finalized_by, a.finalized_role)
            if problem is not None:
                raise InvalidInput(f"{name}: assessment.finalized_by: {problem}")
            signoff = SignOff(
                a.finalized_by, a.finalized_role, a.finalized_statement, a.finalized_at
            )
            if a.fingerprint not in {
                sealed_fingerprint(doc.answers, head, signoff),
                fingerprint(doc.answers),  # signed off before the fingerprint covered more
            }:
                raise InvalidInput(
                    f"{name}: assessment.fingerprint: does not match the answers, history and "
                    "sign-off of this finalized assessment (the file was altered after sign-off)"
                )
        return doc.model_copy(
            update={
                "format_version": FORMAT_VERSION,
                "assessment": a.model_copy(
                    update={"history_count": head.count, "history_head": head.last_hash}
                ),
            }
        )

    def _check_consistency(self, name: str, doc: ExportDocument) -> None:
        meta = AssessmentMeta.model_validate(
            doc.assessment.model_dump(include=set(AssessmentMeta.model_fields))
        )
        try:
            self.assessments.validate_meta(meta.model_dump())
        except InvalidInput as exc:
            raise InvalidInput(f"{name}: assessment: {exc}") from exc
        framework = self.ctx.catalog.framework(meta.framework_id)
        scheme = self.ctx.catalog.scheme(meta.scheme_id)
        known = {sc.id for sc in framework.subcategories()}
        reviewed: set[str] = set()
        for i, review in enumerate(doc.reviews):
            if review.subcategory_id not in known or review.subcategory_id in reviewed:
                raise InvalidInput(
                    f"{name}: reviews.{i}.subcategory_id: {review.subcategory_id!r} is unknown "
                    "or given twice"
                )
            reviewed.add(review.subcategory_id)
        for i, comment in enumerate(doc.review_comments):
            if comment.subcategory_id not in known:
                raise InvalidInput(
                    f"{name}: review_comments.{i}.subcategory_id: unknown "
                    f"{comment.subcategory_id!r}"
                )
        seen: set[str] = set()
        for i, answer in enumerate(doc.answers):
            where = f"{name}: answers.{i}"
            if answer.subcategory_id in seen:
                raise InvalidInput(f"{where}.subcategory_id: duplicate {answer.subcategory_id!r}")
            seen.add(answer.subcategory_id)
            try:
                checked = validate_answer(framework, scheme, answer)
            except InvalidAnswer as exc:
                raise InvalidInput(f"{where}: {exc}") from exc
            if (
                checked.metrics != answer.metrics
                or checked.actions_in_place != answer.actions_in_place
                or checked.genai_actions_in_place != answer.genai_actions_in_place
            ):
                raise InvalidInput(f"{where}: ratings are not in the canonical form")
        uids: set[str] = set()
        for i, action in enumerate(doc.actions):
            where = f"{name}: actions.{i}"
            if action.uid in uids:
                raise InvalidInput(f"{where}.uid: duplicate {action.uid!r}")
            uids.add(action.uid)
            if not framework.has_subcategory(action.subcategory_id):
                raise InvalidInput(
                    f"{where}.subcategory_id: unknown subcategory {action.subcategory_id!r}"
                )
            # Linked evidence may name an item removed from the answer since it was linked:
            # kept as recorded (what the app stores, it exports and imports again).

    def import_file(self, source: Path) -> int:
        """Import an export (JSON, or a bundle zip) as a new assessment; return its id."""
        source = Path(source)
        from app.services.bundle import BundleService, is_bundle

        try:
            regular = source.is_file()
        except OSError as exc:
            raise InvalidInput(f"{source}: cannot be read: {exc.strerror or exc}") from exc
        if not regular:  # a pipe or device: read once, bounded (a bundle needs a real file)
            raw = read_bounded(source, MAX_IMPORT_BYTES)
            if raw.startswith(b"PK"):
                raise InvalidInput(f"{source}: a bundle (zip) is imported from a file, not a pipe")
            return self.import_parsed(self.parse_bytes(str(source), raw))
        if is_bundle(source):
            return BundleService(self.ctx).import_bundle(source)
        return self.import_parsed(self.parse(source))

    def import_parsed(self, doc: ExportDocument) -> int:
        """Write an already validated document as a new assessment, in one transaction.

        An assessment this database already holds (the same uid) comes in as a copy: a new uid,
        "(imported copy)" after its name and ``Origin.COPY``, so that it never passes for
        another cycle of its AI system.
        """
        a = doc.assessment
        meta = AssessmentMeta.model_validate(a.model_dump(include=set(AssessmentMeta.model_fields)))
        with self.ctx.writing() as unit:
            repo = unit.assessments
            copy = repo.uid_exists(a.uid)
            if copy:
                meta = meta.model_copy(update={"name": copy_name(meta.name, "imported copy")})
            created = repo.add(
                meta,
                framework_version=a.framework_version,
                now=a.updated_at,
                status=a.status,
                created_at=a.created_at,
                finalized_by=a.finalized_by,
                finalized_role=a.finalized_role,
                finalized_statement=a.finalized_statement,
                finalized_at=a.finalized_at,
                fingerprint=a.fingerprint,
                uid=uuid.uuid4().hex if copy else a.uid,
                origin=Origin.COPY if copy else Origin.ORIGINAL,
                copy_of=a.uid if copy else "",
            )
            unit.answers.add_all(created.id, doc.answers)
            unit.history.append(created.id, doc.history)
            unit.part(SystemProfileRepository).put(created.id, a.system_profile)
            if doc.actions:  # recorded in the imported history already
                ActionService(self.ctx).store_new(
                    unit, created.id, doc.actions, a.updated_at, record=False
                )
            reviews = reviews_in(unit)
            reviews.add_states(created.id, doc.reviews)
            reviews.add_comments(created.id, doc.review_comments)
            reviews.set_roles(created.id, a.signoff_roles)
            reviews.set_four_eyes_relaxed(created.id, a.four_eyes_relaxed)
        return created.id

"""Assessment use cases: create, list, get, rename, duplicate, delete, remember the position."""

from __future__ import annotations

import datetime as dt
import functools
import json
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pydantic import ValidationError

from app.catalog.loader import CatalogError
from app.domain.assessment import (
    NAME_MAX,
    Answer,
    Assessment,
    AssessmentMeta,
    HistoryEntry,
    Origin,
    Status,
)
from app.domain.framework import Framework
from app.domain.history import GENESIS, chain, diff_answers
from app.domain.rating import RatingScheme
from app.domain.scoring import NodeScore, summary_tree
from app.domain.summaries import Summarizer
from app.persistence.store import StoreWriting
from app.services.context import ServiceContext
from app.services.errors import AssessmentLocked, InvalidInput, NotFound, StorageError
from app.services.validation import describe_validation_error

if TYPE_CHECKING:
    # Imported on use by deleting: a command that reads or scores touches no evidence file.
    from app.services.evidence import Cleanup

SUMMARY_BATCH = 50


@functools.lru_cache(maxsize=8192)
def _tree(summary_text: str) -> NodeScore | None:
    """A cached summary (JSON text) as a score tree; None if unusable (it is rescored then).

    Kept by text: an unchanged assessment's summary is decoded once per process, not at every
    listing (the home list, the portfolio). The trees are immutable, so sharing them is safe.
    """
    try:
        return summary_tree(json.loads(summary_text))
    except ValueError:
        return None


def copy_name(name: str, what: str) -> str:
    """``name`` marked as a copy ("Q3 review (copy)"), shortened to fit the name's limit."""
    suffix = f" ({what})"
    return f"{name[: NAME_MAX - len(suffix)].rstrip()}{suffix}"


def _why_confirm(assessment: Assessment, later: list[Assessment]) -> str:
    """Why deleting needs the name typed ("" when one confirmation is enough)."""
    reasons = []
    if assessment.status is Status.FINALIZED:
        signer = f" by {assessment.finalized_by}" if assessment.finalized_by else ""
        reasons.append(f"is finalized (signed off{signer})")
    if later:
        names = ", ".join(f"“{a.name}” (id {a.id})" for a in later)
        reasons.append(f"is the previous cycle of {names}")
    return " and ".join(reasons)


@dataclass(frozen=True)
class DeletePlan:
    """What deleting an assessment loses: its answers and history entries (counts), the later
    cycles built on it (they stay, without their link to it), the evidence files removed from
    the store (``files.removed``) or kept because a backup cites them
    (``files.kept_for_backups``), and the names of files kept because other assessments cite
    them (``shared``)."""

    assessment: Assessment
    answers: int
    history: int
    later_cycles: list[Assessment]
    files: Cleanup
    shared: list[str]

    @property
    def why_confirm(self) -> str:
        """Why the name must be typed ("" when one confirmation is enough)."""
        return _why_confirm(self.assessment, self.later_cycles)


@dataclass(frozen=True)
class AssessmentSummary:
    """One row of the home list: the assessment and its overall score."""

    assessment: Assessment
    overall: NodeScore


class AssessmentService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    # -- lookups -------------------------------------------------------------------------------
    def framework_for(self, assessment: Assessment) -> Framework:
        try:
            return self.ctx.catalog.framework(assessment.framework_id)
        except CatalogError as exc:
            raise NotFound(str(exc)) from exc

    def outline_for(self, assessment: Assessment) -> Framework:
        """The outline of the assessment's framework (``Catalog.outline``: no guidance, no
        profiles), for scoring and resolving ids. Raises NotFound for an unknown framework."""
        try:
            return self.ctx.catalog.outline(assessment.framework_id)
        except CatalogError as exc:
            raise NotFound(str(exc)) from exc

    def scheme_for(self, assessment: Assessment) -> RatingScheme:
        try:
            return self.ctx.catalog.scheme(assessment.scheme_id)
        except CatalogError as exc:
            raise NotFound(str(exc)) from exc

    def get(self, assessment_id: int) -> Assessment:
        with self.ctx.reading() as unit:
            found = unit.assessments.get(assessment_id)
        if found is None:
            raise NotFound(f"there is no assessment with id {assessment_id}")
        return found

    def list(self, progress: Callable[[int, int], None] | None = None) -> list[AssessmentSummary]:
        """Every assessment with its overall score (and function scores as children).

        Scores come from the cached summary; stale ones are rescored and cached here, so a list
        costs one query however many answers the database holds. After an upgrade or a large
        import every summary is stale: ``progress(done, total)`` (if given) is called with the
        number rescored so far after each batch, on the calling thread (run this off the UI
        thread; the window shows the count).
        """
        with self.ctx.reading() as unit:
            pairs = unit.assessments.list_with_summaries()
        trees = {a.id: None if text is None else _tree(text) for a, text in pairs}
        stale = [a for a, _ in pairs if trees[a.id] is None]
        for start in range(0, len(stale), SUMMARY_BATCH):  # bounded memory after an upgrade
            batch = stale[start : start + SUMMARY_BATCH]
            fresh = self._rescore(batch)
            trees.update({aid: summary_tree(summary) for aid, summary in fresh.items()})
            self._store_summaries(fresh, {a.id: a.updated_at for a in batch})
            if progress is not None:
                progress(start + len(batch), len(stale))
        return [AssessmentSummary(a, tree) for a, _ in pairs if (tree := trees[a.id]) is not None]

    def _rescore(self, stale: list[Assessment]) -> dict[int, dict[str, object]]:
        # From the stored values alone, equal to summary_of(score_assessment(...)) (see
        # domain.summaries): building the answers and every node cost 4-5 ms per assessment.
        with self.ctx.reading() as unit:
            rows = unit.answers.score_rows_of([a.id for a in stale])
        summarizers: dict[tuple[str, str], Summarizer] = {}
        fresh = {}
        for a in stale:
            key = (a.framework_id, a.scheme_id)
            if key not in summarizers:
                try:
                    summarizers[key] = Summarizer(self.outline_for(a), self.scheme_for(a))
                except NotFound:
                    continue  # a framework this installation does not have
            fresh[a.id] = summarizers[key].summary(rows[a.id], a.default_target)
        return fresh

    def _store_summaries(
        self, fresh: dict[int, dict[str, object]], as_of: dict[int, dt.datetime]
    ) -> None:
        if not fresh:
            return
        try:
            # Never wait for another program's lock: a listing must not stall for a cache.
            with self.ctx.saving(None, wait=False) as unit:  # the lightest write there is
                unit.assessments.set_summaries(
                    [(aid, summary, as_of[aid]) for aid, summary in fresh.items()]
                )
        except StorageError:
            pass  # a read-only or busy database: the cache is an optimisation only

    # -- changes -------------------------------------------------------------------------------
    def validate_meta(self, data: dict[str, object]) -> AssessmentMeta:
        """Validate what the user typed; raise InvalidInput naming the field."""
        try:
            meta = AssessmentMeta.model_validate(data)
        except ValidationError as exc:
            raise InvalidInput(describe_validation_error(exc)) from exc
        try:
            framework = self.ctx.catalog.framework(meta.framework_id)
            self.ctx.catalog.scheme(meta.scheme_id)
        except CatalogError as exc:
            raise InvalidInput(str(exc)) from exc
        for sel in meta.profiles:
            try:
                profile = framework.profile(sel.profile_id)
            except KeyError:
                raise InvalidInput(
                    f"profile {sel.profile_id!r} does not exist for {framework.name}"
                ) from None
            known = {r.id for r in profile.risks}
            unknown = [r for r in sel.risks if r not in known]
            if unknown:
                raise InvalidInput(f"{profile.name}: unknown risks {', '.join(unknown)}")
        return meta

    def create(
        self, meta: AssessmentMeta | dict[str, object], *, origin: Origin = Origin.ORIGINAL
    ) -> Assessment:
        """A new, empty draft; ``origin``: Origin.SAMPLE for the sample (not a cycle)."""
        if not isinstance(meta, AssessmentMeta):
            meta = self.validate_meta(meta)
        else:
            meta = self.validate_meta(meta.model_dump())
        framework = self.ctx.catalog.framework(meta.framework_id)
        with self.ctx.writing() as unit:
            return unit.assessments.add(
                meta,
                uid=uuid.uuid4().hex,
                framework_version=framework.version,
                now=self.ctx.clock(),
                origin=origin,
            )

    def update_meta(self, assessment_id: int, changes: dict[str, object]) -> Assessment:
        current = self.get(assessment_id)
        self.ensure_editable(current)
        data = AssessmentMeta.model_validate(
            current.model_dump(include=set(AssessmentMeta.model_fields))
        )
        merged = {**data.model_dump(), **changes}
        if (
            merged["framework_id"] != current.framework_id
            or merged["scheme_id"] != current.scheme_id
        ):
            raise InvalidInput(
                "the framework and rating scheme are fixed when an assessment is created"
            )
        meta = self.validate_meta(merged)
        with self.ctx.writing() as unit:
            return unit.assessments.update_meta(assessment_id, meta, self.ctx.clock())

    def rename(self, assessment_id: int, name: str) -> Assessment:
        """Rename (recorded in the change history, like every edit of the details; see
        ``services.assessment_edit``). Raises InvalidInput, AssessmentLocked or NotFound."""
        from app.services.assessment_edit import AssessmentEdit, AssessmentEditor

        return AssessmentEditor(self.ctx).edit(assessment_id, AssessmentEdit(name=name)).assessment

    def ensure_editable(self, assessment: Assessment) -> None:
        if assessment.status is Status.FINALIZED:
            raise AssessmentLocked(
                f"assessment {assessment.id} ({assessment.name}) is finalized and read-only; "
                "reopen it to make changes"
            )

    def duplicate(self, assessment_id: int, name: str | None = None) -> Assessment:
        """A new draft with the same metadata, answers, AI-system profile and remediation
        actions; its history starts afresh, every copied value recorded as the copy's own
        (the current actor, now). Review states, comment threads, the four-eyes setting and
        the sign-off are not copied: the copy is a draft nobody has reviewed yet.

        The copy is marked as one (``Origin.COPY``, ``copy_of`` the source's uid) and named
        "<name> (copy)" unless ``name`` is given: it is not another cycle of the AI system, so
        trends and the portfolio leave it out unless asked to include copies.
        """
        # services.actions builds on this module: imported here, not at the top.
        from app.services.actions import ActionService

        source = self.get(assessment_id)
        meta = AssessmentMeta.model_validate(
            {
                **source.model_dump(include=set(AssessmentMeta.model_fields)),
                "name": name or copy_name(source.name, "copy"),
            }
        )
        now = self.ctx.clock()
        with self.ctx.writing() as unit:
            answers = unit.answers.all(assessment_id)
            copy = unit.assessments.add(
                meta,
                uid=uuid.uuid4().hex,
                framework_version=source.framework_version,
                now=now,
                origin=Origin.COPY,
                copy_of=source.uid,
            )
            self.copy_answers(unit, copy.id, answers.values(), now, carried_over=False)
            self._copy_profile(unit, assessment_id, copy.id, now)
            ActionService(self.ctx).copy_all(unit, assessment_id, copy.id, now)
        return copy

    def _copy_profile(
        self, unit: StoreWriting, source_id: int, target_id: int, now: dt.datetime
    ) -> None:
        """Copy the AI-system profile to a new assessment, with its history entries
        (``system_profile_carry``, which the next cycle uses too)."""
        from app.services.system_profile_carry import carry_system_profile

        carry_system_profile(unit, source_id, target_id, self.ctx.actor, now)

    def copy_answers(
        self,
        unit: StoreWriting,
        assessment_id: int,
        answers: Iterable[Answer],
        now: dt.datetime,
        *,
        carried_over: bool,
    ) -> None:
        """Add copies of ``answers`` to a new assessment in ``unit``, each with history
        entries for its values (a new chain from GENESIS), changed at ``now``."""
        copies = [
            a.model_copy(update={"updated_at": now, "carried_over": carried_over}) for a in answers
        ]
        unit.answers.add_all(assessment_id, copies)
        entries: list[HistoryEntry] = []
        for new in copies:
            entries += [
                HistoryEntry(
                    subcategory_id=new.subcategory_id, field=f, new=n, actor=self.ctx.actor, at=now
                )
                for f, _o, n in diff_answers(None, new)
            ]
        unit.history.append(assessment_id, chain(entries, GENESIS, 1))

    def delete_plan(self, assessment_id: int) -> DeletePlan:
        """What deleting this assessment loses, for the confirmation (see ``DeletePlan``)."""
        from app.services.evidence import EvidenceService

        assessment = self.get(assessment_id)
        with self.ctx.reading() as unit:
            count = len(unit.answers.all(assessment_id))
            files = unit.answers.files_of(assessment_id)
            history = len(unit.history.list(assessment_id))
            later = unit.assessments.later_cycles(assessment_id)
        preview = EvidenceService(self.ctx).clean(
            files, excluding_assessment=assessment_id, dry_run=True
        )
        handled = {f.sha256 for f in (*preview.removed, *preview.kept_for_backups)}
        shared = (
            [] if preview.problem else [n for sha, (n, _) in files.items() if sha not in handled]
        )
        return DeletePlan(assessment, count, history, later, preview, shared)

    def delete(self, assessment_id: int, confirm_name: str | None = None) -> Cleanup:
        """Delete an assessment with its answers and history, then the evidence files that
        nothing cites any more (see ``app.services.evidence``).

        A finalized assessment, or one a later cycle builds on, is deleted only when
        ``confirm_name`` is its exact name (checked in the deleting transaction, so a
        finalization by another instance meanwhile is not missed). Returns what happened to
        its files. Raises NotFound, or InvalidInput (nothing deleted).
        """
        from app.services.evidence import Cleanup, EvidenceService

        with self.ctx.writing() as unit:
            repo = unit.assessments
            assessment = repo.get(assessment_id)
            if assessment is None:
                raise NotFound(f"there is no assessment with id {assessment_id}")
            why = _why_confirm(assessment, repo.later_cycles(assessment_id))
            if why and confirm_name != assessment.name:
                raise InvalidInput(
                    f"assessment {assessment.id} ({assessment.name}) {why}; deleting it needs "
                    "its name typed as confirmation"
                )
            files = unit.answers.files_of(assessment_id)
            repo.delete(assessment_id)
        # After the commit: a crash before this leaves orphans for `airmf evidence purge`.
        try:
            return EvidenceService(self.ctx).clean(files)
        except StorageError as exc:
            return Cleanup(problem=str(exc))

    def remember_position(self, assessment_id: int, subcategory_id: str) -> None:
        with self.ctx.writing() as unit:
            unit.assessments.set_last_subcategory(assessment_id, subcategory_id)

    def answers(self, assessment_id: int) -> dict[str, Answer]:
        return self.open(assessment_id)[1]

    def open(self, assessment_id: int) -> tuple[Assessment, dict[str, Answer]]:
        """An assessment and its answers, read in one transaction.

        Read on the sqlite3 driver (no SQLAlchemy: this is how the first screen is read at
        start-up), or through the repositories for a database that is not an SQLite file.
        """
        with self.ctx.reading() as unit:
            found = unit.assessments.get(assessment_id)
            answers = unit.answers.all(assessment_id) if found else {}
        if found is None:
            raise NotFound(f"there is no assessment with id {assessment_id}")
        return found, answers

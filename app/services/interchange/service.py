"""Spreadsheet interchange use cases: export the questionnaire (XLSX, CSV), preview the changes
a returned workbook brings, and apply them in one transaction.

The import matches rows by subcategory id (never by position), takes a field as changed by the
respondent only when it differs from what was exported (a digest in the hidden sheet), and holds
back as a conflict a field that was also changed in the app since the export. Anything invalid
refuses the whole workbook with the sheet, row, column and problem; nothing is written then.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from app import __version__
from app.domain.actions import RemediationAction, action_entries, field_text
from app.domain.assessment import Answer, Assessment
from app.domain.framework import Framework
from app.domain.history import GENESIS, chain, diff_answers, field_value_text
from app.domain.limits import NAME_MAX
from app.domain.rating import RatingScheme
from app.services.actions import ActionService, ListedAction
from app.services.answers import _NEVER_CONFLICTS, AnswerService
from app.services.assessments import AssessmentService
from app.services.context import ServiceContext
from app.services.errors import Conflict, InvalidInput, NotFound
from app.services.interchange.table import (
    FORMULA_STARTS,
    CellError,
    Column,
    RowData,
    Subset,
    action_columns,
    cell_text,
    editable_fields,
    field_texts,
    parse_cell,
    questionnaire_columns,
    rows_of,
    text_digest,
)
from app.services.outputs import guard_output, write_output
from app.services.scoring import ScoringService

# The sheet names of ``xlsx_write`` (not imported here: it brings openpyxl, which the
# command line's other commands do without).
_QUESTIONNAIRE_SHEET, _ACTIONS_SHEET = "Questionnaire", "Actions"


@dataclass(frozen=True)
class FieldChange:
    """One field a workbook would change: the stored text now and the workbook's text.

    ``conflict``: the field was changed in the app since the export as well; it is shown and
    not applied (the app's value stays).
    """

    sheet_row: int
    subcategory_id: str
    field: str
    before: str
    after: str
    conflict: bool = False
    # An action field (the Actions sheet): the action's id as lists show it; "" for an answer.
    action_id: str = ""

    @property
    def sheet(self) -> str:
        """The sheet the change comes from: Questionnaire or Actions."""
        return _ACTIONS_SHEET if self.action_id else _QUESTIONNAIRE_SHEET


@dataclass(frozen=True)
class ActionEdit:
    """The fields of one action that Apply changes: ``changes`` (field -> typed value, as
    ``ActionService.update`` takes them) on the action ``uid``; ``expected``: the history text
    of each of those fields when the preview was made (a change in the app after the preview
    makes Apply write nothing); ``label`` names the sheet and row in messages."""

    label: str
    uid: str
    changes: dict[str, Any]
    expected: dict[str, str]


@dataclass
class ImportPlan:
    """What importing a workbook into an assessment would do (nothing written yet)."""

    assessment_id: int
    workbook: str
    changes: list[FieldChange] = field(default_factory=list)
    rows: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    base_versions: dict[str, int] = field(default_factory=dict)
    rows_read: int = 0
    # Rows read on the workbook's Actions sheet (None: the workbook has no Actions sheet).
    actions_checked: int | None = None
    action_edits: list[ActionEdit] = field(default_factory=list)

    @property
    def applicable(self) -> list[FieldChange]:
        """The changes that Apply writes."""
        return [c for c in self.changes if not c.conflict]

    @property
    def conflicts(self) -> list[FieldChange]:
        """The fields held back: changed in the app since the export as well."""
        return [c for c in self.changes if c.conflict]

    def lines(self) -> list[str]:
        """The plan as text lines (the CLI's preview)."""
        out = []
        for c in self.changes:
            mark = "CONFLICT (kept the app's value)" if c.conflict else "change"
            what = (
                f"{_ACTIONS_SHEET} row {c.sheet_row} action {c.action_id} ({c.subcategory_id})"
                if c.action_id
                else f"row {c.sheet_row} {c.subcategory_id}"
            )
            out.append(f"{what} {c.field}: {mark}: {_clip(c.before)!r} -> {_clip(c.after)!r}")
        if self.actions_checked is not None:
            out.append(actions_note(self.actions_checked))
        return out


def actions_note(count: int) -> str:
    """What the preview says of the workbook's Actions sheet (``count`` actions on it)."""
    return (
        f"Actions sheet: {count} action{'s' if count != 1 else ''} read, matched by id (title, "
        "description, owner, due date, status, priority, rationale and notes are imported)"
    )


def _clip(text: str, width: int = 60) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


class InterchangeService:
    """Questionnaire workbook and CSV export, and the workbook import (see the module doc)."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self.assessments = AssessmentService(ctx)
        self.answers = AnswerService(ctx)

    # -- export -------------------------------------------------------------------------
    def _table(
        self, assessment_id: int, subset: Subset
    ) -> tuple[Assessment, tuple[Column, ...], list[RowData], dict[str, int], Any]:
        # Versions first, then the answers: a version is never newer than the answer written
        # (AnswerService.versions), so a later import sees at worst a conflict, never a loss.
        versions = self.answers.versions(assessment_id)
        assessment, answers = self.assessments.open(assessment_id)
        framework = self.assessments.framework_for(assessment)
        scheme = self.assessments.scheme_for(assessment)
        tree = ScoringService(self.ctx).score(assessment_id)
        columns = questionnaire_columns(scheme)
        rows = rows_of(framework, answers, tree, subset.keeps)
        if not rows:
            raise InvalidInput(
                f"no subcategory of assessment {assessment_id} matches {subset.describe()}"
            )
        return assessment, columns, rows, versions, tree

    def workbook(self, assessment_id: int, subset: Subset | None = None) -> bytes:
        """The questionnaire workbook (.xlsx bytes) of an assessment or of a ``subset`` of it
        (a respondent workbook). Raises NotFound or InvalidInput (an empty subset)."""
        from app.services.interchange.xlsx_write import WorkbookInfo, workbook_bytes

        subset = subset or Subset()
        assessment, columns, rows, versions, tree = self._table(assessment_id, subset)
        info = WorkbookInfo(
            assessment_uid=assessment.uid,
            assessment_name=assessment.name,
            framework_id=assessment.framework_id,
            scheme_id=assessment.scheme_id,
            exported_at=self.ctx.clock(),
            subset=subset.describe(),
            app_version=__version__,
        )
        actions = self.actions_of(assessment_id, {r.subcategory.id for r in rows})
        return workbook_bytes(info, columns, rows, versions, tree, actions)

    def actions_of(
        self, assessment_id: int, subcategories: set[str] | None = None
    ) -> list[ListedAction]:
        """The assessment's remediation actions (of ``subcategories`` when given) as the
        Actions sheet and the actions CSV list them: in framework order of their subcategory,
        then in order of creation."""
        listed = ActionService(self.ctx).listed(assessment_id)
        if subcategories is not None:
            listed = [x for x in listed if x.action.subcategory_id in subcategories]
        return sorted(listed, key=lambda x: int(x.extra.get("order", 0)))

    def export_xlsx(
        self,
        assessment_id: int,
        target: Path | BinaryIO,
        subset: Subset | None = None,
        *,
        force: bool = False,
    ) -> Path | None:
        """Write the workbook to ``target`` (a path, atomically and guarded, or a stream).
        Returns the path (None for a stream). Raises NotFound, InvalidInput,
        NeedsConfirmation or StorageError; an existing file is unchanged then."""
        if isinstance(target, (str, Path)):
            guard_output(self.ctx.location, Path(target), "zip", force=force)
        data = self.workbook(assessment_id, subset)
        return write_output(
            self.ctx.location, target, "zip", data, force=force, what="the workbook"
        )

    def questionnaire_csv(self, assessment_id: int, subset: Subset | None = None) -> bytes:
        """The questionnaire as CSV: UTF-8 with a byte order mark (so that Excel reads it as
        UTF-8), RFC 4180 quoting (CRLF between records, line breaks inside cells kept), the
        same columns and raw values as the workbook. A text cell that a spreadsheet would take
        for a formula is prefixed with an apostrophe (OWASP's advice for CSV)."""
        _a, columns, rows, _v, _t = self._table(assessment_id, subset or Subset())
        return _csv_bytes(columns, rows)

    def actions_csv(self, assessment_id: int, subset: Subset | None = None) -> bytes:
        """The remediation actions of the assessment (of the ``subset``'s subcategories) as
        CSV, with the Actions sheet's columns (``action_columns``) and the CSV rules of
        ``questionnaire_csv``. A header row only when there are no actions."""
        _a, _c, rows, _v, _t = self._table(assessment_id, subset or Subset())
        actions = self.actions_of(assessment_id, {r.subcategory.id for r in rows})
        return _csv_bytes(action_columns(), actions)

    def export_csv(
        self,
        assessment_id: int,
        target: Path | BinaryIO,
        subset: Subset | None = None,
        *,
        force: bool = False,
    ) -> Path | None:
        """Write ``questionnaire_csv`` to ``target`` like ``export_xlsx``."""
        return self._write_csv(
            target, lambda: self.questionnaire_csv(assessment_id, subset), "the CSV", force
        )

    def export_actions_csv(
        self,
        assessment_id: int,
        target: Path | BinaryIO,
        subset: Subset | None = None,
        *,
        force: bool = False,
    ) -> Path | None:
        """Write ``actions_csv`` to ``target`` like ``export_xlsx``."""
        return self._write_csv(
            target, lambda: self.actions_csv(assessment_id, subset), "the actions CSV", force
        )

    def _write_csv(
        self, target: Path | BinaryIO, make: Callable[[], bytes], what: str, force: bool
    ) -> Path | None:
        """A file target is checked (never the app's own data) before ``make`` does the work;
        the bytes are then written atomically (``services.outputs``)."""
        if isinstance(target, (str, Path)):
            guard_output(self.ctx.location, Path(target), "other", force=force)
        return write_output(self.ctx.location, target, "other", make(), force=force, what=what)

    def export_csv_pair(
        self,
        assessment_id: int,
        target: Path,
        subset: Subset | None = None,
        *,
        force: bool = False,
    ) -> list[Path]:
        """Write the questionnaire CSV and the actions CSV (``actions_csv_path``), each
        atomically, both checked before either is written. ``target``: the questionnaire's
        file, or an existing folder (then ``questionnaire.csv`` and ``actions.csv`` in it).
        Returns the two paths. Raises as ``export_xlsx``; existing files are unchanged then."""
        first, second = csv_paths(Path(target))
        for path in (first, second):
            guard_output(self.ctx.location, path, "other", force=force)
        questionnaire = self.questionnaire_csv(assessment_id, subset)
        actions = self.actions_csv(assessment_id, subset)
        written = []
        outputs = ((first, questionnaire, "the CSV"), (second, actions, "the actions CSV"))
        for path, data, what in outputs:
            done = write_output(self.ctx.location, path, "other", data, force=force, what=what)
            assert done is not None
            written.append(done)
        return written

    # -- import -------------------------------------------------------------------------
    def preview(self, assessment_id: int, source: Path) -> ImportPlan:
        """Read the workbook at ``source`` and work out every field it would change in the
        assessment, without writing. Raises InvalidInput (sheet, row, column and problem),
        NotFound or AssessmentLocked."""
        from app.services.interchange.xlsx_read import read_workbook

        return self.plan(assessment_id, read_workbook(Path(source)))

    def plan(self, assessment_id: int, book: Any) -> ImportPlan:
        """``preview`` for a workbook already read (an ``xlsx_read.ParsedWorkbook``)."""
        from app.services.interchange.xlsx_read import QUESTIONNAIRE

        assessment = self.assessments.get(assessment_id)
        self.assessments.ensure_editable(assessment)
        framework = self.assessments.framework_for(assessment)
        scheme = self.assessments.scheme_for(assessment)
        name = book.name
        if book.info.get("assessment_uid") != assessment.uid:
            raise InvalidInput(
                f"{name}: exported from another assessment (not {assessment.name!r}); import "
                "it into the assessment it came from"
            )
        if book.info.get("scheme_id") != assessment.scheme_id:
            raise InvalidInput(
                f"{name}: rated with the {book.info.get('scheme_id')!r} scheme, but the "
                f"assessment now uses {assessment.scheme_id!r}; export a new workbook"
            )
        columns = [c for c in questionnaire_columns(scheme) if c.key in book.columns]
        fields = editable_fields(columns)
        with self.ctx.reading() as unit:
            stored = unit.answers.all(assessment_id)
            # Per-field versions: which fields changed since the export.
            versions = unit.answers.field_versions(assessment_id)
        plan = ImportPlan(
            assessment_id, name, rows_read=len(book.rows), actions_checked=book.actions_checked
        )
        seen: dict[str, int] = {}
        for row in book.rows:
            where = f"{name}: sheet {QUESTIONNAIRE}, row {row.number}"

            def at(key: str, where: str = where) -> str:
                return f"{where}, column {book.columns[key]} ({key})"

            raw_id = row.values.get("id")
            if not isinstance(raw_id, str) or not raw_id.strip():
                raise InvalidInput(f"{at('id')}: a subcategory id is required")
            sub = framework.resolve_subcategory_id(raw_id.strip())
            if sub is None:
                raise InvalidInput(f"{at('id')}: unknown subcategory {raw_id.strip()!r}")
            if sub in seen:
                raise InvalidInput(f"{at('id')}: {sub} appears twice (also in row {seen[sub]})")
            seen[sub] = row.number
            if sub not in book.exported:
                raise InvalidInput(
                    f"{at('id')}: {sub} was not in this workbook when it was exported; add "
                    "answers only to the rows exported"
                )
            exported_version, digests = book.exported[sub]
            values: dict[str, Any] = {}
            for col in columns:
                if not col.editable:
                    continue
                try:
                    value = parse_cell(col, row.values.get(col.key))
                except CellError as exc:
                    raise InvalidInput(f"{at(col.key)}: {exc}") from None
                if col.field == "metrics":
                    if value:
                        values.setdefault("metrics", {})[col.metric] = value
                    else:
                        values.setdefault("metrics", {})
                else:
                    values[col.field or ""] = value
            old = stored.get(sub)
            version = versions.get(sub)
            changed = self._changed_fields(sub, values, digests, fields)
            rating_cols = [c for c in columns if c.field == "metrics"]
            if (
                "metrics" in changed
                and changed["metrics"]
                and (len(changed["metrics"]) != len(rating_cols))
            ):
                missing = [c.key for c in rating_cols if c.metric not in changed["metrics"]]
                raise InvalidInput(
                    f"{at(missing[0])}: a rating needs all of "
                    f"{', '.join(c.key for c in rating_cols)} (or none)"
                )
            if not changed:
                continue
            if changed.get("not_applicable") and (
                changed.get("metrics") or changed.get("level") is not None
            ):
                raise InvalidInput(f"{at('na')}: yes, but a rating was given too; give one")
            label = f"{name}: sheet {QUESTIONNAIRE}, row {row.number}"
            self.add_row(
                plan,
                label,
                row.number,
                sub,
                changed,
                old,
                version,
                exported_version,
                framework,
                scheme,
            )
        if book.actions:
            self._plan_actions(plan, assessment_id, book.actions)
        return plan

    def _plan_actions(self, plan: ImportPlan, assessment_id: int, rows: Sequence[Any]) -> None:
        """Add the Actions sheet's edits to ``plan``: per row (an ``xlsx_read.ActionRow``,
        matched by id), each editable cell that differs from the export is a change of that
        action field, or a conflict when the field was also changed in the app since the
        export (its text no longer the exported one). A changed reference cell (id,
        subcategory, function, carried_over, overdue), an invalid cell or an action removed
        from the app since the export refuses the workbook (InvalidInput naming the sheet, row
        and column); nothing is written."""
        actions = ActionService(self.ctx)
        listed = {x.action.uid: x for x in actions.listed(assessment_id)}
        columns = action_columns()
        for row in rows:
            where = f"{plan.workbook}: sheet {_ACTIONS_SHEET}, row {row.number}"

            def at(key: str, where: str = where, row: Any = row) -> str:
                return f"{where}, column {row.letters[key]} ({key})"

            current = listed.get(row.uid)
            if current is None:
                raise InvalidInput(
                    f"{at('id')}: action {row.short} was removed in the app since the export"
                )
            changed: dict[str, Any] = {}
            clashes: set[str] = set()
            for col in columns:
                if not row.changed(col.key):
                    continue
                if not col.editable:
                    raise InvalidInput(
                        f"{at(col.key)}: changed, but {col.key} is not imported (it is set by "
                        "the app); change only the shaded columns"
                    )
                try:
                    value = parse_cell(col, row.values.get(col.key))
                except CellError as exc:
                    raise InvalidInput(f"{at(col.key)}: {exc}") from None
                name = col.field or col.key
                changed[name] = value
                if text_digest(cell_text(col.value(current))) != row.exported.get(col.key):
                    clashes.add(name)  # changed in the app after the export as well
            if not changed:
                continue
            old = current.action
            try:
                typed = actions._prepare(changed)
                new = actions._validated({**old.model_dump(), **typed})
            except InvalidInput as exc:
                raise InvalidInput(f"{where}: action {row.short}: {exc}") from None
            # A field the app already holds as the workbook has it is neither a change nor a
            # conflict (e.g. the same workbook imported a second time).
            clashes = {f for f in clashes if field_text(old, f) != field_text(new, f)}
            keep = {f: v for f, v in typed.items() if f not in clashes}
            if clashes and keep:
                try:  # what is left must stand on its own (e.g. risk accepted needs a reason)
                    actions._validated({**old.model_dump(), **keep})
                except InvalidInput:
                    clashes, keep = set(typed), {}
            for f in typed:
                before, after = field_text(old, f), field_text(new, f)
                if f in clashes or before != after:
                    plan.changes.append(
                        FieldChange(
                            row.number,
                            old.subcategory_id,
                            f,
                            before,
                            after,
                            f in clashes,
                            row.short,
                        )
                    )
            keep = {f: v for f, v in keep.items() if field_text(old, f) != field_text(new, f)}
            if keep:
                expected = {f: field_text(old, f) for f in keep}
                plan.action_edits.append(ActionEdit(where, old.uid, keep, expected))

    def add_row(
        self,
        plan: ImportPlan,
        label: str,
        sheet_row: int,
        sub: str,
        changed: dict[str, Any],
        old: Answer | None,
        version: Any,
        exported_version: int | None,
        framework: Framework,
        scheme: RatingScheme,
    ) -> None:
        """Add one row's ``changed`` fields (field -> value the file gives) to ``plan``: each
        field that would change, and as a conflict each field also changed in the app after
        ``exported_version`` (``version``: the answer's stored AnswerVersion, None if never
        saved; ``exported_version`` None: a restore, no conflicts). Raises InvalidInput
        prefixed with ``label`` when the result breaks a rule."""
        current = old or Answer(subcategory_id=sub)
        try:
            new = AnswerService._merge(framework, scheme, sub, current, changed)
        except InvalidInput as exc:
            raise InvalidInput(f"{label}: {exc}") from None
        diffs = diff_answers(old, new)
        clashes: set[str] = set()
        if exported_version is not None and version is not None:
            clashes = {
                f
                for f, _o, _n in diffs
                if f not in _NEVER_CONFLICTS and version.fields.get(f, 0) > exported_version
            }
        for f in changed:
            before = field_value_text(current, f)
            after = field_value_text(new, f) if f not in clashes else _text(sub, f, changed[f])
            if f in clashes or before != after:
                plan.changes.append(FieldChange(sheet_row, sub, f, before, after, f in clashes))
        keep = {f: v for f, v in changed.items() if f not in clashes}
        if clashes and keep:
            # What is left must not touch a clashing field through a consequence either.
            again = AnswerService._merge(framework, scheme, sub, current, keep)
            if any(f in clashes for f, _o, _n in diff_answers(old, again)):
                keep = {}
                plan.changes = [
                    c if c.subcategory_id != sub else _as_conflict(c) for c in plan.changes
                ]
        if keep and diff_answers(old, AnswerService._merge(framework, scheme, sub, current, keep)):
            plan.rows.append((label, sub, keep))
            if exported_version is not None:
                plan.base_versions[sub] = exported_version

    @staticmethod
    def _changed_fields(
        sub: str, values: dict[str, Any], digests: dict[str, str], fields: Sequence[str]
    ) -> dict[str, Any]:
        """The fields whose workbook value differs from what was exported (by digest)."""
        changed = {}
        for f in fields:
            if f not in values:
                continue
            if text_digest(_text(sub, f, values[f])) != digests.get(f):
                changed[f] = values[f]
        return changed

    def apply(self, plan: ImportPlan) -> int:
        """Record the plan's applicable changes in one transaction, one history entry per
        field naming the workbook. Returns the number of fields changed. Raises Conflict when
        the app changed a field since the preview (nothing written: preview again)."""
        if not plan.rows and not plan.action_edits:
            return 0

        def edit_actions(unit: Any, head: tuple[int, str] | None, now: Any) -> Any:
            return self._apply_actions(unit, plan, head, now)

        try:
            self.answers.record_many(
                plan.assessment_id,
                plan.rows,
                base_versions=plan.base_versions,
                source=plan.workbook,
                also=edit_actions if plan.action_edits else None,
            )
        except Conflict as exc:
            raise Conflict(exc.subcategory_id, exc.fields, exc.stored, exc.version) from None
        return len(plan.applicable)

    def _apply_actions(
        self, unit: Any, plan: ImportPlan, head: tuple[int, str] | None, now: Any
    ) -> tuple[int, str] | None:
        """In the import's write transaction (``unit``, after the answers): store the plan's
        action edits, each changed field one history entry whose actor names the workbook,
        chained after ``head``. Returns the new head. Raises InvalidInput (the transaction
        then writes nothing) when an action was removed or one of its fields changed in the
        app since the preview."""
        from app.persistence.actions import ActionRepository

        actions = ActionService(self.ctx)
        repo = unit.part(ActionRepository)
        stored = {a.uid: a for a in repo.list(plan.assessment_id)}
        actor = _actor_from(self.ctx.actor, plan.workbook)
        entries = []
        for edit in plan.action_edits:
            old = stored.get(edit.uid)
            if old is None:
                raise InvalidInput(
                    f"{edit.label}: the action was removed in the app since the preview; "
                    "nothing was written: preview the workbook again"
                )
            moved = [f for f, text in edit.expected.items() if field_text(old, f) != text]
            if moved:
                raise InvalidInput(
                    f"{edit.label}: the action's {', '.join(moved)} changed in the app since "
                    "the preview; nothing was written: preview the workbook again"
                )
            new: RemediationAction = actions._validated(
                {**old.model_dump(), **edit.changes, "updated_at": now}
            )
            repo.put(plan.assessment_id, new)
            entries += action_entries(old, new, actor, now)
        if not entries:
            return head
        prev, seq = (head[1], head[0] + 1) if head else (GENESIS, 1)
        chained = chain(entries, prev, seq)
        unit.history.append(plan.assessment_id, chained)
        return chained[-1].seq, chained[-1].entry_hash

    def import_workbook(
        self, assessment_id: int, source: Path, *, dry_run: bool = False
    ) -> ImportPlan:
        """Preview and (unless ``dry_run``) apply a workbook; return the plan."""
        plan = self.preview(assessment_id, source)
        if not dry_run:
            self.apply(plan)
        return plan


def _actor_from(actor: str, source: str) -> str:
    """The history actor of a change imported from the file ``source``: "alice (from
    q.xlsx)", as ``AnswerService.record_many`` names it (a long file name shortened)."""
    text = f"{actor} (from {source})"
    return text if len(text) <= NAME_MAX else text[: NAME_MAX - 2] + "…)"


def _text(sub: str, field_name: str, value: Any) -> str:
    """The history text of a field value (the form digested at export)."""
    probe = _blank().model_copy(update={"subcategory_id": sub, field_name: value})
    return field_texts(probe, [field_name])[field_name]


@functools.cache
def _blank() -> Answer:
    return Answer(subcategory_id="GOVERN 1.1")  # copied with updates only, never changed


def _as_conflict(change: FieldChange) -> FieldChange:
    return FieldChange(
        change.sheet_row, change.subcategory_id, change.field, change.before, change.after, True
    )


def csv_paths(target: Path) -> tuple[Path, Path]:
    """Where ``--format csv -o TARGET`` writes the questionnaire and the actions: into a
    folder, ``questionnaire.csv`` and ``actions.csv``; else TARGET and, beside it, its name
    with ``-actions`` before the suffix (``q1.csv`` -> ``q1-actions.csv``)."""
    if target.is_dir():
        return target / "questionnaire.csv", target / "actions.csv"
    suffix = target.suffix or ".csv"
    return target, target.with_name(f"{target.stem}-actions{suffix}")


def _csv_bytes(columns: Sequence[Column], rows: Sequence[Any]) -> bytes:
    """One header row of the column keys, then one record per row, as ``table_csv``."""
    return table_csv([([c.key for c in columns], [[c.value(r) for c in columns] for r in rows])])


def table_csv(blocks: Sequence[tuple[Sequence[str], Sequence[Sequence[object]]]]) -> bytes:
    """Tables as one CSV file: each block (header, rows) in turn, an empty record between two
    blocks. UTF-8 with a byte order mark (Excel then reads UTF-8), RFC 4180 quoting with CRLF
    between records and line breaks kept inside cells; None is an empty cell, dates are ISO,
    and text a spreadsheet would take for a formula gets a leading apostrophe (OWASP)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    for i, (header, rows) in enumerate(blocks):
        if i:
            writer.writerow([])
        writer.writerow([_csv_cell(h) for h in header])
        for row in rows:
            writer.writerow([_csv_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


_SIGNED_NUMBER = re.compile(r"[+-]\d+(\.\d+)?")


def _csv_cell(value: object) -> str:
    if value is None:
        return ""
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    # A signed number ("+0.5", a change) is a number to a spreadsheet, never a formula.
    if (
        isinstance(value, str)
        and text.startswith(FORMULA_STARTS)
        and not _SIGNED_NUMBER.fullmatch(text)
    ):
        return "'" + text
    return text


__all__ = [
    "FieldChange",
    "ImportPlan",
    "InterchangeService",
    "NotFound",
    "actions_note",
    "table_csv",
]

"""``airmf``: create, answer, score, export and import assessments from a terminal or a script.

Exit codes: 0 success, 1 refused input or an unusable database/file (one message on stderr,
nothing written), 2 wrong usage.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import types
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app import __version__
from app.cli.args import add_output, assessment_id, output_target
from app.cli.batch import BATCH_COLUMNS
from app.config.paths import resolve
from app.config.redact import redact
from app.domain.date_input import InvalidDate, parse_date
from app.domain.days import format_local_time
from app.domain.limits import NAME_MAX, LimitError, check_id, check_line
from app.domain.numbers import format_completion, format_score
from app.services.errors import InvalidInput, NeedsConfirmation, ServiceError

# Scripts call airmf once per answer, so a process imports only what its command needs: the
# services (and SQLAlchemy behind some of them) inside the handlers, and the command modules
# below only for their own commands (see build_parser).
if TYPE_CHECKING:
    from app.services.assessments import AssessmentSummary
    from app.services.context import ServiceContext

Handler = Callable[["ServiceContext", argparse.Namespace], int]


def _print_json(data: Any) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False))


# -- handlers ---------------------------------------------------------------------------------
def cmd_frameworks_list(ctx: ServiceContext, args: argparse.Namespace) -> int:
    from app.cli.output import table

    rows = []
    for f in ctx.catalog.frameworks():
        subs = len(f.subcategories())
        profiles = ", ".join(p.id for p in f.profiles) or "–"
        rows.append([f.id, f.name, f.version, str(subs), profiles])
    print(table(rows, ["ID", "NAME", "VERSION", "SUBCATEGORIES", "PROFILES"]))
    print()
    print(table([[s.id, s.name] for s in ctx.catalog.schemes()], ["SCHEME", "NAME"]))
    return 0


def cmd_assessment_create(ctx: ServiceContext, args: argparse.Namespace) -> int:
    from app.services.assessments import AssessmentService

    meta: dict[str, Any] = {
        "name": args.name,
        "framework_id": args.framework,
        "scheme_id": args.scheme,
        "default_target": args.target,
        "organization": args.organization or "",
        "scope": args.scope or "",
        "assessor": args.assessor if args.assessor is not None else ctx.actor,
    }
    if args.system:
        meta["ai_system"] = args.system
    if args.genai or args.risk:
        meta["profiles"] = [{"profile_id": "nist-ai-600-1", "risks": args.risk or []}]
    created = AssessmentService(ctx).create(meta)
    print(created.id)
    return 0


def cmd_assessment_list(ctx: ServiceContext, args: argparse.Namespace) -> int:
    from app.cli.output import summary_json, table
    from app.services.assessments import AssessmentService
    from app.services.integrity import IntegrityService

    summaries = AssessmentService(ctx).list()
    failed = IntegrityService(ctx).problems_by_assessment()
    if args.json:
        _print_json(
            [
                {
                    **summary_json(s),
                    "integrity": "failed" if s.assessment.id in failed else "ok",
                    "integrity_problems": failed.get(s.assessment.id, []),
                }
                for s in summaries
            ]
        )
        return 0
    if not summaries:
        print("No assessments yet. Create one with: airmf assessment create --name NAME")
        return 0
    rows = [[*_summary_row(s), "FAILED" if s.assessment.id in failed else "ok"] for s in summaries]
    headers = ["ID", "NAME", "AI SYSTEM", "STATUS", "SCORE", "COMPLETE", "UPDATED", "INTEGRITY"]
    print(table(rows, headers))
    for aid, problems in sorted(failed.items()):
        print(f"assessment {aid}: integrity failed: {problems[0]} (details: airmf verify {aid})")
    return 0


def _summary_row(s: AssessmentSummary) -> list[str]:
    a, o = s.assessment, s.overall
    score = f"{format_score(o.score)} {o.level_name}".strip()
    return [
        str(a.id),
        a.name,
        a.ai_system,
        a.status.value,
        score,
        format_completion(o.completion, o.unreviewed),
        format_local_time(a.updated_at),
    ]


def cmd_assessment_delete(ctx: ServiceContext, args: argparse.Namespace) -> int:
    from app.cli import deletion

    return deletion.cmd_assessment_delete(ctx, args)


def _answer_changes(values: dict[str, Any], name: Callable[[str], str]) -> dict[str, Any]:
    """The answer changes given by ``values`` (option or column name -> value; None: not
    given), with the rules of ``airmf answer``. ``name(key)`` is how a message names an option
    ("--due") or a column ("column due"). Raises InvalidInput; an empty result means nothing
    was given."""
    changes: dict[str, Any] = {}
    metrics = {
        "coverage": values.get("coverage"),
        "robustness": values.get("robustness"),
        "input_diversity": values.get("diversity"),
    }
    given = {k: v for k, v in metrics.items() if v is not None}
    if values.get("na"):
        if given or values.get("level") is not None:
            raise InvalidInput(f"{name('na')} cannot be combined with a rating")
        if not (values.get("rationale") or "").strip():
            raise InvalidInput(
                f"{name('na')} needs {name('rationale')} explaining why it does not apply"
            )
        changes.update(not_applicable=True, na_rationale=values["rationale"])
    elif given:
        if len(given) != 3:
            missing = [
                name("diversity" if k == "input_diversity" else k)
                for k in metrics
                if k not in given
            ]
            raise InvalidInput(
                f"a rubric rating needs all three metrics; missing {', '.join(missing)}"
            )
        changes["metrics"] = given
    elif values.get("level") is not None:
        changes["level"] = values["level"]
    for key, field in (("notes", "notes"), ("target", "target"), ("owner", "owner")):
        if values.get(key) is not None:
            changes[field] = values[key]
    if values.get("due") is not None:
        try:
            changes["due_date"] = parse_date(values["due"])
        except InvalidDate as exc:
            raise InvalidInput(f"{name('due')}: {exc}") from None
    if values.get("flag") is not None:
        changes["flagged"] = values["flag"]
    return changes


def cmd_answer(ctx: ServiceContext, args: argparse.Namespace) -> int:
    from app.services.answers import AnswerService
    from app.services.scoring import ScoringService

    if args.source is not None:
        return _answer_batch(ctx, args)
    if args.subcategory is None:
        raise InvalidInput("give a SUBCATEGORY, or --from FILE.csv to record several answers")
    changes = _answer_changes(vars(args), lambda key: f"--{key}")
    if not changes:
        raise InvalidInput("nothing to record: give a rating, --na, --notes or --target")
    answer = AnswerService(ctx).record(
        args.id, args.subcategory, base_version=args.base_version, **changes
    )
    tree = ScoringService(ctx).score(args.id)
    node = tree.find(answer.subcategory_id)
    assert node is not None
    print(f"{answer.subcategory_id}: {_answer_state(answer.not_applicable, node)}")
    return 0


def _answer_batch(ctx: ServiceContext, args: argparse.Namespace) -> int:
    """``airmf answer ID --from FILE.csv|-``: every row checked, then all recorded in one
    transaction (or none)."""
    from app.cli.batch import read_rows
    from app.services.answers import AnswerService
    from app.services.scoring import ScoringService

    given = [
        f"--{k}"
        for k in ("coverage", "robustness", "diversity", "level", "rationale", "notes")
        + ("target", "owner", "due", "flag")
        if getattr(args, k) is not None
    ]
    if args.subcategory is not None or args.na or given:
        raise InvalidInput("--from takes the subcategories and values from the file only")
    rows = read_rows(args.source, _answer_changes)
    stored = AnswerService(ctx).record_many(args.id, rows)
    tree = ScoringService(ctx).score(args.id)
    for answer in stored:
        node = tree.find(answer.subcategory_id)
        assert node is not None
        print(f"{answer.subcategory_id}: {_answer_state(answer.not_applicable, node)}")
    return 0


def _answer_state(not_applicable: bool, node: Any) -> str:
    if not_applicable:
        return "not applicable"
    return f"{format_score(node.score)} {node.level_name}".strip() if node.score else "not rated"


def cmd_score(ctx: ServiceContext, args: argparse.Namespace) -> int:
    from app.cli.output import node_line, score_json
    from app.services.assessments import AssessmentService, AssessmentSummary
    from app.services.scoring import ScoringService

    service = AssessmentService(ctx)
    assessment = service.get(args.id)
    tree = ScoringService(ctx).score(args.id)
    summary = AssessmentSummary(assessment, tree)
    if args.json:
        from app.services.actions import ActionService
        from app.services.assessment_edit import AssessmentEditor
        from app.services.freshness import FreshnessService

        data = score_json(summary, tree)
        profile = AssessmentEditor(ctx).profile(args.id)
        data["assessment"]["system_profile"] = profile.model_dump(mode="json")
        data["actions"] = ActionService(ctx).counts(args.id)  # {"total", "open", "overdue"}
        data["evidence_freshness"] = FreshnessService(ctx).summary(args.id).as_json()
        _print_json(data)
        return 0
    print(f"{assessment.name} — {assessment.ai_system} ({assessment.scheme_id} scheme)")
    print(node_line(tree))
    for f in tree.children:
        print(node_line(f, 2))
        for c in f.children:
            print(node_line(c, 4))
    return 0


def cmd_export(ctx: ServiceContext, args: argparse.Namespace) -> int:
    from app.services.bundle import BundleService
    from app.services.exchange import ExchangeService

    if args.format in ("xlsx", "csv", "oscal"):
        from app.cli import interchange

        return interchange.cmd_export(ctx, args)
    if args.function or args.owner:
        raise InvalidInput("--function and --owner apply to --format xlsx and csv")
    target = output_target(args.output)
    if args.format == "bundle":
        path = BundleService(ctx).export_bundle(args.id, target, force=args.force)
    else:
        path = ExchangeService(ctx).export_json(args.id, target, force=args.force)
    if path is not None:
        print(f"exported assessment {args.id} to {path}")
    return 0


def cmd_import(ctx: ServiceContext, args: argparse.Namespace) -> int:
    from app.services.exchange import ExchangeService

    if args.into is not None:
        from app.cli import interchange

        return interchange.cmd_import_into(ctx, args)
    if args.dry_run:
        raise InvalidInput("--dry-run previews an import --into an assessment")
    if Path(args.file).suffix.lower() == ".xlsx":
        raise InvalidInput(
            f"{args.file}: a workbook brings changes to an existing assessment: add --into ID"
        )
    print(ExchangeService(ctx).import_file(Path(args.file)))
    return 0


def cmd_history(ctx: ServiceContext, args: argparse.Namespace) -> int:
    from app.cli.output import table
    from app.services.answers import AnswerService

    entries = AnswerService(ctx).history(args.id, args.subcategory)
    if args.json:
        _print_json([e.model_dump(mode="json") for e in entries])
        return 0
    rows = [
        [
            str(e.seq),
            format_local_time(e.at, seconds=True),
            e.actor,
            e.subcategory_id,
            e.field,
            _clip(e.old),
            _clip(e.new),
        ]
        for e in entries
    ]
    print(table(rows, ["#", "WHEN", "WHO", "SUBCATEGORY", "FIELD", "OLD", "NEW"]))
    return 0


def _clip(text: str, width: int = 40) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


def cmd_history_verify(ctx: ServiceContext, args: argparse.Namespace) -> int:
    from app.services.answers import AnswerService

    check = AnswerService(ctx).check_history(args.id)
    if check.ok:
        print(
            f"history of assessment {args.id} verifies: {check.stored_head.text()}; the stored "
            "answers are what the history records"
        )
        return 0
    print(f"history of assessment {args.id} does NOT verify:", file=sys.stderr)
    for problem in check.problems():
        print(f"- {problem}", file=sys.stderr)
    return 1


# -- parser -----------------------------------------------------------------------------------
def _level(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a level 1-5") from None
    if not 1 <= value <= 5:
        raise argparse.ArgumentTypeError(f"{value} is not a level 1-5")
    return value


def _version(text: str) -> int:
    """An answer's version for ``--base-version``: a whole number from 0."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a version (a whole number)") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{value} is not a version (0 or more)")
    return value


# The top-level commands that the command modules register (cycles, report, data, evidence).
_MODULE_COMMANDS = {
    "finalize": "cycles",
    "reopen": "cycles",
    "verify": "cycles",
    "next-cycle": "cycles",
    "review-carried": "cycles",
    "compare": "cycles",
    "trend": "cycles",
    "report": "report",
    "backup": "data",
    "evidence": "evidence",
    "action": "actions",
    "review": "review",
}


def _register_modules(sub: argparse._SubParsersAction, command: str | None) -> None:  # type: ignore[type-arg]
    """Add the commands of the command modules: only the one module of ``command`` when it is
    one of theirs, none when it is one of main's, all of them otherwise (help, a typo)."""
    if command in _MAIN_COMMANDS:
        return
    wanted = _MODULE_COMMANDS.get(command or "")
    # Plain import statements, not importlib: the packaged build finds its modules by them.
    if wanted in (None, "cycles"):
        from app.cli import cycles

        cycles.register(sub)
    if wanted in (None, "report"):
        from app.cli import report

        report.register(sub)
    if wanted in (None, "data"):
        from app.cli import data

        data.register(sub)
    if wanted in (None, "evidence"):
        from app.cli import deletion, evidence

        deletion.register(evidence.register(sub))
    if wanted in (None, "actions"):
        from app.cli import actions

        actions.register(sub)
    if wanted in (None, "review"):
        from app.cli import review

        review.register(sub)


def terminal_columns() -> int:
    """The terminal's width in columns, as ``shutil.get_terminal_size`` gives it: $COLUMNS when
    a positive number, else the width of standard output's terminal, else 80."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns if columns > 0 else 80


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, sized by ``terminal_columns`` as argparse sizes it (2 columns
    less): argparse builds one per option it adds, and its own sizing imports ``shutil`` with
    its archive modules (~3 ms of every command-line process; issue 13)."""

    def __init__(
        self,
        prog: str,
        indent_increment: int = 2,
        max_help_position: int = 24,
        width: int | None = None,
    ) -> None:
        if width is None:
            width = terminal_columns() - 2
        super().__init__(prog, indent_increment, max_help_position, width)


class _Parser(argparse.ArgumentParser):
    """ArgumentParser with ``_HelpFormatter``; its subcommands' parsers are of this class too
    (argparse makes them of the class of the parser they belong to)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _HelpFormatter)
        super().__init__(*args, **kwargs)


class _Skipped:
    """Stands in for the parser of a command that is not being run: accepts every call of the
    parser-building code and builds nothing. Each argparse parser costs a lookup of its
    message translations (gettext searches the locale folders) and its arguments' setup: for
    a one-answer script, building the other eleven cost about as much as running the command.
    """

    def __getattr__(self, name: str) -> Callable[..., _Skipped]:
        return self._accept

    def _accept(self, *args: object, **kwargs: object) -> _Skipped:
        return self


class _OnlyCommand:
    """The top-level commands' subparsers action, adding only the parser of ``command``."""

    def __init__(self, action: argparse._SubParsersAction, command: str) -> None:  # type: ignore[type-arg]
        self._action, self._command = action, command

    def add_parser(self, name: str, **kwargs: Any) -> argparse.ArgumentParser | _Skipped:
        if name == self._command:
            return self._action.add_parser(name, **kwargs)
        return _Skipped()


def build_parser(command: str | None = None, action: str | None = None) -> argparse.ArgumentParser:
    """The ``airmf`` parser. ``command``: the command to be run (its first word), so that only
    its parser is built and only its command module imported; None (or a word that is no
    command) builds the whole parser, for help and for the message listing the commands.
    ``action``: the word after it (``assessment list``: "list"), which spares ``assessment``'s
    other actions the edit options' imports; None builds every action."""
    p = _Parser(
        prog="airmf",
        description="Assess an AI system against the NIST AI RMF 1.0 from the command line.",
    )
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    p.add_argument(
        "--db",
        help="database path or SQLAlchemy URL (default: $AIRMF_DB or the "
        "file in your data directory)",
    )
    p.add_argument(
        "--as",
        dest="actor",
        metavar="NAME",
        help="the name recorded in the change history (default: $AIRMF_ACTOR or your user name)",
    )
    sub: Any = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    if command in _MAIN_COMMANDS or command in _MODULE_COMMANDS:
        sub = _OnlyCommand(sub, command)

    fw = sub.add_parser("frameworks", help="frameworks and rating schemes")
    fw_sub = fw.add_subparsers(dest="action", required=True, metavar="ACTION")
    fw_sub.add_parser("list", help="list frameworks, profiles and schemes").set_defaults(
        handler=cmd_frameworks_list
    )

    asm = sub.add_parser("assessment", help="create, list and delete assessments")
    asm_sub = asm.add_subparsers(dest="action", required=True, metavar="ACTION")
    create = asm_sub.add_parser("create", help="create an assessment and print its id")
    create.add_argument("--name", required=True)
    create.add_argument("--system", help="the AI system assessed")
    create.add_argument("--framework", default="nist-ai-rmf-1.0")
    create.add_argument("--scheme", default="rubric", help="rubric (default) or direct")
    create.add_argument("--target", type=_level, default=3, help="default target level 1-5 (3)")
    create.add_argument("--organization")
    create.add_argument("--scope")
    create.add_argument("--assessor", help="default: your user name")
    create.add_argument(
        "--genai",
        action="store_true",
        help="enable the Generative AI Profile (NIST AI 600-1) overlay",
    )
    create.add_argument(
        "--risk",
        action="append",
        metavar="RISK_ID",
        help="a GenAI risk that applies (repeatable; implies --genai)",
    )
    create.set_defaults(handler=cmd_assessment_create)
    lst = asm_sub.add_parser("list", help="list assessments")
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(handler=cmd_assessment_list)
    dele = asm_sub.add_parser("delete", help="delete an assessment, its answers and history")
    dele.add_argument("id", type=assessment_id)
    dele.add_argument("--yes", action="store_true", help="confirm")
    dele.add_argument(
        "--confirm-name",
        metavar="NAME",
        help="the assessment's exact name: needed to delete a finalized assessment or one a "
        "later cycle builds on",
    )
    dele.set_defaults(handler=cmd_assessment_delete)
    if command in (None, "assessment") and action not in _LIGHT_ASSESSMENT_ACTIONS:
        # Its option types import the profile models.
        from app.cli import assessment_edit

        assessment_edit.register(asm_sub)

    ans = sub.add_parser("answer", help="rate one subcategory (or mark it not applicable)")
    ans.add_argument("id", type=assessment_id, help="assessment id")
    ans.add_argument("subcategory", nargs="?", help='official id, e.g. "GOVERN 1.1" or GV-1.1')
    ans.add_argument(
        "--from",
        dest="source",
        metavar="FILE.csv",
        help="record every row of a UTF-8 CSV file ('-': standard input) in one transaction; "
        "header: subcategory and any of " + ", ".join(BATCH_COLUMNS[1:]),
    )
    for name in ("coverage", "robustness", "diversity"):
        ans.add_argument(f"--{name}", metavar="L|M|H", help=f"rubric: {name} Low/Medium/High")
    ans.add_argument("--level", type=_level, help="direct scheme: level 1-5")
    ans.add_argument("--na", action="store_true", help="not applicable (needs --rationale)")
    ans.add_argument("--rationale", help="why the subcategory does not apply")
    ans.add_argument("--notes")
    ans.add_argument("--target", type=_level, help="target level for this subcategory")
    ans.add_argument("--owner")
    ans.add_argument("--due", metavar="YYYY-MM-DD", help="due date ('' clears it)")
    ans.add_argument(
        "--flag",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="flag (or --no-flag unflag) for review",
    )
    ans.add_argument(
        "--base-version",
        type=_version,
        metavar="N",
        help="the answer's version these changes were made on (default: the current one); "
        "a field someone changed after it is refused as a conflict",
    )
    ans.set_defaults(handler=cmd_answer)

    sc = sub.add_parser("score", help="scores, completion and gaps of an assessment")
    sc.add_argument("id", type=assessment_id)
    sc.add_argument("--json", action="store_true")
    sc.set_defaults(handler=cmd_score)

    ex = sub.add_parser("export", help="write an assessment to a file")
    ex.add_argument("id", type=assessment_id)
    ex.add_argument(
        "--format",
        choices=["json", "bundle", "xlsx", "csv", "oscal"],
        default="json",
        help="json (default); bundle: a zip with the JSON and the attached evidence files; "
        "xlsx: the questionnaire workbook (import it back with import --into); csv: the "
        "questionnaire, and the actions beside it (-o q.csv also writes q-actions.csv; -o DIR "
        "writes questionnaire.csv and actions.csv); oscal: OSCAL 1.2 catalog, assessment "
        "results and POA&M into folder -o",
    )
    add_output(ex, "FILE", "the file to write")
    from app.cli.interchange import add_export_options, add_import_options

    add_export_options(ex)
    ex.set_defaults(handler=cmd_export)

    im = sub.add_parser(
        "import",
        help="read an exported assessment (prints the new id), or apply a workbook --into one",
    )
    im.add_argument("file")
    add_import_options(im)
    im.set_defaults(handler=cmd_import)

    hist = sub.add_parser(
        "history",
        help="the change history of an assessment",
        usage="airmf history ID [SUBCATEGORY] [--json] | airmf history verify ID",
    )
    hist.add_argument("target", metavar="ID|verify")
    hist.add_argument("rest", nargs="*", metavar="SUBCATEGORY|ID")
    hist.add_argument("--json", action="store_true")
    hist.set_defaults(handler=cmd_history)
    _register_modules(sub, command)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return its exit code (0, 1, or 2 for wrong usage: argparse exits).

    Nothing escapes as a traceback: a closed pipe (``| head``) ends quietly, an operating
    system error is one line naming the file, and anything unforeseen is one line saying so.
    """
    # The app uses no Pydantic plugin; looking for one reads the metadata of every installed
    # distribution (importlib.metadata) at the first model built, 20-30 ms of a process that
    # records one answer. Setting the variable (Pydantic's own switch) is left to the user.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    _no_plugin_loader()
    try:
        argv = list(sys.argv[1:] if argv is None else argv)
        command = _command_word(argv)
        parser = build_parser(command, _action_word(argv, command))
        args = parser.parse_args(argv)
        if args.handler is cmd_history:
            _history_args(parser, args)
        return _run(args)
    except BrokenPipeError:
        _quiet_stdout()
        return 1
    except KeyboardInterrupt:
        _say("interrupted; nothing more was written")
        return 1
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        _say(f"{where}{exc.strerror or exc}")
        return 1
    except Exception as exc:  # a bug: still one line, never a traceback
        _say(f"unexpected error ({type(exc).__name__}: {str(exc)[:300]}); nothing more was done")
        return 1


# Pydantic's plugin loader, and the values of PYDANTIC_DISABLE_PLUGINS with which it finds none.
_PLUGIN_LOADER = "pydantic.plugin._loader"
_PLUGINS_OFF = ("__all__", "1", "true")


class _NoPlugins(types.ModuleType):
    """Stands in for Pydantic's plugin loader while plugins are switched off.

    Pydantic's loader imports ``importlib.metadata`` (15-25 ms, most of it the ``email``
    package) when a process builds its first validator, before it reads the switch that makes
    it return no plugin. This module returns no plugin in the same case without that import.
    Any other name loads the real loader in its place, so that nothing else changes.
    """

    @staticmethod
    def get_plugins(*_args: Any, **_kwargs: Any) -> tuple[()]:
        if os.environ.get("PYDANTIC_DISABLE_PLUGINS") in _PLUGINS_OFF:
            return ()
        return tuple(_real_plugin_loader().get_plugins(*_args, **_kwargs))

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # the import system asks for __path__ and the like
            raise AttributeError(name)
        return getattr(_real_plugin_loader(), name)


def _real_plugin_loader() -> types.ModuleType:
    import importlib

    if isinstance(sys.modules.get(_PLUGIN_LOADER), _NoPlugins):
        del sys.modules[_PLUGIN_LOADER]
    return importlib.import_module(_PLUGIN_LOADER)


def _no_plugin_loader() -> None:
    """With plugins switched off (PYDANTIC_DISABLE_PLUGINS), let Pydantic find none without
    importing ``importlib.metadata`` (see _NoPlugins); the loader itself when already
    imported, or when the user switched plugins on."""
    if os.environ.get("PYDANTIC_DISABLE_PLUGINS") in _PLUGINS_OFF:
        sys.modules.setdefault(_PLUGIN_LOADER, _NoPlugins(_PLUGIN_LOADER))


# Main's own top-level commands (kept equal to build_parser's by a test).
_MAIN_COMMANDS = frozenset(
    {"frameworks", "assessment", "answer", "score", "export", "import", "history"}
)
# The actions of ``assessment`` that need not register ``assessment edit`` (see build_parser).
_LIGHT_ASSESSMENT_ACTIONS = frozenset({"create", "list", "delete"})
# Global options that take no value; the others (--db, --as and their abbreviations) do.
_FLAGS = ("-h", "--help", "--version")


def _command_word(argv: Sequence[str]) -> str | None:
    """The command word of ``argv`` (the first word that is not a global option or its value),
    or None (then the whole parser is built)."""
    at = _command_at(argv)
    return None if at is None else argv[at]


def _command_at(argv: Sequence[str]) -> int | None:
    """The index of ``_command_word`` in ``argv``, or None."""
    skip = False
    for at, word in enumerate(argv):
        if skip:
            skip = False
        elif word == "--":
            return None
        elif word.startswith("-"):
            # argparse takes any unambiguous prefix of a long option (--ver for --version)
            if word == "-h" or (len(word) > 2 and "--help".startswith(word)):
                return None  # help before the command word lists every command
            flag = word in _FLAGS or any(f.startswith(word) for f in _FLAGS if len(word) > 2)
            skip = "=" not in word and not flag
        else:
            return at
    return None


def _action_word(argv: Sequence[str], command: str | None) -> str | None:
    """The word right after the command word when it is no option (``assessment list``:
    "list"), else None."""
    at = _command_at(argv)
    if command is None or at is None or at + 1 >= len(argv) or argv[at + 1].startswith("-"):
        return None
    return argv[at + 1]


def _say(message: str) -> None:
    with contextlib.suppress(OSError, ValueError):  # stderr closed too: nothing left to tell
        print(f"airmf: {redact(message)}", file=sys.stderr)


def _quiet_stdout() -> None:
    """The reader of standard output went away (``| head``): stop writing to it, and keep the
    interpreter's final flush from failing again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (a test's capture)
        pass


def _history_args(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Split ``history ID [SUB]`` from ``history verify ID``."""
    words = [args.target, *args.rest]
    try:
        if words[0] == "verify":
            if len(words) != 2:
                parser.error("usage: airmf history verify ID")
            args.id, args.subcategory, args.handler = check_id(words[1]), None, cmd_history_verify
            return
        if len(words) > 2:
            parser.error("usage: airmf history ID [SUBCATEGORY] [--json]")
        args.id = check_id(words[0])
    except LimitError as exc:
        parser.error(f"history: {exc}")
    args.subcategory = words[1] if len(words) == 2 else None


def _run(args: argparse.Namespace) -> int:
    from app.services.bootstrap import open_services

    without_database = getattr(args, "without_database", None)
    if without_database is not None:  # e.g. restoring a backup over an unusable database
        try:
            return int(without_database(resolve(args.db), args))
        except ServiceError as exc:
            print(f"airmf: {exc}", file=sys.stderr)
            return 1
    try:
        actor = _actor(args.actor)  # before opening anything: a bad name changes nothing
        ctx = open_services(args.db, defer_catalog=True)
    except ServiceError as exc:
        print(f"airmf: {exc}", file=sys.stderr)
        return 1
    try:
        if not ctx.actor_from_server:
            ctx.actor = actor
        elif (args.actor or "").strip():  # team mode: the server login; another name is refused
            ctx.choose_actor(actor)
        return int(args.handler(ctx, args))
    except NeedsConfirmation as exc:
        print(f"airmf: {exc}; repeat with --force to replace it", file=sys.stderr)
        return 1
    except ServiceError as exc:
        print(f"airmf: {exc}", file=sys.stderr)
        return 1
    finally:
        ctx.db.dispose()


def _actor(given: str | None) -> str:
    """The name recorded in the history: ``--as``, else $AIRMF_ACTOR, else the OS user name.

    Raises InvalidInput naming the option or variable when the name breaks the rules of a name
    (at most NAME_MAX characters, no control characters).
    """
    from app.services.context import ENV_ACTOR, default_actor

    source, value = "--as", given
    if not (value or "").strip():
        source, value = f"${ENV_ACTOR}", os.environ.get(ENV_ACTOR, "")
    if not value.strip():
        return default_actor()
    try:
        return check_line(value, NAME_MAX, required=True)
    except LimitError as exc:
        raise InvalidInput(f"{source} {exc}") from None


if __name__ == "__main__":
    sys.exit(main())

"""The command line imports only what the command it runs needs (scripts call it per answer)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from app.cli import main as cli


def test_main_commands_are_the_parser_commands_main_adds() -> None:
    """_MAIN_COMMANDS and _MODULE_COMMANDS together are exactly the parser's commands, so that
    no command is left out of a parser built for one command."""
    parser = cli.build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    every = set(sub.choices)  # type: ignore[arg-type]
    assert every == set(cli._MAIN_COMMANDS) | set(cli._MODULE_COMMANDS)
    for command in [*cli._MAIN_COMMANDS, *cli._MODULE_COMMANDS]:
        # Built for one command, the parser holds that command's parser alone.
        only = cli.build_parser(command)
        sub = next(a for a in only._actions if a.dest == "command")
        assert set(sub.choices) == {command}  # type: ignore[arg-type]


@pytest.mark.parametrize("command", ["score", "answer", "assessment", "history", "export"])
def test_a_parser_built_for_one_command_parses_it_as_the_whole_parser(command: str) -> None:
    """The same namespace (handler and values) from the parser built for the command alone."""
    argv = {
        "score": ["score", "3", "--json"],
        "answer": ["answer", "3", "GV-1.1", "--coverage", "H", "--flag", "--due", ""],
        "assessment": ["assessment", "edit", "3", "--risk-tier", "high", "--no-genai"],
        "history": ["history", "verify", "3"],
        "export": ["export", "3", "--format", "csv", "-o", "x.csv"],
    }[command]
    whole = vars(cli.build_parser().parse_args(argv))
    alone = vars(cli.build_parser(command).parse_args(argv))
    assert alone == whole


def test_help_before_the_command_word_lists_every_command(capsys) -> None:  # type: ignore[no-untyped-def]
    for argv in (["-h", "score"], ["--he", "answer"], ["--db", "x", "--help", "score"]):
        assert cli._command_word(argv) is None
    with pytest.raises(SystemExit):
        cli.main(["-h", "score"])
    out = capsys.readouterr().out
    assert "frameworks" in out and "history" in out and "finalize" in out


@pytest.mark.parametrize(
    ("argv", "word"),
    [
        (["score", "3"], "score"),
        (["--db", "answer", "finalize", "3"], "finalize"),
        (["--db=x.sqlite3", "--as", "Kim", "trend", "S"], "trend"),
        (["--d", "score", "evidence", "list", "1"], "evidence"),
        (["--ver"], None),
        (["-h"], None),
        (["--", "score"], None),
    ],
)
def test_the_command_word_skips_global_options_and_their_values(argv, word) -> None:  # type: ignore[no-untyped-def]
    assert cli._command_word(argv) == word


@pytest.mark.parametrize(
    "argv",
    [
        ["finalize", "--help"],
        ["evidence", "purge", "--help"],
        ["backup", "list", "--help"],
        ["report", "--help"],
        ["--db", "finalize", "answer", "--help"],
    ],
)
def test_module_commands_still_parse_when_built_for_their_command(argv, capsys) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as done:
        cli.main(argv)
    assert done.value.code == 0
    assert "usage: airmf" in capsys.readouterr().out


def test_score_and_help_do_not_import_sqlalchemy_or_the_command_modules(tmp_path) -> None:  # type: ignore[no-untyped-def]
    db = str(tmp_path / "x.sqlite3")
    made = cli.main(
        ["--db", db, "--as", "T", "assessment", "create", "--name", "Q", "--system", "S"]
    )
    assert made == 0
    code = (
        "import sys\n"
        "from app.cli.main import main\n"
        f"assert main(['--db', {db!r}, 'frameworks', 'list']) == 0\n"
        f"assert main(['--db', {db!r}, 'score', '1']) == 0\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'reportlab')"
        " or m in ('app.cli.cycles', 'app.cli.report', 'app.cli.data', 'app.cli.evidence',"
        " 'app.cli.assessment_edit', 'app.domain.system_profile', 'app.services.lifecycle'))\n"
        "print('LOADED', bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "LOADED []" in out.stdout, out.stdout + out.stderr


def test_answer_and_list_on_sqlite_do_not_import_sqlalchemy(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A script's one-answer process saves on the sqlite3 driver alone (issue 13's start-up
    budget); a refused save, an integrity check and a list that caches new summaries do too."""
    db = str(tmp_path / "x.sqlite3")
    made = cli.main(
        ["--db", db, "--as", "T", "assessment", "create", "--name", "Q", "--system", "S"]
    )
    assert made == 0
    code = (
        "import sys\n"
        "from app.cli.main import main\n"
        f"assert main(['--db', {db!r}, '--as', 'T', 'answer', '1', 'GV-1.1', '--coverage', 'H',"
        " '--robustness', 'M', '--diversity', 'L']) == 0\n"
        f"assert main(['--db', {db!r}, '--as', 'T', 'answer', '1', 'GV-1.1', '--notes', 'n'])"
        " == 0\n"
        f"assert main(['--db', {db!r}, 'answer', '1', 'GV-1.1', '--na']) == 1\n"
        f"assert main(['--db', {db!r}, 'history', 'verify', '1']) == 0\n"
        f"assert main(['--db', {db!r}, 'assessment', 'list']) == 0\n"  # caches the summary
        "bad = sorted(m for m in sys.modules if m.split('.')[0] == 'sqlalchemy')\n"
        "print('LOADED', bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "LOADED []" in out.stdout, out.stdout + out.stderr
    assert cli.main(["--db", db, "history", "verify", "1"]) == 0
    import sqlite3

    con = sqlite3.connect(db)
    try:  # the list stored the summary it computed, on the driver too
        assert con.execute("SELECT count(*) FROM assessments WHERE summary IS NULL").fetchone() == (
            0,
        )
    finally:
        con.close()


# Prints the app's Pydantic models whose validators were built in the process (``BUILT [...]``).
_BUILT = (
    "import pydantic\n"
    "built = sorted(f'{m}.{k}' for m in list(sys.modules) if m.startswith('app.')"
    " for k, v in vars(sys.modules[m]).items() if isinstance(v, type)"
    " and issubclass(v, pydantic.BaseModel) and v.__module__ == m"
    " and v.__pydantic_complete__)\n"
    "print('BUILT', built)\n"
)


def _new_assessment(tmp_path) -> str:  # type: ignore[no-untyped-def]
    db = str(tmp_path / "x.sqlite3")
    made = cli.main(
        ["--db", db, "--as", "T", "assessment", "create", "--name", "Q", "--system", "S"]
    )
    assert made == 0
    return db


def test_reading_commands_neither_validate_the_catalog_nor_build_a_model(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Once a process has cached the validated catalog (app.catalog.cache), ``score`` and
    ``assessment list`` take it from the cache and build no Pydantic validator: the models
    are built on first use (defer_build) and these commands validate nothing."""
    from app.catalog.cache import CACHE_FILE
    from app.config.paths import default_cache_dir

    db = _new_assessment(tmp_path)  # this process wrote the cache
    code = (
        "import sys\n"
        "from app.cli.main import main\n"
        f"assert main(['--db', {db!r}, 'score', '1']) == 0\n"
        f"assert main(['--db', {db!r}, 'assessment', 'list']) == 0\n" + _BUILT
    )
    cached = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert cached.returncode == 0, cached.stderr
    assert "BUILT []" in cached.stdout, cached.stdout + cached.stderr
    (default_cache_dir() / CACHE_FILE).unlink()
    validated = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert validated.returncode == 0, validated.stderr
    assert "BUILT ['app.domain.framework.Framework'" in validated.stdout


@pytest.mark.parametrize(
    "changes",
    [
        ["--coverage", "H", "--robustness", "M", "--diversity", "L"],
        ["--notes", "first\tline\nsecond", "--owner", "Kim", "--due", "2027-01-31", "--flag"],
        ["--na", "--rationale", "Not used here", "--target", "4"],
    ],
)
def test_answer_builds_no_model_and_unpickles_no_guidance(tmp_path, changes) -> None:  # type: ignore[no-untyped-def]
    """A one-answer process (a new answer, then a change of it) builds no validator: the
    changed values, the new answer, its history entries and review state pass their rules
    unchanged (``assessment.validated_changes``, ``history.new_entries``); and it unpickles the
    framework's outline alone, not the Playbook guidance (``Catalog.outline``)."""
    db = _new_assessment(tmp_path)
    answer = f"['--db', {db!r}, '--as', 'T', 'answer', '1', 'MP-2.3', *{changes!r}]"
    code = (
        "import sys, gc\n"
        "from app.cli.main import main\n"
        f"assert main({answer}) == 0\n"
        f"assert main({answer[:-1]}, '--notes', 'changed']) == 0\n"
        "from app.domain.framework import Guidance, Link, ProfileAction\n"
        "print('GUIDANCE', sum(isinstance(o, (Guidance, Link, ProfileAction))"
        " for o in gc.get_objects()))\n" + _BUILT
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "BUILT []" in out.stdout, out.stdout + out.stderr
    assert "GUIDANCE 0" in out.stdout, out.stdout + out.stderr


def test_answer_with_actions_in_place_is_checked_against_the_whole_framework(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The outline has no guidance: an answer with Playbook actions ticked is checked against
    the whole framework, so a later change of its notes is saved (not refused as an action
    outside "0 suggested actions"), and an index outside the Playbook's is still refused."""
    from app.services.answers import AnswerService
    from app.services.bootstrap import open_services
    from app.services.errors import InvalidInput

    db = _new_assessment(tmp_path)
    ctx = open_services(db, defer_catalog=True)
    try:
        answers = AnswerService(ctx)
        answers.tick_actions(1, "GV-1.1", {0: True, 2: True})
        answers.tick_genai_actions(1, "GV-1.1", {"GV-1.1-001": True})
    finally:
        ctx.db.dispose()
    assert cli.main(["--db", db, "--as", "T", "answer", "1", "GV-1.1", "--notes", "n"]) == 0
    ctx = open_services(db, defer_catalog=True)
    try:
        stored = AnswerService(ctx).get(1, "GV-1.1")
        assert (stored.notes, stored.actions_in_place) == ("n", [0, 2])
        assert stored.genai_actions_in_place == ["GV-1.1-001"]
        with pytest.raises(InvalidInput, match="outside the"):
            AnswerService(ctx).tick_actions(1, "GV-1.1", {99: True})
    finally:
        ctx.db.dispose()


# What a script's one-answer and list processes leave unimported (issue 13's start-up budget):
# the integrity checks' export, actions and review modules, the profile models of
# ``assessment edit``.
_NOT_FOR_ANSWER = (
    "importlib.metadata",  # Pydantic's plugin search, switched off (main._NoPlugins)
    "logging",  # the command line logs nothing (config.redact, services.context)
    "app.services.integrity",
    "app.domain.exchange",
    "app.domain.actions",
    "app.domain.system_profile",
    "app.cli.assessment_edit",
    # An edit of a draft moves no review state (domain.review_state.edit_moves) and cites no
    # new file: neither the review models nor the evidence store are imported.
    "app.domain.review",
    "app.services.review",
    "app.services.evidence",
    "app.persistence.evidence_store",
    "app.domain.history_check",  # checks of a history, not its recording
    "statistics",
    "platformdirs",
    "shutil",  # argparse's own sizing imports it (main._HelpFormatter does not)
)
_NOT_FOR_LIST = (
    "logging",
    "statistics",  # scores are means by numbers.mean
    "platformdirs",  # the folders are given (--db, AIRMF_DATA_DIR): the defaults are unneeded
    "shutil",
    "app.domain.exchange",
    "app.domain.actions",
    "app.domain.review",
    "app.domain.system_profile",
    "app.cli.assessment_edit",
)


@pytest.mark.parametrize(
    ("argv", "unwanted"),
    [
        (
            [
                "--as",
                "T",
                "answer",
                "1",
                "GV-1.1",
                "--coverage",
                "H",
                "--robustness",
                "M",
                "--diversity",
                "L",
            ],
            _NOT_FOR_ANSWER,
        ),
        (["--as", "T", "answer", "1", "GV-1.1", "--notes", "m"], _NOT_FOR_ANSWER),
        (["assessment", "list"], _NOT_FOR_LIST),
        (["assessment", "list", "--json"], _NOT_FOR_LIST),
    ],
)
def test_answer_and_list_import_only_what_they_use(tmp_path, argv, unwanted) -> None:  # type: ignore[no-untyped-def]
    db = _new_assessment(tmp_path)
    code = (
        "import sys\n"
        "from app.cli.main import main\n"
        f"assert main(['--db', {db!r}, *{argv!r}]) == 0\n"
        f"print('LOADED', sorted(m for m in {unwanted!r} if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "LOADED []" in out.stdout, out.stdout + out.stderr


@pytest.mark.parametrize(
    ("argv", "command", "action"),
    [
        (["assessment", "list"], "assessment", "list"),
        (["--db", "x", "assessment", "edit", "3"], "assessment", "edit"),
        (["assessment", "--help"], "assessment", None),
        (["assessment"], "assessment", None),
        (["--db", "assessment", "score", "3"], "score", "3"),
        (["-h"], None, None),
    ],
)
def test_the_action_word_follows_the_command_word(argv, command, action) -> None:  # type: ignore[no-untyped-def]
    assert cli._command_word(argv) == command
    assert cli._action_word(argv, command) == action


@pytest.mark.parametrize("argv", [["assessment", "--help"], ["assessment", "edit", "--help"]])
def test_assessment_help_still_lists_edit(argv, capsys) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as done:
        cli.main(argv)
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert ("edit" in out) and ("--risk-tier" in out or "list" in out)


_PLUGINS_PROBE = """
import os, sys
{env}
from app.cli import main as cli
cli._no_plugin_loader()
loader = sys.modules.get("pydantic.plugin._loader")
from pydantic import BaseModel, ValidationError

class M(BaseModel):
    x: int

assert M(x="3").x == 3  # a validator is built and validates
try:
    M(x="a")
except ValidationError:
    pass
else:
    raise AssertionError("not validated")
from pydantic.plugin._schema_validator import create_schema_validator
from pydantic_core import SchemaValidator, core_schema
built = create_schema_validator(core_schema.int_schema(), M, "m", "M", "BaseModel")
print("STUB", type(loader).__name__ if loader is not None else None)
print("PLAIN", type(built) is SchemaValidator)
print("METADATA", "importlib.metadata" in sys.modules)
import pydantic.plugin._loader as real
print("GROUP", real.PYDANTIC_ENTRY_POINT_GROUP)
"""


@pytest.mark.parametrize(
    ("env", "stub", "metadata"),
    [
        ("os.environ['PYDANTIC_DISABLE_PLUGINS'] = '__all__'", "_NoPlugins", "False"),
        ("os.environ['PYDANTIC_DISABLE_PLUGINS'] = 'true'", "_NoPlugins", "False"),
        # The user's own setting: Pydantic's loader looks for the plugins not switched off.
        ("os.environ['PYDANTIC_DISABLE_PLUGINS'] = 'someplugin'", "None", "True"),
        ("os.environ.pop('PYDANTIC_DISABLE_PLUGINS', None)", "None", "True"),
    ],
)
def test_plugins_switched_off_are_not_searched_for(env, stub, metadata) -> None:  # type: ignore[no-untyped-def]
    """With plugins off, models build and validate as before (a plain validator: no plugin)
    without importing importlib.metadata; any other name of the loader is the real one."""
    code = _PLUGINS_PROBE.format(env=env)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert f"STUB {stub}" in out.stdout, out.stdout
    assert "PLAIN True" in out.stdout
    assert f"METADATA {metadata}" in out.stdout
    assert "GROUP pydantic" in out.stdout


def test_building_the_answer_validator_does_not_compile_the_tokenizer(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Pydantic reads each default factory's signature; a builtin's (``list``) is parsed
    with the tokenizer, whose expressions cost ~4 ms to compile: Answer's are plain
    functions, which still give every answer lists and a dict of its own."""
    from app.domain.assessment import Answer

    a, b = Answer(subcategory_id="GOVERN 1.1"), Answer(subcategory_id="GOVERN 1.2")
    for name in ("metrics", "evidence", "actions_in_place", "genai_actions_in_place"):
        assert getattr(a, name) == type(getattr(a, name))() and getattr(a, name) is not getattr(
            b, name
        )
    db = _new_assessment(tmp_path)
    code = (
        "import sys, tokenize\n"
        "from app.cli.main import main\n"
        f"assert main(['--db', {db!r}, '--as', 'T', 'answer', '1', 'GV-1.1', '--notes', 'n'])"
        " == 0\n"
        "from app.domain.assessment import Answer\n"
        "Answer.model_validate({'subcategory_id': 'GOVERN 1.1'})  # the window's first save\n"
        "assert Answer.__pydantic_complete__\n"
        "print('TOKENIZER', tokenize._compile.cache_info().currsize)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "TOKENIZER 0" in out.stdout, out.stdout + out.stderr


def test_a_list_of_cached_scores_loads_no_catalog(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The catalog is loaded when a command first uses it: ``assessment list`` shows the
    scores cached with each assessment and needs none; ``score`` loads it."""
    db = _new_assessment(tmp_path)
    assert cli.main(["--db", db, "assessment", "list"]) == 0  # caches the summary
    code = (
        "import sys\n"
        "from app.cli.main import main\n"
        f"assert main(['--db', {db!r}, 'assessment', 'list']) == 0\n"
        "print('LIST', 'app.catalog.cache' in sys.modules)\n"
        f"assert main(['--db', {db!r}, 'score', '1']) == 0\n"
        "print('SCORE', 'app.catalog.cache' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "LIST False" in out.stdout and "SCORE True" in out.stdout, out.stdout


def test_a_broken_catalog_is_one_message_when_first_used(tmp_path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    from app.catalog.loader import Catalog, CatalogError

    db = _new_assessment(tmp_path)
    assert cli.main(["--db", db, "assessment", "list"]) == 0  # caches the summary
    capsys.readouterr()

    def broken(cls, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise CatalogError("duplicate id 'GOVERN 1.1'", file="frameworks/x/framework.json")

    monkeypatch.setattr(Catalog, "load", classmethod(broken))
    for argv in (["score", "1"], ["answer", "1", "GV-1.1", "--notes", "n"], ["frameworks", "list"]):
        assert cli.main(["--db", db, "--as", "T", *argv]) == 1
        err = capsys.readouterr().err
        assert err == "airmf: frameworks/x/framework.json: duplicate id 'GOVERN 1.1'\n", err
    assert cli.main(["--db", db, "assessment", "list"]) == 0  # needs no catalog
    import sqlite3

    con = sqlite3.connect(db)
    try:  # nothing was written
        assert con.execute("SELECT count(*) FROM answers").fetchone() == (0,)
        assert con.execute("SELECT count(*) FROM answer_history").fetchone() == (0,)
    finally:
        con.close()


@pytest.mark.parametrize("columns", [None, "", "x", "0", "-3", "40", "200"])
def test_help_is_sized_as_argparse_sizes_it(monkeypatch, columns) -> None:  # type: ignore[no-untyped-def]
    """``terminal_columns`` is ``shutil.get_terminal_size().columns`` for every $COLUMNS, and
    the help of every command reads as argparse's own formatter writes it."""
    import argparse
    import shutil

    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", columns)
    assert cli.terminal_columns() == shutil.get_terminal_size().columns
    ours = cli.build_parser()
    monkeypatch.setattr(cli, "_HelpFormatter", argparse.HelpFormatter)
    theirs = cli.build_parser()
    assert ours.format_help() == theirs.format_help()
    for name in ("answer", "assessment", "evidence"):
        sub = next(a for a in ours._actions if a.dest == "command").choices[name]  # type: ignore[index]
        plain = next(a for a in theirs._actions if a.dest == "command").choices[name]  # type: ignore[index]
        assert sub.format_help() == plain.format_help()

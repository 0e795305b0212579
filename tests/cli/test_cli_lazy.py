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


def test_answer_builds_only_the_models_it_validates(tmp_path) -> None:  # type: ignore[no-untyped-def]
    db = _new_assessment(tmp_path)
    code = (
        "import sys\n"
        "from app.cli.main import main\n"
        f"assert main(['--db', {db!r}, '--as', 'T', 'answer', '1', 'GV-1.1', '--coverage', 'H',"
        " '--robustness', 'M', '--diversity', 'L']) == 0\n" + _BUILT
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    # The answer and its history entries; its review state is read with the answer as stored
    # text (no AnswerReview model unless an edit moves it back to draft).
    built = "BUILT ['app.domain.assessment.Answer', 'app.domain.assessment.HistoryEntry']"
    assert built in out.stdout, out.stdout + out.stderr

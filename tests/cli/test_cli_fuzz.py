"""Property test over the whole ``airmf`` argument space and over mutations of an export: whatever
the input (every subcommand; fuzzed ids, text with control characters, huge and Unicode-digit
numbers, hostile output paths; any change to an export file), the exit code is 0, 1 or 2, no
traceback or "unexpected error" is printed, and a refused command leaves the database unchanged.

Each example runs ``main()`` in-process on a fresh copy of a small database, so examples do not
depend on each other. Bounded (max_examples, no deadline) to stay well under a minute.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.cli.main import main

# -- the template database ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with a draft (1, answered, with history) and a finalized assessment (2), and an
    export of the first; examples start from a copy of it."""
    folder = tmp_path_factory.mktemp("fuzz-template")
    db = folder / "db.sqlite3"
    old = os.environ.get("AIRMF_DB")
    os.environ["AIRMF_DB"] = str(db)
    try:
        for argv in (
            ["assessment", "create", "--name", "Draft", "--system", "Scorer", "--genai"],
            ["answer", "1", "GV-1.1", "--coverage", "H", "--robustness", "M", "--diversity", "L"],
            ["answer", "1", "MAP 1.1", "--na", "--rationale", "No users", "--notes", "n"],
            ["assessment", "create", "--name", "Final", "--system", "Scorer"],
            ["finalize", "2", "--signer", "Ann", "--role", "CISO"],
            ["export", "1", "-o", str(folder / "export.json")],
        ):
            with _captured():
                assert main(argv) == 0, argv
    finally:
        if old is None:
            os.environ.pop("AIRMF_DB", None)
        else:
            os.environ["AIRMF_DB"] = old
    return folder


@contextlib.contextmanager
def _captured() -> Iterator[tuple[io.TextIOWrapper, io.TextIOWrapper]]:
    """Standard output and error as binary-backed text streams (``-o -`` writes bytes)."""
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="replace")
    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="replace")
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        yield out, err
    finally:
        sys.stdout, sys.stderr = saved


def _text_of(stream: io.TextIOWrapper) -> str:
    stream.flush()
    return stream.buffer.getvalue().decode("utf-8", "replace")  # type: ignore[attr-defined]


def db_state(db: Path) -> str:
    """Everything stored (the optional score cache aside), as one digest."""
    con = sqlite3.connect(db)
    try:
        con.execute("BEGIN")
        con.execute("UPDATE assessments SET summary = NULL")
        dump = "\n".join(con.iterdump())
        con.rollback()
    finally:
        con.close()
    return hashlib.sha256(dump.encode()).hexdigest()


def run_cli(
    folder: Path, argv: list[str], env: dict[str, str] | None = None
) -> tuple[int, str, str]:
    """Run ``airmf argv`` on ``folder/db.sqlite3``; return (exit code, stdout, stderr)."""
    saved = {k: os.environ.get(k) for k in ("AIRMF_DB", "AIRMF_ACTOR")}
    os.environ["AIRMF_DB"] = str(folder / "db.sqlite3")
    os.environ.pop("AIRMF_ACTOR", None)
    os.environ.update(env or {})
    cwd = os.getcwd()
    os.chdir(folder)  # relative output names land in the example's folder
    try:
        with _captured() as (out, err):
            try:
                code = main(argv)
            except SystemExit as exc:  # argparse: usage error (2), --help / --version (0)
                code = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 2
            return code, _text_of(out), _text_of(err)
    finally:
        os.chdir(cwd)
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@contextlib.contextmanager
def fresh_copy(template: Path) -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="airmf-fuzz-") as tmp:
        folder = Path(tmp)
        shutil.copy2(template / "db.sqlite3", folder / "db.sqlite3")
        shutil.copy2(template / "export.json", folder / "export.json")
        os.mkfifo(folder / "fifo")
        (folder / "a-folder").mkdir()
        (folder / "notes.txt").write_text("someone's notes")
        (folder / "loop").symlink_to(folder / "loop")  # a symbolic link to itself
        yield folder


def check(folder: Path, argv: list[str], env: dict[str, str] | None = None) -> None:
    before = db_state(folder / "db.sqlite3")
    code, out, err = run_cli(folder, argv, env)
    assert code in (0, 1, 2), (argv, code, err)
    assert "Traceback" not in err, (argv, err)
    assert "unexpected error" not in err, (argv, err)
    assert "secret" not in err + out, (argv, "a password is never shown")
    if code != 0:
        assert (err or out).strip(), (argv, "a refusal says why")
        assert db_state(folder / "db.sqlite3") == before, (argv, err)


# -- strategies --------------------------------------------------------------------------------
SECRET_URL = "postgresql+psycopg://u:secret@127.0.0.1:1/x"
HOSTILE_TEXT = st.one_of(
    st.text(max_size=24),
    st.text(st.characters(max_codepoint=0x9F), max_size=12),  # ASCII and C0/C1 controls
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "\x1b[2J",
            "a\nb",
            "bad\udcff",
            "x" * 201,
            "x" * 1001,
            "y" * 20_001,
            "²",
            "‮rtl",
        ]
    ),
)
IDS = st.one_of(
    st.sampled_from(["1", "2", "3", "0", "-1", "²", "٣", "1.5", " 1", "", "1e3", "0x1"]),
    st.sampled_from(["9223372036854775807", "9223372036854775808", "9" * 20, "1" + "0" * 5000]),
    st.integers(min_value=-5, max_value=2**70).map(str),
    st.text(max_size=6),
)
SUBS = st.one_of(
    st.sampled_from(["GOVERN 1.1", "GV-1.1", "MAP 1.1", "MEASURE 2.7", "MAP 9.9", "GOVERN"]),
    HOSTILE_TEXT,
)
METRIC = st.sampled_from(["L", "M", "H", "Low", "x", "", "\x00", "²"])
OUTPUTS = st.sampled_from(
    [
        "{d}/out.json",
        "{d}/out.pdf",
        "{d}/db.sqlite3",
        "{d}/db.sqlite3-wal",
        "{d}/db.sqlite3-shm",
        "{d}/fifo",
        "{d}/a-folder",
        "{d}/notes.txt",
        "{d}/loop",
        "{d}/backups/b.sqlite3",
        "{d}/evidence/ab/cd",
        "{d}/missing/x.pdf",
        "-",
        "x" * 300,
        "",
    ]
)
INPUTS = st.sampled_from(
    [
        "{d}/export.json",
        "{d}/notes.txt",
        "{d}/db.sqlite3",
        "{d}/a-folder",
        "{d}/missing.json",
        "/dev/null",
        "y" * 300,
        "",
    ]
)


def _opt(flag: str, values: st.SearchStrategy[str]) -> st.SearchStrategy[list[str]]:
    return st.one_of(st.just([]), values.map(lambda v: [flag, v]))


def _flag(flag: str) -> st.SearchStrategy[list[str]]:
    return st.sampled_from([[], [flag]])


def _cmd(*parts: st.SearchStrategy[list[str]] | list[str]) -> st.SearchStrategy[list[str]]:
    strategies = [st.just(p) if isinstance(p, list) else p for p in parts]
    return st.tuples(*strategies).map(lambda groups: [w for g in groups for w in g])


def _one(values: st.SearchStrategy[str]) -> st.SearchStrategy[list[str]]:
    return values.map(lambda v: [v])


COMMANDS = st.one_of(
    _cmd(["frameworks", "list"]),
    _cmd(
        ["assessment", "create"],
        _opt("--name", HOSTILE_TEXT),
        _opt("--system", HOSTILE_TEXT),
        _opt("--target", IDS),
        _opt("--risk", st.sampled_from(["cbrn", "privacy", "nope", ""])),
        _opt("--risk", st.sampled_from(["cbrn", "privacy"])),
        _opt("--organization", HOSTILE_TEXT),
    ),
    _cmd(["assessment", "list"], _flag("--json")),
    _cmd(["assessment", "delete"], _one(IDS), _flag("--yes")),
    _cmd(
        ["answer"],
        _one(IDS),
        _one(SUBS),
        _opt("--coverage", METRIC),
        _opt("--robustness", METRIC),
        _opt("--diversity", METRIC),
        _opt("--level", IDS),
        _flag("--na"),
        _opt("--rationale", HOSTILE_TEXT),
        _opt("--notes", HOSTILE_TEXT),
        _opt("--owner", HOSTILE_TEXT),
        _opt("--target", IDS),
        _flag("--flag"),
    ),
    _cmd(["score"], _one(IDS), _flag("--json")),
    _cmd(
        ["export"],
        _one(IDS),
        st.sampled_from([[], ["--format", "bundle"], ["--format", "xml"]]),
        _opt("-o", OUTPUTS),
        _flag("--force"),
    ),
    _cmd(["import"], _one(INPUTS)),
    _cmd(["history"], _one(IDS), st.one_of(st.just([]), _one(SUBS)), _flag("--json")),
    _cmd(["history", "verify"], _one(IDS)),
    _cmd(
        ["finalize"],
        _one(IDS),
        _opt("--signer", HOSTILE_TEXT),
        _opt("--role", HOSTILE_TEXT),
        _opt("--statement", HOSTILE_TEXT),
    ),
    _cmd(["reopen"], _one(IDS), _opt("--reason", HOSTILE_TEXT)),
    _cmd(["verify"], _one(IDS)),
    _cmd(["next-cycle"], _one(IDS), _opt("--name", HOSTILE_TEXT)),
    _cmd(["compare"], _one(IDS), _one(IDS), st.sampled_from([[], ["--only", "changes"]])),
    _cmd(["trend"], _opt("--system", st.one_of(st.just("Scorer"), HOSTILE_TEXT)), _flag("--json")),
    _cmd(
        ["report"],
        _one(IDS),
        _opt("-o", OUTPUTS),
        _opt("--paper", st.sampled_from(["a4", "LETTER", "a0"])),
        _opt("--label", HOSTILE_TEXT),
        _flag("--force"),
    ),
    _cmd(["backup"], st.sampled_from([["list"], ["create"], ["restore"], []])),
    _cmd(["backup", "restore"], _one(INPUTS)),
    st.lists(HOSTILE_TEXT, max_size=4),  # anything at all
)


def _expand(words: list[str], folder: Path) -> list[str]:
    return [w.replace("{d}", str(folder)) for w in words]


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    command=COMMANDS,
    actor=st.one_of(st.none(), HOSTILE_TEXT),
    env_actor=st.one_of(st.none(), st.sampled_from(["Ann", "bad\x01", "x" * 300, " "])),
    db=st.one_of(
        st.none(),
        st.none(),
        st.sampled_from(
            ["{d}/fifo", "{d}/a-folder", "{d}/notes.txt", "/dev/null", SECRET_URL, "x://"]
        ),
    ),
)
def test_any_command_line_exits_cleanly(template, command, actor, env_actor, db) -> None:  # type: ignore[no-untyped-def]
    with fresh_copy(template) as folder:
        argv = _expand(command, folder)
        if actor is not None:
            argv = ["--as", actor, *argv]
        if db is not None:
            argv = ["--db", db.replace("{d}", str(folder)), *argv]
        check(folder, argv, None if env_actor is None else {"AIRMF_ACTOR": env_actor})


# -- mutations of an export ----------------------------------------------------------------------
def _paths(node: object, prefix: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    out: list[tuple[object, ...]] = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out += _paths(value, (*prefix, i))
    return out


HUGE_INT = "HUGE_INT_PLACEHOLDER"
HOSTILE_VALUES = st.one_of(
    st.sampled_from(
        [
            10**30,
            2**63,
            -(2**63) - 1,
            HUGE_INT,  # replaced by a 5,000-digit integer in the file's text
            "0001-01-01T00:00:00Z",
            "9999-12-31T23:59:59+00:00",
            "2026-01-01T00:00:00",
            "\x00",
            "\x1b[31m",
            "x" * 20_001,
            None,
            [],
            {},
            True,
            1e308,
        ]
    ),
    st.integers(),
    st.text(max_size=10),
)


def _mutate(doc: object, path: tuple[object, ...], how: str, value: object) -> object:
    doc = copy.deepcopy(doc)
    if not path:
        return value
    parent = doc
    for key in path[:-1]:
        parent = parent[key]  # type: ignore[index]
    last = path[-1]
    if how == "delete":
        del parent[last]  # type: ignore[union-attr, arg-type]
    elif how == "duplicate" and isinstance(parent[last], list) and parent[last]:  # type: ignore[index]
        parent[last] = parent[last] * 3  # type: ignore[index]
    else:
        parent[last] = value  # type: ignore[index]
    return doc


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_any_mutated_export_imports_or_is_refused_cleanly(template, data) -> None:  # type: ignore[no-untyped-def]
    original = json.loads((template / "export.json").read_text())
    path = data.draw(st.sampled_from(_paths(original)), label="path")
    how = data.draw(st.sampled_from(["set", "set", "delete", "duplicate"]), label="how")
    value = data.draw(HOSTILE_VALUES, label="value")
    mutated = _mutate(original, path, how, value)
    text = json.dumps(mutated, ensure_ascii=False)
    text = re.sub(f'"{HUGE_INT}"', "9" * 5000, text)
    with fresh_copy(template) as folder:
        bad = folder / "mutated.json"
        bad.write_text(text, encoding="utf-8")
        check(folder, ["import", str(bad)])

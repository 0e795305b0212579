"""Team mode on a real PostgreSQL server: who is recorded, and what a member may choose."""

from __future__ import annotations

import json

import pytest

from app.cli.main import main


@pytest.fixture
def team_db(pg_cluster, pg_url):  # type: ignore[no-untyped-def]
    """The test database set up as README "Team mode" says: an owner who creates the schema,
    and a members' group with the right to read and write its rows."""
    name = pg_url.rsplit("/", 1)[1]
    for statement in (
        "CREATE ROLE airmf_team NOLOGIN",
        "CREATE ROLE dana LOGIN IN ROLE airmf_team",
        "CREATE ROLE sam LOGIN IN ROLE airmf_team",
    ):
        pg_cluster.admin(
            f"DO $$ BEGIN {statement}; EXCEPTION WHEN duplicate_object THEN NULL; END $$"
        )
    pg_cluster.admin(f"ALTER DATABASE {name} OWNER TO dana")
    # The owner's first start creates the schema; then the members get the use of its rows.
    assert main(["--db", pg_cluster.url(name, user="dana"), "assessment", "list"]) == 0
    for grant in (
        "GRANT USAGE ON SCHEMA public TO airmf_team",
        "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO airmf_team",
        "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO airmf_team",
    ):
        pg_cluster.admin(grant, database=name, user="dana")
    return pg_cluster, name


def _run(capsys, url: str, *args: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    code = main(["--db", url, *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_history_records_the_server_login(team_db, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    cluster, name = team_db
    dana = cluster.url(name, user="dana")
    monkeypatch.setenv("AIRMF_ACTOR", "Somebody Else")  # a typed name is not what is recorded
    code, out, err = _run(capsys, dana, "assessment", "create", "--name", "Team")
    assert code == 0, err
    aid = out.strip()
    assert _run(capsys, dana, "answer", aid, "GOVERN 1.1", "--notes", "from dana")[0] == 0
    sam = cluster.url(name, user="sam")
    assert _run(capsys, sam, "answer", aid, "GOVERN 1.1", "--notes", "from sam")[0] == 0
    entries = json.loads(_run(capsys, dana, "history", aid, "--json")[1])
    assert [(e["actor"], e["new"]) for e in entries] == [("dana", "from dana"), ("sam", "from sam")]
    assert _run(capsys, sam, "history", "verify", aid)[0] == 0


def test_a_typed_name_is_refused_in_team_mode(team_db, capsys) -> None:  # type: ignore[no-untyped-def]
    cluster, name = team_db
    dana = cluster.url(name, user="dana")
    aid = _run(capsys, dana, "assessment", "create", "--name", "Team")[1].strip()
    before = _run(capsys, dana, "history", aid, "--json")[1]
    code, _, err = _run(
        capsys, dana, "--as", "Sam Ortiz", "answer", aid, "GOVERN 1.1", "--notes", "x"
    )
    assert code == 1 and "database login (dana)" in err and err.count("\n") == 1
    assert _run(capsys, dana, "history", aid, "--json")[1] == before
    # Naming oneself as the login is accepted (scripts that always pass --as keep working).
    assert _run(capsys, dana, "--as", "dana", "answer", aid, "GOVERN 1.1", "--notes", "y")[0] == 0


def test_a_member_cannot_upgrade_the_schema_and_is_told_who_can(team_db, capsys) -> None:  # type: ignore[no-untyped-def]
    cluster, name = team_db
    # As if the database were left at an older revision by an older app.
    cluster.admin("UPDATE alembic_version SET version_num = '0001'", database=name, user="dana")
    code, _, err = _run(capsys, cluster.url(name, user="sam"), "assessment", "list")
    assert code == 1 and err.count("\n") == 1
    assert "only the database's owner" in err and "from revision 0001" in err


def test_review_and_four_eyes_use_the_server_login(team_db, capsys) -> None:  # type: ignore[no-untyped-def]
    """Review moves are recorded under the login; the four-eyes rule sees the logins that
    changed answers, so dana cannot approve her own work and sam can."""
    cluster, name = team_db
    dana, sam = cluster.url(name, user="dana"), cluster.url(name, user="sam")
    aid = _run(capsys, dana, "assessment", "create", "--name", "Team")[1].strip()
    assert _run(capsys, dana, "answer", aid, "GOVERN 1.1", "--notes", "from dana")[0] == 0
    assert _run(capsys, dana, "review", aid, "GOVERN 1.1", "--ready")[0] == 0
    assert _run(capsys, sam, "review", aid, "GOVERN 1.1", "--approve")[0] == 0
    listed = json.loads(_run(capsys, dana, "review", aid, "--list", "--json")[1])
    assert listed[0]["state"] == "reviewed" and listed[0]["set_by"] == "sam"
    code, _, err = _run(capsys, dana, "finalize", aid, "--approver", "dana", "--role", "Lead")
    assert code == 1 and "approver dana made the last change to GOVERN 1.1" in err
    assert _run(capsys, sam, "finalize", aid, "--approver", "sam", "--role", "CRO")[0] == 0
    assert _run(capsys, sam, "verify", aid)[0] == 0

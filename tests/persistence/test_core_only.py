"""The store reads and writes with SQLAlchemy Core only (issue 13: "a server implementation on
SQLAlchemy Core"): no ORM session anywhere in persistence or the services. The declarative
classes in ``rows.py`` (and the row modules it registers) stay as the schema's definition for
Alembic and the schema check; nothing else of ``sqlalchemy.orm`` is used."""

from __future__ import annotations

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"
# What may be imported from sqlalchemy.orm: the declarative schema only.
SCHEMA_NAMES = {"DeclarativeBase", "Mapped", "mapped_column", "relationship"}


def _sources() -> list[Path]:
    return sorted([*(APP / "persistence").rglob("*.py"), *(APP / "services").rglob("*.py")])


def test_no_orm_session_in_persistence_or_services() -> None:
    found: list[str] = []
    for path in _sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        where = path.relative_to(APP.parent)
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                "sqlalchemy.orm"
            ):
                names = {a.name for a in node.names} - SCHEMA_NAMES
                if names:
                    found.append(f"{where}:{node.lineno} imports {sorted(names)}")
            elif isinstance(node, ast.Import) and any(
                a.name.startswith("sqlalchemy.orm") for a in node.names
            ):
                found.append(f"{where}:{node.lineno} imports sqlalchemy.orm")
            elif isinstance(node, ast.Attribute) and node.attr in {"Session", "sessionmaker"}:
                found.append(f"{where}:{node.lineno} uses {node.attr}")
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in {"scalars", "flush"}
                and isinstance(node.func.value, ast.Attribute)
                and node.func.value.attr == "session"
            ):
                found.append(f"{where}:{node.lineno} calls session.{node.func.attr}")
    assert found == []


def test_the_scan_sees_a_session() -> None:
    """The scan above finds what it looks for (so that its empty result means something)."""
    sample = "from sqlalchemy.orm import Session, Mapped\nself.session.scalars(x)\n"
    tree = ast.parse(sample)
    imports = [n for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert {a.name for a in imports[0].names} - SCHEMA_NAMES == {"Session"}
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)]
    assert calls[0].func.attr == "scalars"  # type: ignore[attr-defined]

"""A broken framework, profile or scheme file is refused whole, naming the file and field path."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app.catalog import Catalog, CatalogError, frameworks_root

FRAMEWORK = "frameworks/nist-ai-rmf-1.0/framework.json"
PROFILE = "frameworks/nist-ai-rmf-1.0/profiles/nist-ai-600-1/profile.json"
RUBRIC = "frameworks/schemes/rubric.json"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A private copy of the shipped frameworks/ folder, safe to break."""
    root = tmp_path / "frameworks"
    shutil.copytree(frameworks_root(), root)
    return root


def _edit(tree: Path, relative: str, change: Callable[[Any], None]) -> None:
    path = tree.parent / relative
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")


def _refusal(tree: Path) -> str:
    with pytest.raises(CatalogError) as info:
        Catalog.load(tree)
    return str(info.value)


def _sub(data: Any, f: int, c: int, s: int) -> dict[str, Any]:
    sub: dict[str, Any] = data["functions"][f]["categories"][c]["subcategories"][s]
    return sub


def test_the_copy_loads(tree: Path) -> None:
    assert len(Catalog.load(tree).framework("nist-ai-rmf-1.0").subcategories()) == 72


def test_missing_id(tree: Path) -> None:
    _edit(tree, FRAMEWORK, lambda d: _sub(d, 0, 2, 1).pop("id"))
    assert _refusal(tree) == (
        f"{FRAMEWORK}: functions.0.categories.2.subcategories.1.id: Field required"
    )


def test_duplicate_subcategory_id(tree: Path) -> None:
    _edit(tree, FRAMEWORK, lambda d: _sub(d, 0, 2, 1).update(id="GOVERN 1.1"))
    assert _refusal(tree) == (
        f"{FRAMEWORK}: functions.0.categories.2.subcategories.1.id: duplicate id 'GOVERN 1.1'"
    )


def test_duplicate_category_id(tree: Path) -> None:
    _edit(tree, FRAMEWORK, lambda d: d["functions"][1]["categories"][0].update(id="GOVERN 1"))
    assert _refusal(tree) == (f"{FRAMEWORK}: functions.1.categories.0.id: duplicate id 'GOVERN 1'")


def test_wrong_type(tree: Path) -> None:
    _edit(tree, FRAMEWORK, lambda d: _sub(d, 3, 0, 0).update(text=5))
    message = _refusal(tree)
    assert message.startswith(f"{FRAMEWORK}: functions.3.categories.0.subcategories.0.text: ")
    assert "valid string" in message and "5" in message


def test_wrong_type_in_guidance(tree: Path) -> None:
    _edit(
        tree,
        FRAMEWORK,
        lambda d: _sub(d, 1, 0, 0)["guidance"].update(suggested_actions="one action"),
    )
    assert _refusal(tree).startswith(
        f"{FRAMEWORK}: functions.1.categories.0.subcategories.0.guidance.suggested_actions: "
    )


def test_unknown_field(tree: Path) -> None:
    _edit(tree, FRAMEWORK, lambda d: d.update(schema_version=1))
    assert _refusal(tree) == (
        f"{FRAMEWORK}: schema_version: unknown field (not part of the file format)"
    )


def test_not_an_object(tree: Path) -> None:
    (tree / "schemes" / "direct.json").write_text("[1, 2]", encoding="utf-8")
    assert _refusal(tree) == "frameworks/schemes/direct.json: expected a JSON object"


def test_several_problems_are_listed(tree: Path) -> None:
    def drop_texts(d: Any) -> None:
        for s in range(7):
            _sub(d, 0, 0, s).pop("text")

    _edit(tree, FRAMEWORK, drop_texts)
    message = _refusal(tree)
    assert message.startswith(f"{FRAMEWORK}: functions.0.categories.0.subcategories.0.text: ")
    assert message.endswith("subcategories.4.text: Field required; and 2 more problems")


def test_profiles_inside_framework_file(tree: Path) -> None:
    profile = json.loads((tree.parent / PROFILE).read_text(encoding="utf-8"))
    _edit(tree, FRAMEWORK, lambda d: d.update(profiles=[profile]))
    assert _refusal(tree).startswith(f"{FRAMEWORK}: profiles: must be empty")


def test_action_pointing_to_unknown_subcategory(tree: Path) -> None:
    _edit(tree, PROFILE, lambda d: d["actions"][5].update(subcategory="GOVERN 9.9"))
    assert _refusal(tree) == (f"{PROFILE}: actions.5.subcategory: unknown subcategory 'GOVERN 9.9'")


def test_action_pointing_to_unknown_risk(tree: Path) -> None:
    _edit(tree, PROFILE, lambda d: d["actions"][7].update(risks=["cbrn", "weather"]))
    assert _refusal(tree) == f"{PROFILE}: actions.7.risks: unknown risk id 'weather'"


def test_profile_for_another_framework(tree: Path) -> None:
    _edit(tree, PROFILE, lambda d: d.update(framework_id="other"))
    assert _refusal(tree) == f"{PROFILE}: framework_id: 'other' != 'nist-ai-rmf-1.0'"


def test_profile_missing_action_text(tree: Path) -> None:
    _edit(tree, PROFILE, lambda d: d["actions"][211].pop("text"))
    assert _refusal(tree) == f"{PROFILE}: actions.211.text: Field required"


def test_invalid_json(tree: Path) -> None:
    path = tree.parent / FRAMEWORK
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[2] = lines[2].replace(",", "")  # ' "name": "...",' loses its comma
    path.write_text("".join(lines), encoding="utf-8")
    message = _refusal(tree)
    assert message.startswith(f"{FRAMEWORK}: invalid JSON at line 4, column 2: ")


def test_truncated_json(tree: Path) -> None:
    path = tree.parent / RUBRIC
    path.write_bytes(path.read_bytes()[:200])
    assert _refusal(tree).startswith(f"{RUBRIC}: invalid JSON at line ")


def test_not_utf8(tree: Path) -> None:
    path = tree.parent / RUBRIC
    path.write_bytes(path.read_bytes().replace(b"Coverage", b"Cov\xe9rage"))
    assert _refusal(tree).startswith(f"{RUBRIC}: not UTF-8 text")


def test_duplicate_json_key(tree: Path) -> None:
    path = tree.parent / RUBRIC
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            '"id": "rubric",', '"id": "rubric", "id": "rubric",', 1
        ),
        encoding="utf-8",
    )
    assert _refusal(tree) == f"{RUBRIC}: invalid JSON: the key 'id' appears twice in one object"


def test_scheme_wrong_type(tree: Path) -> None:
    _edit(tree, RUBRIC, lambda d: d["metrics"][0]["options"][2].update(points="three"))
    assert _refusal(tree).startswith(f"{RUBRIC}: metrics.0.options.2.points: ")


def test_scheme_score_table_with_a_gap(tree: Path) -> None:
    _edit(tree, RUBRIC, lambda d: d["score_table"].pop(1))
    assert _refusal(tree) == f"{RUBRIC}: score_table: 4 points must fall in exactly one band"


def test_id_must_match_its_file_name(tree: Path) -> None:
    shutil.copy(tree / "schemes" / "direct.json", tree / "schemes" / "direct2.json")
    assert _refusal(tree) == (
        "frameworks/schemes/direct2.json: id: 'direct' does not match its file name 'direct2'"
    )


def test_hidden_and_unrelated_entries_are_ignored(tree: Path) -> None:
    (tree / "schemes" / ".rubric.json.abc.part").write_text("{", encoding="utf-8")
    (tree / "notes").mkdir()
    (tree / "notes" / "readme.txt").write_text("x", encoding="utf-8")
    assert [s.id for s in Catalog.load(tree).schemes()] == ["direct", "rubric"]


def test_empty_or_missing_root(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="does not exist"):
        Catalog.load(tmp_path / "nowhere")
    with pytest.raises(CatalogError, match="no framework"):
        Catalog.load(tmp_path)


def test_unknown_ids(catalog) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CatalogError, match="unknown framework 'nist-csf-2.0'"):
        catalog.framework("nist-csf-2.0")
    with pytest.raises(CatalogError, match="unknown rating scheme 'stars'"):
        catalog.scheme("stars")

"""The shipped catalog: counts, verbatim NIST text, Playbook guidance, GenAI profile, schemes."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path
from typing import Any

import pytest

from app.domain.framework import Framework
from app.domain.rating import RatingScheme

REPO = Path(__file__).resolve().parents[2]
REFERENCE = REPO.parent / "shared" / "reference"


def _reference(name: str) -> Any:
    path = REFERENCE / name
    if not path.is_file():
        pytest.skip(f"reference data not available: {path}")
    return json.loads(path.read_text(encoding="utf-8"))


def test_counts(framework: Framework) -> None:
    assert len(framework.functions) == 4
    assert len(framework.categories()) == 19
    assert len(framework.subcategories()) == 72
    per_function = {
        f.id: (len(f.categories), sum(len(c.subcategories) for c in f.categories))
        for f in framework.functions
    }
    assert per_function == {
        "GOVERN": (6, 19),
        "MAP": (5, 18),
        "MEASURE": (4, 22),
        "MANAGE": (4, 13),
    }


def test_identity_and_sources(framework: Framework) -> None:
    assert (framework.id, framework.name, framework.version) == (
        "nist-ai-rmf-1.0",
        "NIST AI Risk Management Framework",
        "1.0",
    )
    assert framework.source.identifier == "NIST AI 100-1"
    assert framework.source.doi == "https://doi.org/10.6028/NIST.AI.100-1"
    assert len(framework.source.sha256) == 64
    assert framework.source.retrieved == "2026-11-26"
    assert framework.guidance_source is not None
    assert framework.guidance_source.identifier == "NIST AI RMF Playbook"
    assert [p.id for p in framework.profiles] == ["nist-ai-600-1"]


def test_text_is_the_core_text_verbatim(framework: Framework) -> None:
    core = _reference("ai_rmf_core.json")
    assert [f.id for f in framework.functions] == [f["id"] for f in core["functions"]]
    for ref_f, f in zip(core["functions"], framework.functions, strict=True):
        assert (f.code, f.title, f.description) == (
            ref_f["code"],
            ref_f["title"],
            ref_f["description"],
        )
        assert list(f.overview) == ref_f["overview"]
        assert [(c.id, c.title) for c in f.categories] == [
            (c["id"], c["title"]) for c in ref_f["categories"]
        ]
        for ref_c, c in zip(ref_f["categories"], f.categories, strict=True):
            assert [(s.id, s.text) for s in c.subcategories] == [
                (s["id"], s["text"]) for s in ref_c["subcategories"]
            ]


def test_statements_never_use_the_playbook_wording(framework: Framework) -> None:
    playbook = _reference("ai_rmf_playbook.json")
    differing = [
        s.id for s in framework.subcategories() if s.text != playbook[s.id]["playbook_statement"]
    ]
    assert len(differing) == 33  # PROVENANCE.md: the Playbook wording predates AI 100-1
    assert framework.subcategory("GOVERN 5.2").text.count("the team that developed") == 1


def test_every_subcategory_has_playbook_guidance(framework: Framework) -> None:
    for s in framework.subcategories():
        assert s.guidance is not None, s.id
        assert s.guidance.about.strip(), s.id
        assert s.guidance.suggested_actions, s.id
        assert all(a.strip() for a in s.guidance.suggested_actions), s.id


def _repairs() -> dict[tuple[str, str], dict[str, Any]]:
    """frameworks/.../repairs.json keyed by (subcategory, field path)."""
    path = REPO / "frameworks" / "nist-ai-rmf-1.0" / "repairs.json"
    repairs = json.loads(path.read_text(encoding="utf-8"))["repairs"]
    keyed = {(r["item"], r["field"]): r for r in repairs}
    assert len(keyed) == len(repairs), "one repair record per field"
    for r in repairs:
        assert r["before"] != r["after"] and r["why"].strip(), r
    return keyed


def test_guidance_is_the_playbook_verbatim(framework: Framework) -> None:
    """Every field equals the Playbook's, except where repairs.json records the exact change."""
    playbook = _reference("ai_rmf_playbook.json")
    repairs = _repairs()
    used: set[tuple[str, str]] = set()

    def check(item: str, field: str, got: Any, ref: Any) -> None:
        repair = repairs.get((item, field))
        if repair is None:
            assert got == ref, f"{item} {field} differs from the Playbook without a repair record"
        else:
            used.add((item, field))
            assert (repair["before"], repair["after"]) == (ref, got), (item, field)

    assert set(playbook) == set(framework.subcategory_ids())
    for s in framework.subcategories():
        ref, g = playbook[s.id], s.guidance
        assert g is not None
        check(s.id, "guidance.about", g.about, ref["about"])
        check(
            s.id,
            "guidance.suggested_actions_intro",
            g.suggested_actions_intro,
            ref.get("suggested_actions_intro", ""),
        )
        assert len(g.suggested_actions) == len(ref["suggested_actions"]), s.id
        for i, (got, want) in enumerate(
            zip(g.suggested_actions, ref["suggested_actions"], strict=True)
        ):
            check(s.id, f"guidance.suggested_actions[{i}]", got, want)
        assert len(g.documentation) == len(ref["documentation"]), s.id
        for i, (got, want) in enumerate(zip(g.documentation, ref["documentation"], strict=True)):
            check(s.id, f"guidance.documentation[{i}]", got, want)
        assert list(g.ai_actors) == ref["ai_actors"]
        assert list(g.topics) == ref["topics"]
        for kind, links, ref_links in (
            ("resources", g.resources, ref["resources"]),
            ("references", g.references, ref["references"]),
        ):
            assert len(links) == len(ref_links), (s.id, kind)
            for i, (x, r) in enumerate(zip(links, ref_links, strict=True)):
                check(s.id, f"guidance.{kind}[{i}].text", x.text, r["text"])
                check(s.id, f"guidance.{kind}[{i}].urls", list(x.urls), r["urls"])
                assert x.group == r.get("group", "")
    assert used == set(repairs), f"repairs recorded but not applied: {set(repairs) - used}"
    assert framework.subcategory("GOVERN 1.2").guidance.suggested_actions_intro  # type: ignore[union-attr]


def test_repairs_leave_the_words_alone() -> None:
    """A repair only moves or drops link markup and separators: the words of the text stay."""
    for (item, field), r in _repairs().items():
        if field.endswith(".urls"):
            continue
        words = lambda t: re.findall(r"[\w’'-]+", t.replace("[", " ").replace("]", " "))  # noqa: E731
        before, after = words(r["before"]), words(r["after"])
        assert after[: len(before)] == before, (item, field)


def test_genai_profile(framework: Framework) -> None:
    profile = framework.profile("nist-ai-600-1")
    assert profile.name == "Generative AI Profile (NIST AI 600-1)"
    assert profile.framework_id == framework.id
    assert profile.source.identifier == "NIST AI 600-1"
    assert len(profile.risks) == 12
    assert [r.number for r in profile.risks] == list(range(1, 13))
    assert len(profile.actions) == 212
    risk_ids = {r.id for r in profile.risks}
    for action in profile.actions:
        assert framework.has_subcategory(action.subcategory), action.id
        assert action.risks and set(action.risks) <= risk_ids, action.id
        assert action.ai_actor_tasks, action.id
    assert len({a.subcategory for a in profile.actions}) == 49
    assert len(profile.actions_for("GOVERN 1.1")) == 1


def test_genai_profile_is_the_reference_verbatim(framework: Framework) -> None:
    genai = _reference("genai_profile.json")
    profile = framework.profile("nist-ai-600-1")
    assert [
        (r.id, r.number, r.title, r.definition, list(r.characteristics)) for r in profile.risks
    ] == [
        (r["id"], r["number"], r["title"], r["definition"], r["trustworthy_ai_characteristics"])
        for r in genai["risks"]
    ]
    tasks = genai["subcategories"]
    assert [
        (a.id, a.subcategory, a.text, list(a.risks), list(a.risk_labels), list(a.ai_actor_tasks))
        for a in profile.actions
    ] == [
        (
            a["id"],
            a["subcategory"],
            a["text"],
            a["risks"],
            a["risk_labels"],
            tasks[a["subcategory"]]["ai_actor_tasks"],
        )
        for a in genai["actions"]
    ]


BANDS = {3: 1, 4: 2, 5: 2, 6: 3, 7: 3, 8: 4, 9: 5}
LEVEL_NAMES = ["Minimal", "Developing", "Established", "Advanced", "Leading"]


def test_rubric_scheme(rubric: RatingScheme) -> None:
    assert (rubric.kind, rubric.name) == ("metrics", "Maturity rubric (Dotan et al. 2024)")
    assert "arXiv:2401.15229" in rubric.citation
    assert [(m.id, m.name) for m in rubric.metrics] == [
        ("coverage", "Coverage"),
        ("robustness", "Robustness"),
        ("input_diversity", "Input diversity"),
    ]
    for metric in rubric.metrics:
        assert metric.explanation
        assert [(o.code, o.name, o.points) for o in metric.options] == [
            ("L", "Low", 1),
            ("M", "Medium", 2),
            ("H", "High", 3),
        ]
    assert [lv.name for lv in rubric.levels] == LEVEL_NAMES
    assert all(lv.definition for lv in rubric.levels)


@pytest.mark.parametrize("codes", list(itertools.product("LMH", repeat=3)), ids="".join)
def test_rubric_score_table(rubric: RatingScheme, codes: tuple[str, str, str]) -> None:
    options = [m.option(code) for m, code in zip(rubric.metrics, codes, strict=True)]
    points = sum(o.points for o in options if o is not None)
    assert points == sum({"L": 1, "M": 2, "H": 3}[c] for c in codes)
    assert rubric.points_to_score(points) == BANDS[points]


def test_direct_scheme(direct: RatingScheme) -> None:
    assert (direct.kind, direct.name) == ("direct", "Direct maturity level")
    assert [(lv.value, lv.name) for lv in direct.levels] == list(enumerate(LEVEL_NAMES, 1))
    assert all(lv.definition for lv in direct.levels)
    assert not direct.metrics and not direct.score_table


def test_catalog_lists(catalog) -> None:  # type: ignore[no-untyped-def]
    assert [f.id for f in catalog.frameworks()] == ["nist-ai-rmf-1.0"]
    assert sorted(s.id for s in catalog.schemes()) == ["direct", "rubric"]

"""Zero broken links: every address in every shipped framework file is one the window can open,
no markdown reaches the window as literal characters, and no link text ends in separator debris.

The checks here use their own patterns (not the converter's), so a converter fault cannot hide
behind the same fault in its test.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
FRAMEWORKS = REPO / "frameworks"
SCRIPT = REPO / "tools" / "build_frameworks.py"

# http or https, a host, then no whitespace/quotes/angle brackets; the last character is not
# sentence punctuation the source wrote inside the link target.
STRICT_URL = re.compile(r"https?://[A-Za-z0-9.-]+(?::\d+)?(?:[/?#][^\s<>\"“”]*)?(?<![.,;:!?'’])")
MARKDOWN = re.compile(r"\[[^\[\]]*\]\([^)]*\)?|\*\*|(?:^|\n)#{1,6} |`")
# What is left at the end of a citation when its links are cut out: ". ,", ", , .", a final ",",
# "(" or ":". (Inside a text, NIST's own typography stays: "Jury , Azure", "Crawford,, “...".)
DEBRIS = re.compile(r"(?:[.,]\s+,|,\s*,|,\s*\.|[,;:(\[]|\s\.)\s*$")


def _strings(node: Any, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(value, f"{path}.{key}" if path else key)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _strings(value, f"{path}[{i}]")
    elif isinstance(node, str):
        yield path, node


def _shipped() -> list[tuple[str, str, str]]:
    """(file, field path, value) of every string in every shipped framework data file."""
    files = sorted(p for p in FRAMEWORKS.rglob("*.json") if p.name != "repairs.json")
    assert len(files) >= 4, f"no framework files under {FRAMEWORKS}"
    out = []
    for path in files:
        data = json.loads(path.read_text(encoding="utf-8"))
        out += [(path.relative_to(REPO).as_posix(), f, v) for f, v in _strings(data)]
    return out


def _is_address(field: str) -> bool:
    return bool(re.search(r"(^|\.)(url|urls\[\d+\])$", field))


def test_every_link_target_is_a_clean_address() -> None:
    addresses = [(f, p, v) for f, p, v in _shipped() if _is_address(p)]
    assert len(addresses) > 800  # the Playbook's 817 link targets and the sources' pages
    bad = [
        (f, p, v)
        for f, p, v in addresses
        if v and (not STRICT_URL.fullmatch(v) or v.count("(") != v.count(")"))
    ]
    assert bad == []


def test_the_reported_links_are_repaired(framework) -> None:  # type: ignore[no-untyped-def]
    """The five references of the issue: the addresses NIST meant, and the lost note kept."""

    def ref(sub: str, i: int):  # type: ignore[no-untyped-def]
        return framework.subcategory(sub).guidance.references[i]

    paulk = ref("MEASURE 3.2", 1)
    assert paulk.urls == (
        "https://doi.org/10.1109/52.219617",
        "https://uweb.engr.arizona.edu/~ece473/readings/22-Capability%20MAturity%20Model.pdf",
    )
    assert paulk.text.endswith(
        "18–27. Note: Copy available via the University of Arizona at "
        "https://uweb.engr.arizona.edu/~ece473/readings/22-Capability%20MAturity%20Model.pdf"
    )
    assert ref("MEASURE 2.11", 21).urls == ("https://doi.org/10.1126/science.aal4230",)
    assert ref("MEASURE 2.10", 15).urls == ("https://doi.org/10.1080/01972243.2018.1542648",)
    nist_privacy = (
        "https://www.nist.gov/publications/"
        "nist-privacy-framework-tool-improving-privacy-through-enterprise-risk-management",
    )
    assert ref("GOVERN 1.2", 10).urls == nist_privacy
    assert ref("MAP 2.3", 14).urls == nist_privacy
    about = framework.subcategory("GOVERN 2.2").guidance.about
    assert about.endswith("See MAP 3.4 and 3.5 for additional relevant information.")


def test_no_markdown_residue_anywhere() -> None:
    bad = [(f, p, v[:80]) for f, p, v in _shipped() if not _is_address(p) and MARKDOWN.search(v)]
    assert bad == []


def test_no_separator_debris_in_resources_and_references() -> None:
    texts = [
        (f, p, v)
        for f, p, v in _shipped()
        if re.search(r"\.(resources|references)\[\d+\]\.text$", p)
    ]
    assert len(texts) > 800
    assert [(p, v[-40:]) for _, p, v in texts if DEBRIS.search(v)] == []


# -- the converter's rules, on small inputs --------------------------------------------------------
@pytest.fixture(scope="module")
def tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_frameworks", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("build_frameworks", module)
    spec.loader.exec_module(module)
    return module


def test_note_inside_a_link_target_is_kept_as_text(tool: ModuleType) -> None:
    repairs = tool.Repairs()
    link = repairs.link(
        "X 1.1",
        "guidance.references[0]",
        {"text": "A. Title.", "urls": ["https://a.org/x.", "Note:", "see", "https://b.org/y"]},
    )
    assert link.urls == ("https://a.org/x", "https://b.org/y")
    assert link.text == "A. Title. Note: see https://b.org/y"
    assert [(r.field, r.before) for r in repairs.items] == [
        ("guidance.references[0].urls", ["https://a.org/x.", "Note:", "see", "https://b.org/y"]),
        ("guidance.references[0].text", "A. Title."),
    ]


def test_address_split_by_a_line_break_is_joined(tool: ModuleType) -> None:
    repairs = tool.Repairs()
    link = repairs.link("X", "f", {"text": "T.", "urls": ["https://doi.org/10.1/sc", "ience.a1"]})
    assert link.urls == ("https://doi.org/10.1/science.a1",)
    assert link.text == "T."
    assert len(repairs.items) == 1 and "line break" in repairs.items[0].why


@pytest.mark.parametrize(
    ("text", "fixed"),
    [
        ("AI – 2019, , .", "AI – 2019."),
        ("Guidelines. ,", "Guidelines."),
        ("Framework, 2020. (", "Framework, 2020."),
        ("Annex C,", "Annex C"),
        ("(September 30, 2021). ,", "(September 30, 2021)."),
        ("Jury , Azure Guide.", "Jury , Azure Guide."),  # NIST's own spacing, not debris
        ("Plain.", "Plain."),
    ],
)
def test_separator_debris_is_removed(tool: ModuleType, text: str, fixed: str) -> None:
    repairs = tool.Repairs()
    assert repairs.link("X", "f", {"text": text, "urls": ["https://a.org/"]}).text == fixed
    assert len(repairs.items) == (text != fixed)


def test_empty_markdown_link_keeps_its_words(tool: ModuleType) -> None:
    repairs = tool.Repairs()
    assert repairs.prose("X", "guidance.about", "See [MAP 3.4]() and [3.5]().") == (
        "See MAP 3.4 and 3.5."
    )
    assert repairs.items[0].before == "See [MAP 3.4]() and [3.5]()."


@pytest.mark.parametrize(
    "urls", [["www.example.org"], ["ftp://example.org/x"], ["http://"], ["https://a b.org"]]
)
def test_an_unrepairable_target_stops_the_build(tool: ModuleType, urls: list[str]) -> None:
    with pytest.raises(tool.BuildError, match="X f: bad link target"):
        tool.Repairs().link("X", "f", {"text": "T.", "urls": urls})


def test_other_markdown_stops_the_build(tool: ModuleType) -> None:
    with pytest.raises(tool.BuildError, match=r"GOVERN 1\.1 guidance.about: markdown"):
        tool.Repairs().prose("GOVERN 1.1", "guidance.about", "See [this](https://a.org).")


@pytest.mark.gui
def test_the_window_links_only_clean_addresses(qtbot, framework) -> None:  # type: ignore[no-untyped-def]
    """What the guidance panel shows as clickable, for all 72 subcategories: exactly the clean
    addresses of the data (the window draws one anchor per address)."""
    from html import unescape

    from app.ui.questionnaire.guidance_panel import GuidancePanel

    panel = GuidancePanel()
    qtbot.addWidget(panel)
    for sub in framework.subcategories():
        panel.show_guidance(sub, [], None)
        hrefs = {unescape(h) for h in re.findall(r'href="([^"]*)"', panel.resources.toHtml())}
        links = sub.guidance.resources + sub.guidance.references
        assert hrefs == {u for link in links for u in link.urls}, sub.id
        assert [h for h in hrefs if not STRICT_URL.fullmatch(h)] == [], sub.id

"""Convert the NIST reference JSON (../shared/reference) into the app's frameworks/ data files.

Usage: ``python tools/build_frameworks.py REFERENCE_DIR [--out FRAMEWORKS_DIR]``

Re-runnable whenever NIST revises a text: the output is a pure function of the three reference
files (field order from the domain models, list order from the documents), so a rerun on the
same input is byte-identical. Every file is validated against the domain models before it is
written, and written atomically. Statement text is copied verbatim, never from the Playbook's
older ``playbook_statement`` wording.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # running as a script puts tools/, not the repo, on sys.path
    sys.path.insert(0, str(REPO))

from pydantic import ValidationError  # noqa: E402

from app.domain.framework import (  # noqa: E402
    Framework,
    Function,
    Guidance,
    Link,
    Profile,
    ProfileAction,
    ProfileRisk,
    SourceInfo,
)
from app.domain.rating import Level, Metric, MetricOption, RatingScheme, ScoreBand  # noqa: E402

FRAMEWORK_ID = "nist-ai-rmf-1.0"
PROFILE_ID = "nist-ai-600-1"
RETRIEVED = "2026-11-26"  # date the reference texts were retrieved (PROVENANCE.md)

CORE_FILE = "ai_rmf_core.json"
PLAYBOOK_FILE = "ai_rmf_playbook.json"
GENAI_FILE = "genai_profile.json"

# The Playbook JSON carries no metadata of its own; this is source S5 of PROVENANCE.md.
PLAYBOOK_SOURCE = SourceInfo(
    identifier="NIST AI RMF Playbook",
    title="NIST AI RMF Playbook",
    published="2024-06-11",
    url="https://airc.nist.gov/docs/playbook.json",
    retrieved=RETRIEVED,
    sha256="32603c5e94701d26b45e69dd6d184db289af5ed1c1db249d870ef9e461327d6e",
    license=(
        "U.S. Government work (NIST); not subject to copyright in the United States "
        "(17 U.S.C. 105)."
    ),
    notes=(
        "The AIRC playbook.json export (72 entries) as committed on 2024-06-11 (published = date "
        "of that copy; its content matches the Playbook PDF created 2024-05-02, footers "
        "'N of 137'). Landing page: https://airc.nist.gov/airmf-resources/playbook/. Sections "
        "split into about, suggested actions, documentation questions, transparency resources "
        "and references; statement text is taken from NIST AI 100-1, not from the Playbook. "
        "NIST regenerated playbook.json on 2026-06-11 (August 2024 Playbook, a few extra items "
        "in 8 entries); that version is not included. See PROVENANCE.md. Link targets and the "
        "separators around them were repaired on conversion where the source's markup was "
        "broken (never the wording); each repair is listed in repairs.json beside this file."
    ),
)

USG_LICENSE = PLAYBOOK_SOURCE.license

DOTAN_CITATION = (
    'Dotan, R., Blili-Hamelin, B., Madhavan, R., Matthews, J., Scarpino, J. "Evolving AI Risk '
    'Management: A Maturity Model based on the NIST AI Risk Management Framework." '
    "arXiv:2401.15229 (2024), section 4."
)

# Our own descriptive text (not NIST's): what each maturity level 1..5 means.
LEVEL_NAMES = ("Minimal", "Developing", "Established", "Advanced", "Leading")
RUBRIC_DEFINITIONS = (
    "3 points, Low on every metric: the outcome is barely addressed, ad hoc, and shaped by few "
    "perspectives.",
    "4-5 points: parts of the outcome are addressed, but practice is informal, uneven or shaped "
    "by a narrow set of people.",
    "6-7 points: much of the outcome is addressed by regular, defined practice with some diverse "
    "input.",
    "8 points, High on two metrics and Medium on one: the outcome is broadly addressed by "
    "systematic, resourced practice.",
    "9 points, High on every metric: the outcome is fully addressed by systematic, adaptive, "
    "cross-functional practice shaped by diverse stakeholders.",
)
DIRECT_DEFINITIONS = (
    "Ad hoc or absent: the outcome is not addressed in any repeatable way.",
    "Partial: some practices exist but are informal, inconsistent or limited in scope.",
    "Defined: documented practices address the outcome and are applied consistently.",
    "Managed: practices are systematic, resourced, reviewed and informed by diverse stakeholders.",
    "Optimized: the outcome is fully addressed, continuously improved and integrated across the "
    "organization.",
)


def levels(definitions: tuple[str, ...]) -> tuple[Level, ...]:
    return tuple(
        Level(value=i, name=name, definition=definition)
        for i, (name, definition) in enumerate(zip(LEVEL_NAMES, definitions, strict=True), 1)
    )


LMH = (
    MetricOption(code="L", name="Low", points=1),
    MetricOption(code="M", name="Medium", points=2),
    MetricOption(code="H", name="High", points=3),
)


class BuildError(Exception):
    """The reference data does not have the shape this converter expects."""


# -- reading ----------------------------------------------------------------------------------
def read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BuildError(f"{path}: {exc}") from exc


def source_info(
    raw: dict[str, Any], title: str | None = None, notes: str | None = None
) -> SourceInfo:
    return SourceInfo(
        identifier=raw["identifier"],
        title=title if title is not None else raw["title"],
        published=raw["published"],
        url=raw.get("url", ""),
        doi=raw.get("doi", ""),
        retrieved=RETRIEVED,
        sha256=raw.get("pdf_sha256", ""),
        license=raw.get("license", ""),
        notes=notes if notes is not None else raw.get("extraction", ""),
    )


# -- conversion -------------------------------------------------------------------------------
# -- repairs of NIST's link markup ---------------------------------------------------------------
# The Playbook's link targets and the prose left around them carry markup faults (a note and a
# second address inside one target, a DOI split by a line break, a full stop inside the target,
# separators left where the links were). Only these are repaired, never the wording; every repair
# is listed in REPAIRS_FILE with the value before and after and the reason.
REPAIRS_FILE = "repairs.json"

# A clickable address: http(s), a host, no whitespace or quotes, not ending in punctuation that
# belongs to the surrounding sentence. Parentheses must balance ("...%20(1).pdf" is fine).
URL_PATTERN = re.compile(r"https?://[^\s/?#<>\"“”]+(?:[/?#][^\s<>\"“”]*)?")
URL_TRAILING_PUNCTUATION = ".,;:!?'’"
# A piece of an address after a line break: URL characters with an inner dot or slash, not a
# word of prose ("ience.aal4230" yes; "Note:", "Copy", "etc." no).
URL_CONTINUATION = re.compile(r"[\w\-~%]+(?:[./][\w\-~%]+)+/?")
# Separators left at the end of a text once its links are taken out: ". ,", ", , .", "(", ",".
LINK_DEBRIS = re.compile(r"[\s,;:(\[.]*[,;:(\[][\s,;:(\[.]*$|\s+\.$")
# Markdown link with an empty target ("See [MAP 3.4]() and [3.5]()"): only the words are text.
EMPTY_LINK = re.compile(r"\[([^\[\]]+)\]\(\s*\)")
# Markdown that must not survive into plain text: links, emphasis, headings, code.
MARKDOWN_RESIDUE = re.compile(r"\[[^\[\]]*\]\(|\*\*|(?:^|\n)#{1,6}\s|`")

WHY_TRAILING = "the full stop after the address is the sentence's, inside the link target"
WHY_NOTE = (
    "the link target holds a note after the address; the note is kept as text and its "
    "address as a second link"
)
WHY_SPLIT = "a line break splits the address; the two pieces are joined"
WHY_DEBRIS = "separators left where the source's links were taken out of the text"
WHY_EMPTY_LINK = "markdown link with an empty target; its words are kept as plain text"


def is_clean_url(url: str) -> bool:
    """True for an address the window may show as a link: http(s), no spaces, no trailing
    sentence punctuation, balanced parentheses."""
    return (
        URL_PATTERN.fullmatch(url) is not None
        and url[-1] not in URL_TRAILING_PUNCTUATION
        and url.count("(") == url.count(")")
    )


@dataclass(frozen=True)
class Repair:
    """One change to NIST's text: ``field`` is the path inside the subcategory (0-based)."""

    item: str
    field: str
    before: str | list[str]
    after: str | list[str]
    why: str

    def as_json(self) -> dict[str, Any]:
        return {
            "item": self.item,
            "field": self.field,
            "before": self.before,
            "after": self.after,
            "why": self.why,
        }


class Repairs:
    """Collects the repairs of one build, in source order."""

    def __init__(self) -> None:
        self.items: list[Repair] = []

    def prose(self, item: str, field: str, text: str) -> str:
        """``text`` with empty-target markdown links reduced to their words; refuses any other
        markdown (BuildError) so that no markup reaches the window as literal characters."""
        fixed = EMPTY_LINK.sub(r"\1", text)
        if fixed != text:
            self.items.append(Repair(item, field, text, fixed, WHY_EMPTY_LINK))
        residue = MARKDOWN_RESIDUE.search(fixed)
        if residue:
            raise BuildError(
                f"{PLAYBOOK_FILE}: {item} {field}: markdown {residue.group()!r} left in the text "
                "(add a repair rule to tools/build_frameworks.py)"
            )
        return fixed

    def link(self, item: str, field: str, raw: dict[str, Any]) -> Link:
        """A resource or reference with clean addresses and no separator debris.

        ``raw["urls"]`` is the source's link targets split at whitespace; a token that is not an
        address is either the rest of an address split by a line break, or a word of a note
        written inside the target (kept, verbatim, at the end of the text). Raises BuildError
        when an address is still not clean afterwards.
        """
        text = raw["text"]
        urls: list[str] = []
        note: list[str] = []
        whys: list[str] = []
        for token in raw["urls"]:
            if token.startswith(("http://", "https://")):
                clean = token.rstrip(URL_TRAILING_PUNCTUATION)
                if clean != token and not note:
                    whys.append(WHY_TRAILING)
                if note:
                    note.append(token)  # an address inside the note stays in its sentence too
                urls.append(clean)
            elif urls and not note and URL_CONTINUATION.fullmatch(token):
                urls[-1] += token
                whys.append(WHY_SPLIT)
            else:
                if not note:
                    whys.append(WHY_NOTE)
                note.append(token)
        if raw["urls"] and not urls:
            raise BuildError(f"{PLAYBOOK_FILE}: {item} {field}: bad link target {raw['urls']!r}")
        for url in urls:
            if not is_clean_url(url):
                raise BuildError(f"{PLAYBOOK_FILE}: {item} {field}: bad link target {url!r}")
        if urls != raw["urls"]:
            self.items.append(Repair(item, f"{field}.urls", raw["urls"], urls, "; ".join(whys)))
        fixed = self.prose(item, f"{field}.text", text)
        debris = LINK_DEBRIS.search(fixed)
        text_whys = []
        if debris:
            # Keep the sentence's full stop if the debris had one ("2019. ," -> "2019.").
            fixed = fixed[: debris.start()].rstrip(" .") + ("." if "." in debris.group() else "")
            text_whys.append(WHY_DEBRIS)
        if note:
            fixed = f"{fixed} {' '.join(note)}"
            text_whys.append(WHY_NOTE)
        if text_whys and fixed != text:
            self.items.append(Repair(item, f"{field}.text", text, fixed, "; ".join(text_whys)))
        # `markdown` (the original markup) is dropped: text + urls carry the same content.
        return Link(text=fixed, urls=tuple(urls), group=raw.get("group", ""))

    def render(self) -> bytes:
        """The repair list as JSON (stable order: the source's), for frameworks/ provenance."""
        data = {
            "description": (
                "Every change made to NIST's text on conversion: link targets and the separators "
                "around them only, never wording. 'field' is the path inside the subcategory "
                "(list positions count from 0); 'before' is the value in "
                f"../shared/reference/{PLAYBOOK_FILE}."
            ),
            "repairs": [r.as_json() for r in self.items],
        }
        return (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def guidance(raw: dict[str, Any], item: str = "", repairs: Repairs | None = None) -> Guidance:
    """The Playbook entry of one subcategory; link markup repaired and recorded in ``repairs``."""
    fix = repairs if repairs is not None else Repairs()
    return Guidance(
        about=fix.prose(item, "guidance.about", raw["about"]),
        suggested_actions_intro=fix.prose(
            item, "guidance.suggested_actions_intro", raw.get("suggested_actions_intro", "")
        ),
        suggested_actions=tuple(
            fix.prose(item, f"guidance.suggested_actions[{i}]", a)
            for i, a in enumerate(raw["suggested_actions"])
        ),
        documentation=tuple(
            fix.prose(item, f"guidance.documentation[{i}]", d)
            for i, d in enumerate(raw["documentation"])
        ),
        resources=tuple(
            fix.link(item, f"guidance.resources[{i}]", r) for i, r in enumerate(raw["resources"])
        ),
        references=tuple(
            fix.link(item, f"guidance.references[{i}]", r) for i, r in enumerate(raw["references"])
        ),
        ai_actors=tuple(raw["ai_actors"]),
        topics=tuple(raw["topics"]),
    )


def build_framework(
    core: dict[str, Any], playbook: dict[str, Any], repairs: Repairs | None = None
) -> Framework:
    """The framework from AI 100-1 (statements) and the Playbook (guidance); repairs of the
    Playbook's link markup are added to ``repairs``. Raises BuildError on unexpected data."""
    repairs = repairs if repairs is not None else Repairs()
    unused = set(playbook)
    functions = []
    for f in core["functions"]:
        categories = []
        for c in f["categories"]:
            subcategories = []
            for s in c["subcategories"]:
                if s["id"] not in playbook:
                    raise BuildError(f"{PLAYBOOK_FILE}: no Playbook entry for {s['id']!r}")
                unused.discard(s["id"])
                # The statement is the AI 100-1 text; the Playbook's wording predates it.
                subcategories.append(
                    {
                        "id": s["id"],
                        "text": s["text"],
                        "guidance": guidance(playbook[s["id"]], s["id"], repairs),
                    }
                )
            categories.append({"id": c["id"], "title": c["title"], "subcategories": subcategories})
        functions.append(
            Function.model_validate(
                {
                    "id": f["id"],
                    "code": f["code"],
                    "title": f["title"],
                    "description": f["description"],
                    "overview": f["overview"],
                    "categories": categories,
                }
            )
        )
    if unused:
        raise BuildError(f"{PLAYBOOK_FILE}: entries for unknown subcategories {sorted(unused)}")
    notes = core["source"]["extraction"]
    if core["source"].get("code_note"):
        notes = f"{notes} {core['source']['code_note']}"
    framework = Framework(
        id=FRAMEWORK_ID,
        name="NIST AI Risk Management Framework",
        version="1.0",
        source=source_info(core["source"], notes=notes),
        guidance_source=PLAYBOOK_SOURCE,
        functions=tuple(functions),
    )
    check_counts(framework, core.get("counts", {}))
    return framework


def check_counts(framework: Framework, counts: dict[str, Any]) -> None:
    """The reference states its own counts; refuse to write data that disagrees with them."""
    got = {
        "functions": len(framework.functions),
        "categories": len(framework.categories()),
        "subcategories": len(framework.subcategories()),
        "per_function": {
            f.id: {
                "categories": len(f.categories),
                "subcategories": sum(len(c.subcategories) for c in f.categories),
            }
            for f in framework.functions
        },
    }
    for key, expected in counts.items():
        if got.get(key) != expected:
            raise BuildError(
                f"{CORE_FILE}: counts.{key} is {expected!r}, the data has {got.get(key)!r}"
            )


def build_profile(genai: dict[str, Any], framework: Framework) -> Profile:
    risks = tuple(
        ProfileRisk(
            id=r["id"],
            number=r["number"],
            title=r["title"],
            definition=r["definition"],
            characteristics=tuple(r["trustworthy_ai_characteristics"]),
        )
        for r in genai["risks"]
    )
    subcategories = genai["subcategories"]
    actions = []
    for a in genai["actions"]:
        if a["subcategory"] not in subcategories:
            raise BuildError(f"{GENAI_FILE}: action {a['id']}: no entry for {a['subcategory']!r}")
        actions.append(
            ProfileAction(
                id=a["id"],
                subcategory=a["subcategory"],
                text=a["text"],
                risks=tuple(a["risks"]),
                risk_labels=tuple(a["risk_labels"]),
                ai_actor_tasks=tuple(subcategories[a["subcategory"]]["ai_actor_tasks"]),
            )
        )
    notes = genai["source"]["extraction"]
    misprinted = [
        f"{a['id']} is printed {a['id_as_printed']!r}"
        for a in genai["actions"]
        if a.get("id_as_printed")
    ]
    if misprinted:
        notes = f"{notes} Canonical action ids are used: {'; '.join(misprinted)}."
    profile = Profile(
        id=PROFILE_ID,
        name="Generative AI Profile (NIST AI 600-1)",
        framework_id=FRAMEWORK_ID,
        source=source_info(genai["source"], title=genai["title"], notes=notes),
        risks=risks,
        actions=tuple(actions),
    )
    counts = genai.get("counts", {})
    for key, got in (("risks", len(risks)), ("actions", len(actions))):
        if key in counts and counts[key] != got:
            raise BuildError(f"{GENAI_FILE}: counts.{key} is {counts[key]!r}, the data has {got!r}")
    # The framework's own validator checks every action against the subcategories; the
    # framework file itself stays profile-free (profiles live in their own files).
    fields = {f: getattr(framework, f) for f in Framework.model_fields}
    Framework(**{**fields, "profiles": (profile,)})
    return profile


def build_rubric() -> RatingScheme:
    return RatingScheme(
        id="rubric",
        name="Maturity rubric (Dotan et al. 2024)",
        kind="metrics",
        description=(
            "Rate each subcategory Low, Medium or High on coverage, robustness and input "
            "diversity (1, 2 or 3 points each); the sum of the points gives the maturity level."
        ),
        citation=DOTAN_CITATION,
        levels=levels(RUBRIC_DEFINITIONS),
        metrics=(
            Metric(
                id="coverage",
                name="Coverage",
                explanation="How much of the subcategory's outcome is addressed.",
                options=LMH,
            ),
            Metric(
                id="robustness",
                name="Robustness",
                explanation=(
                    "How regular, systematic, resourced, staffed by trained people, adaptive and "
                    "cross-functional the practice is."
                ),
                options=LMH,
            ),
            Metric(
                id="input_diversity",
                name="Input diversity",
                explanation=(
                    "How much input from diverse internal and external stakeholders shapes the "
                    "practice."
                ),
                options=LMH,
            ),
        ),
        score_table=(
            ScoreBand(min_points=3, max_points=3, score=1),
            ScoreBand(min_points=4, max_points=5, score=2),
            ScoreBand(min_points=6, max_points=7, score=3),
            ScoreBand(min_points=8, max_points=8, score=4),
            ScoreBand(min_points=9, max_points=9, score=5),
        ),
    )


def build_direct() -> RatingScheme:
    return RatingScheme(
        id="direct",
        name="Direct maturity level",
        kind="direct",
        description=(
            "Pick the one maturity level that best describes how the subcategory's outcome is "
            "achieved today."
        ),
        levels=levels(DIRECT_DEFINITIONS),
    )


# -- writing ----------------------------------------------------------------------------------
def render(model: Framework | Profile | RatingScheme) -> bytes:
    """Serialise in the model's field order; lists keep the order of the source documents."""
    data = model.model_dump(mode="json")
    return (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def write_atomic(path: Path, data: bytes) -> None:
    """Temp file in the same folder, fsync, rename: a failure leaves any old file intact."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        os.fchmod(fd, 0o644)  # mkstemp creates 0600; these are shipped, world-readable data files
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    with contextlib.suppress(OSError):
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def build(reference: Path, out: Path) -> list[Path]:
    """Convert everything in memory first, then write; returns the files written."""
    core = read_json(reference / CORE_FILE)
    playbook = read_json(reference / PLAYBOOK_FILE)
    genai = read_json(reference / GENAI_FILE)
    try:
        repairs = Repairs()
        framework = build_framework(core, playbook, repairs)
        profile = build_profile(genai, framework)
    except (KeyError, TypeError) as exc:
        raise BuildError(f"unexpected reference data shape: missing or bad {exc}") from exc
    except ValidationError as exc:
        raise BuildError(f"the converted data does not validate: {exc}") from exc
    outputs = {
        out / FRAMEWORK_ID / "framework.json": render(framework),
        out / FRAMEWORK_ID / REPAIRS_FILE: repairs.render(),
        out / FRAMEWORK_ID / "profiles" / PROFILE_ID / "profile.json": render(profile),
        out / "schemes" / "rubric.json": render(build_rubric()),
        out / "schemes" / "direct.json": render(build_direct()),
    }
    for path, data in outputs.items():
        write_atomic(path, data)
    return list(outputs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reference", type=Path, help="folder with the NIST reference JSON files")
    parser.add_argument(
        "--out", type=Path, default=REPO / "frameworks", help="output folder (default: %(default)s)"
    )
    args = parser.parse_args(argv)
    try:
        written = build(args.reference, args.out)
    except BuildError as exc:
        print(f"build_frameworks: {exc}", file=sys.stderr)
        return 1
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())

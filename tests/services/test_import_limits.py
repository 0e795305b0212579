"""Import accepts exactly what entry accepts (domain.limits): out-of-range numbers and instants,
duplicates in list fields and unbounded input are refused with one message; what is stored can
be exported and imported again."""

from __future__ import annotations

import copy
import json
import os
import sqlite3
import threading
from pathlib import Path

import pytest

from app.domain.limits import MAX_IMPORT_BYTES, TEXT_MAX
from app.services.answers import AnswerService
from app.services.assessments import AssessmentService
from app.services.errors import InvalidInput
from app.services.exchange import ExchangeService


@pytest.fixture
def document(ctx, tmp_path) -> dict:  # type: ignore[no-untyped-def, type-arg]
    a = AssessmentService(ctx).create(
        {
            "name": "Source",
            "profiles": [{"profile_id": "nist-ai-600-1", "risks": ["cbrn"]}],
        }
    )
    AnswerService(ctx).record(
        a.id, "GOVERN 1.1", metrics={"coverage": "H", "robustness": "M", "input_diversity": "L"}
    )
    AnswerService(ctx).add_link(a.id, "GOVERN 1.1", "Policy", "https://example.com/policy")
    path = ExchangeService(ctx).export_json(a.id, tmp_path / "source.json")
    return json.loads(path.read_text())


def _refused(ctx, tmp_path: Path, doc: dict, match: str) -> None:  # type: ignore[no-untyped-def, type-arg]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc))
    count = len(AssessmentService(ctx).list())
    with pytest.raises(InvalidInput, match=match):
        ExchangeService(ctx).import_file(path)
    assert len(AssessmentService(ctx).list()) == count


def _with(doc: dict, change) -> dict:  # type: ignore[no-untyped-def, type-arg]
    doc = copy.deepcopy(doc)
    change(doc)
    return doc


def test_a_5000_digit_integer_is_refused(ctx, tmp_path, document) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "digits.json"
    text = json.dumps(document).replace('"default_target": 3', '"default_target": ' + "9" * 5000)
    path.write_text(text)
    with pytest.raises(InvalidInput, match="not a valid export"):
        ExchangeService(ctx).import_file(path)


def test_an_evidence_size_of_10_to_the_30_is_refused(ctx, tmp_path, document) -> None:  # type: ignore[no-untyped-def]
    doc = _with(document, lambda d: d["answers"][0]["evidence"][0].update(size=10**30))
    _refused(ctx, tmp_path, doc, r"evidence\.0\.size")


@pytest.mark.parametrize("instant", ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z"])
@pytest.mark.parametrize(
    "where",
    ["assessment.created_at", "assessment.updated_at", "exported_at", "answers.0.updated_at"],
)
def test_instants_out_of_range_are_refused(ctx, tmp_path, document, instant, where) -> None:  # type: ignore[no-untyped-def]
    def change(d):  # type: ignore[no-untyped-def]
        node = d
        *path, last = where.split(".")
        for key in path:
            node = node[int(key)] if key.isdigit() else node[key]
        node[last] = instant

    _refused(ctx, tmp_path, _with(document, change), "outside the years 1970-2999")


def test_a_risk_listed_a_million_times_is_refused(ctx, tmp_path, document) -> None:  # type: ignore[no-untyped-def]
    doc = _with(
        document, lambda d: d["assessment"]["profiles"][0].update(risks=["cbrn"] * 1_000_000)
    )
    _refused(ctx, tmp_path, doc, "profiles")
    twice = _with(document, lambda d: d["assessment"]["profiles"][0].update(risks=["cbrn"] * 2))
    _refused(ctx, tmp_path, twice, "lists a risk twice")


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda d: d["answers"][0]["evidence"].append(d["answers"][0]["evidence"][0]), "twice"),
        (lambda d: d["assessment"]["profiles"].append(d["assessment"]["profiles"][0]), "twice"),
        (lambda d: d["answers"][0].update(actions_in_place=[0, 0]), "twice"),
        (lambda d: d["answers"].append(d["answers"][0]), "duplicate"),
    ],
)
def test_duplicates_in_list_fields_are_refused(ctx, tmp_path, document, change, match) -> None:  # type: ignore[no-untyped-def]
    _refused(ctx, tmp_path, _with(document, change), match)


def test_an_endless_source_is_read_with_a_bound(ctx) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput, match=f"more than {MAX_IMPORT_BYTES // 2**20} MB"):
        ExchangeService(ctx).import_file(Path("/dev/zero"))


def test_an_export_can_be_imported_from_a_pipe(ctx, tmp_path, document) -> None:  # type: ignore[no-untyped-def]
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    data = json.dumps(document).encode()

    def feed() -> None:
        with fifo.open("wb") as fh:
            fh.write(data)

    writer = threading.Thread(target=feed)
    writer.start()
    new_id = ExchangeService(ctx).import_file(fifo)
    writer.join()
    assert AssessmentService(ctx).get(new_id).name.startswith("Source")  # a copy: same uid


def test_notes_at_the_limit_round_trip_and_beyond_it_are_refused(ctx, tmp_path) -> None:  # type: ignore[no-untyped-def]
    a = AssessmentService(ctx).create({"name": "Long"})
    answers = AnswerService(ctx)
    answers.record(a.id, "GOVERN 1.1", notes="é" * TEXT_MAX, na_rationale="r" * TEXT_MAX)
    with pytest.raises(InvalidInput, match="notes"):
        answers.record(a.id, "GOVERN 1.2", notes="x" * (TEXT_MAX + 1))
    path = ExchangeService(ctx).export_json(a.id, tmp_path / "long.json")
    again = ExchangeService(ctx).import_file(path)
    assert AnswerService(ctx).get(again, "GOVERN 1.1").notes == "é" * TEXT_MAX


def test_a_stored_value_beyond_the_limits_is_refused_by_export_with_a_message(
    ctx, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    """Data written by an older version (or by hand) that an import would refuse is not
    exported into a file that cannot be read back: one message, no traceback, no file."""
    a = AssessmentService(ctx).create({"name": "Old"})
    con = sqlite3.connect(ctx.location.sqlite_path)
    con.execute("UPDATE assessments SET finalized_by = ? WHERE id = ?", ("s" * 1001, a.id))
    con.commit()
    con.close()
    target = tmp_path / "old.json"
    with pytest.raises(InvalidInput, match="an import would refuse"):
        ExchangeService(ctx).export_json(a.id, target)
    assert not target.exists()


def test_evidence_links_and_titles_follow_the_limits(ctx) -> None:  # type: ignore[no-untyped-def]
    a = AssessmentService(ctx).create({"name": "Links"})
    answers = AnswerService(ctx)
    with pytest.raises(InvalidInput, match="title"):
        answers.add_link(a.id, "GOVERN 1.1", "t" * 201, "https://example.com")
    with pytest.raises(InvalidInput, match="url"):
        answers.add_link(a.id, "GOVERN 1.1", "Link", "https://example.com/" + "p" * 2000)
    with pytest.raises(InvalidInput, match="control character"):
        answers.add_link(a.id, "GOVERN 1.1", "bad\x07title", "https://example.com")


def test_an_evidence_file_over_the_limit_is_refused_at_entry(ctx, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """What can be attached can be moved in a bundle: one limit for both."""
    from app.domain.limits import MAX_EVIDENCE_BYTES
    from app.services.bundle import MAX_FILE_BYTES

    assert MAX_FILE_BYTES == MAX_EVIDENCE_BYTES
    a = AssessmentService(ctx).create({"name": "Files"})
    big = tmp_path / "big.bin"
    with big.open("wb") as fh:  # sparse: costs no disk
        fh.truncate(MAX_EVIDENCE_BYTES + 1)
    with pytest.raises(InvalidInput, match="larger than 100 MB"):
        AnswerService(ctx).attach_file(a.id, "GOVERN 1.1", big)
    assert not ctx.location.evidence_dir.exists() or not any(
        p.is_file() and not p.name.startswith(".") for p in ctx.location.evidence_dir.rglob("*")
    )


def test_stored_notes_beyond_the_limit_are_refused_by_export(ctx, tmp_path) -> None:  # type: ignore[no-untyped-def]
    a = AssessmentService(ctx).create({"name": "Old notes"})
    AnswerService(ctx).record(a.id, "GOVERN 1.1", notes="short")
    con = sqlite3.connect(ctx.location.sqlite_path)
    con.execute("UPDATE answers SET notes = ?", ("n" * (TEXT_MAX + 1),))
    con.commit()
    con.close()
    with pytest.raises(InvalidInput, match="notes"):
        ExchangeService(ctx).export_json(a.id, tmp_path / "notes.json")

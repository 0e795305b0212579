"""Promise 5: hostile import files are refused whole, naming file, path and problem."""

from __future__ import annotations

import copy
import hashlib
import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.services.answers import AnswerService
from app.services.assessments import AssessmentService
from app.services.bundle import BundleService
from app.services.errors import InvalidInput
from app.services.exchange import ExchangeService


@pytest.fixture
def exported(ctx, tmp_path) -> tuple[int, Path]:  # type: ignore[no-untyped-def]
    a = AssessmentService(ctx).create({"name": "Source", "ai_system": "Vision QA"})
    s = AnswerService(ctx)
    s.record(
        a.id,
        "GOVERN 1.1",
        metrics={"coverage": "H", "robustness": "M", "input_diversity": "L"},
        notes="n1",
        owner="Kim",
    )
    s.record(a.id, "MAP 2.1", not_applicable=True, na_rationale="No training data")
    s.record(
        a.id,
        "MEASURE 2.2",
        metrics={"coverage": "M", "robustness": "M", "input_diversity": "M"},
        actions_in_place=[0],
    )
    path = ExchangeService(ctx).export_json(a.id, tmp_path / "source.json")
    return a.id, path


def _state(ctx) -> str:  # type: ignore[no-untyped-def]
    """Everything stored, as one digest (assessments, answers, history)."""
    parts = []
    for summary in AssessmentService(ctx).list():
        doc = ExchangeService(ctx).document(summary.assessment.id)
        parts.append(doc.model_dump_json(exclude={"exported_at"}))
    return hashlib.sha256("".join(sorted(parts)).encode()).hexdigest()


def test_200_mb_file_is_refused_by_size(ctx, tmp_path) -> None:  # type: ignore[no-untyped-def]
    huge = tmp_path / "huge.json"
    with huge.open("wb") as fh:  # sparse: costs no disk
        fh.truncate(200 * 1024 * 1024)
    before = _state(ctx)
    with pytest.raises(InvalidInput, match=r"200 MB.*at most"):
        ExchangeService(ctx).import_file(huge)
    assert _state(ctx) == before


def test_non_utf8_and_nul_text(ctx, exported, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _, good = exported
    latin = tmp_path / "latin.json"
    latin.write_bytes(good.read_bytes().replace(b'"n1"', b'"\xe9t\xe9"'))
    with pytest.raises(InvalidInput, match="not UTF-8"):
        ExchangeService(ctx).import_file(latin)
    nul = tmp_path / "nul.json"
    nul.write_text(good.read_text().replace('"n1"', '"a\\u0000b"'))
    with pytest.raises(InvalidInput, match=r"answers\.0\.notes.*control character"):
        ExchangeService(ctx).import_file(nul)


def _mutate(doc: object, path: list[object], value: object) -> object:
    doc = copy.deepcopy(doc)
    target = doc
    for key in path[:-1]:
        target = target[key]  # type: ignore[index]
    target[path[-1]] = value  # type: ignore[index]
    return doc


def _paths(doc: object, prefix: list[object] | None = None) -> list[list[object]]:
    prefix = prefix or []
    out = []
    if isinstance(doc, dict):
        for k, v in doc.items():
            out.append([*prefix, k])
            out += _paths(v, [*prefix, k])
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            out.append([*prefix, i])
            out += _paths(v, [*prefix, i])
    return out


VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-10, 10),
    st.floats(allow_nan=False),
    st.text(max_size=20),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
    st.sampled_from(["L", "M", "H", "GOVERN 1.1", "GOVERN 99.9", "draft", "finalized", "", "\x00"]),
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_any_mutation_imports_equivalently_or_is_refused_cleanly(
    ctx, exported, tmp_path, data
) -> None:  # type: ignore[no-untyped-def]
    _, good = exported
    original = json.loads(good.read_text())
    paths = _paths(original)
    path = data.draw(st.sampled_from(paths))
    value = data.draw(VALUES)
    mutated = _mutate(original, path, value)
    bad = tmp_path / "mutated.json"
    bad.write_text(json.dumps(mutated))
    before = _state(ctx)
    count = len(AssessmentService(ctx).list())
    try:
        new_id = ExchangeService(ctx).import_file(bad)
    except InvalidInput as exc:
        assert str(bad) in str(exc)
        assert _state(ctx) == before  # nothing written, not even partly
        return
    # Accepted: the stored assessment is what the file says, re-exported equivalently.
    assert len(AssessmentService(ctx).list()) == count + 1
    again = ExchangeService(ctx).document(new_id).model_dump(mode="json")
    parsed = ExchangeService(ctx).parse(bad).model_dump(mode="json")
    if not AssessmentService(ctx).get(new_id).is_cycle:  # its uid is already here: a copy
        from app.services.assessments import copy_name

        parsed["assessment"]["name"] = copy_name(parsed["assessment"]["name"], "imported copy")
    for doc in (again, parsed):
        doc.pop("exported_at"), doc["assessment"].pop("uid"), doc.pop("app_version")
    assert again == parsed
    AssessmentService(ctx).delete(new_id)


# -- bundles --------------------------------------------------------------------------------------
@pytest.fixture
def bundle(ctx, tmp_path) -> tuple[int, Path]:  # type: ignore[no-untyped-def]
    a = AssessmentService(ctx).create({"name": "With files"})
    src = tmp_path / "report.txt"
    src.write_text("Red-team report, v3")
    AnswerService(ctx).attach_file(a.id, "MEASURE 2.7", src)
    return a.id, BundleService(ctx).export_bundle(a.id, tmp_path / "b.zip")


def test_bundle_round_trip(ctx, bundle, tmp_path) -> None:  # type: ignore[no-untyped-def]
    aid, path = bundle
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
    assert "assessment.json" in names and any(n.startswith("evidence/") for n in names)
    new_id = ExchangeService(ctx).import_file(path)
    item = AnswerService(ctx).get(new_id, "MEASURE 2.7").evidence[0]
    stored, state = AnswerService(ctx).evidence_file(item)
    assert state == "ok" and stored.read_text() == "Red-team report, v3"


def _rezip(src: Path, dst: Path, edit) -> None:  # type: ignore[no-untyped-def]
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        entries = [(i.filename, zin.read(i)) for i in zin.infolist()]
        for name, data in edit(entries):
            zout.writestr(name, data)


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("traversal", "unexpected entry"),
        ("absolute", "unexpected entry"),
        ("wrong hash", "does not match its SHA-256"),
        ("missing file", "not in the bundle"),
        ("extra file", "not cited"),
        ("no document", "missing from the bundle"),
    ],
)
def test_hostile_bundles_are_refused(ctx, bundle, tmp_path, kind, message) -> None:  # type: ignore[no-untyped-def]
    _, good = bundle
    bad = tmp_path / f"{kind}.zip"

    def edit(entries):  # type: ignore[no-untyped-def]
        ev = [(n, d) for n, d in entries if n.startswith("evidence/")]
        doc = [(n, d) for n, d in entries if n == "assessment.json"]
        if kind == "traversal":
            return [*entries, ("../../etc/evil", b"x")]
        if kind == "absolute":
            return [*entries, ("/tmp/evil", b"x")]
        if kind == "wrong hash":
            return [*doc, (ev[0][0], b"tampered")]
        if kind == "missing file":
            return doc
        if kind == "extra file":
            extra = b"unrelated"
            return [*entries, (f"evidence/{hashlib.sha256(extra).hexdigest()}", extra)]
        return ev

    _rezip(good, bad, edit)
    before = _state(ctx)
    with pytest.raises(InvalidInput, match=message) as info:
        ExchangeService(ctx).import_file(bad)
    assert str(bad) in str(info.value)
    assert _state(ctx) == before


def test_zip_bomb_is_refused_by_size_while_reading(ctx, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import app.services.bundle as bundle_module

    monkeypatch.setattr(bundle_module, "MAX_IMPORT_BYTES", 10_000)
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("assessment.json", b" " * 5_000_000)
    assert bomb.stat().st_size < 100_000
    with pytest.raises(InvalidInput, match="larger than allowed"):
        ExchangeService(ctx).import_file(bomb)

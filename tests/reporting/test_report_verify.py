"""A report an auditor can verify: the fingerprint covers everything the conclusions rest on,
the export it was made from is embedded, ``airmf verify ID --report`` says what differs, the
same data gives the same bytes, and the file holds no unembedded font and no DRAFT text."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from report_helpers import norm, read_pdf, rubric

from app.cli.main import main
from app.domain.report_fingerprint import report_fingerprint
from app.services.answers import AnswerService
from app.services.assessments import AssessmentService
from app.services.report import ReportService

FIXED = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)


def _independent_fingerprint(document: dict) -> str:  # type: ignore[type-arg]
    """The recipe as printed in the Method section, written again without the app's code."""

    def drop(value, keys=("updated_at", "added_at")):  # type: ignore[no-untyped-def]
        if isinstance(value, dict):
            return {k: drop(v) for k, v in value.items() if k not in keys}
        if isinstance(value, list):
            return [drop(v) for v in value]
        return value

    def text(value) -> str:  # type: ignore[no-untyped-def]
        return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))

    history = document["history"]
    content = {
        "recipe": "airmf-report-fingerprint/2",
        "assessment": drop(document["assessment"]),
        "history": {
            "count": len(history),
            "head": history[-1]["entry_hash"] if history else "0" * 64,
        },
    }
    orders = {
        "answers": ("subcategory_id",),
        "actions": ("uid",),
        "reviews": ("subcategory_id",),
        "review_comments": ("subcategory_id", "at", "author", "text"),
    }
    for key, fields in orders.items():
        if document.get(key):
            rows = drop(document[key])
            content[key] = sorted(rows, key=lambda r: (*(str(r[f]) for f in fields), text(r)))
    return hashlib.sha256(text(content).encode("utf-8")).hexdigest()


def _embedded(data: bytes) -> tuple[str, dict]:  # type: ignore[type-arg]
    reader = PdfReader(io.BytesIO(data))
    keywords = str(reader.metadata["/Keywords"])
    printed = re.search(r"airmf-report-fingerprint:([0-9a-f]{64})", keywords)
    assert printed is not None
    return printed.group(1), json.loads(reader.attachments["assessment-export.json"][0])


@pytest.fixture
def assessment(ctx, tmp_path):  # type: ignore[no-untyped-def]
    ctx.clock = lambda: FIXED
    aid = AssessmentService(ctx).create({"name": "Q4 review", "ai_system": "Loan scorer"}).id
    answers = AnswerService(ctx)
    answers.record(aid, "GOVERN 1.1", metrics=rubric("H", "M", "M"), notes="Policy v2")
    evidence = tmp_path / "policy.txt"
    evidence.write_text("policy\n", encoding="utf-8")
    answers.attach_file(aid, "GOVERN 1.1", evidence, "Policy (signed)")
    answers.record(aid, "MAP 1.1", metrics=rubric("M", "M", "L"), target=4)
    return aid


def test_the_fingerprint_is_recomputed_from_the_embedded_export(ctx, assessment) -> None:  # type: ignore[no-untyped-def]
    service = ReportService(ctx)
    report = service.build(assessment)
    data = service.render(report)
    printed, document = _embedded(data)
    assert document["assessment"]["name"] == "Q4 review"
    assert document["answers"][0]["evidence"][0]["sha256"]  # the evidence hash is covered
    assert printed == report.meta.fingerprint == _independent_fingerprint(document)
    text = read_pdf(data).text
    assert f"This report: {printed}" in text
    assert "airmf-report-fingerprint/2" in text  # the recipe is printed with its version


def test_the_fingerprint_covers_metadata_targets_evidence_and_history(ctx, assessment) -> None:  # type: ignore[no-untyped-def]
    service = ReportService(ctx)
    document = json.loads(service.source(assessment, FIXED))
    base = report_fingerprint(document)

    def changed(edit) -> str:  # type: ignore[no-untyped-def]
        copy = json.loads(json.dumps(document))
        edit(copy)
        return report_fingerprint(copy)

    edits = [
        lambda d: d["assessment"].update(name="Other name"),
        lambda d: d["assessment"].update(scope="Another scope"),
        lambda d: d["assessment"].update(default_target=5),
        lambda d: d["assessment"].update(scheme_id="direct"),
        lambda d: d["assessment"].update(profiles=[{"profile_id": "x", "risks": []}]),
        lambda d: d["assessment"].update(finalized_by="Someone"),
        lambda d: d["answers"][1].update(target=5),
        lambda d: d["answers"][0]["evidence"][0].update(sha256="f" * 64),
        lambda d: d["history"].pop(),
    ]
    assert all(changed(edit) != base for edit in edits)
    # When a record was saved is not a conclusion; neither is the export's own time.
    same = [
        lambda d: d["answers"][0].update(updated_at="2030-01-01T00:00:00Z"),
        lambda d: d.update(exported_at="2030-01-01T00:00:00Z", app_version="9"),
        lambda d: d["answers"].reverse(),
    ]
    assert all(changed(edit) == base for edit in same)


def test_the_same_data_gives_the_same_bytes(ctx, assessment) -> None:  # type: ignore[no-untyped-def]
    service = ReportService(ctx)
    first = service.render(service.build(assessment))
    second = service.render(service.build(assessment))
    assert first == second
    ctx.clock = lambda: FIXED + dt.timedelta(days=1)
    later = service.render(service.build(assessment))
    assert later != first  # the stated generation time is in the file
    meta = PdfReader(io.BytesIO(first)).metadata
    assert meta["/CreationDate"].startswith("D:20261130090000")


def test_metadata_outline_fonts_and_watermark(ctx, assessment) -> None:  # type: ignore[no-untyped-def]
    service = ReportService(ctx)
    data = service.render(service.build(assessment))
    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en" and root["/PageMode"] == "/UseOutlines"
    meta = reader.metadata
    assert meta.title == "Q4 review: AI RMF maturity report"
    assert "Loan scorer" in meta.subject and meta.author
    fonts: set[tuple[str, bool]] = set()
    for page in reader.pages:
        _collect_fonts(page["/Resources"], fonts)
    assert fonts and all(embedded for _name, embedded in fonts), fonts
    # A draft: DRAFT in the header and the footer only (the watermark is outlines, no text).
    for page in reader.pages[1:3]:
        assert norm(page.extract_text()).count("DRAFT") == 2


def _collect_fonts(resources, out: set[tuple[str, bool]]) -> None:  # type: ignore[no-untyped-def]
    resources = resources.get_object() if resources is not None else {}
    for font in (resources.get("/Font") or {}).values():
        font = font.get_object()
        descriptor = font.get("/FontDescriptor")
        if descriptor is None and "/DescendantFonts" in font:
            descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
        embedded = descriptor is not None and any(
            k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")
        )
        out.add((str(font.get("/BaseFont")), embedded))
    for xobject in (resources.get("/XObject") or {}).values():
        _collect_fonts(xobject.get_object().get("/Resources"), out)


@pytest.fixture
def airmf(tmp_path, capsys):  # type: ignore[no-untyped-def]
    db = tmp_path / "cli.sqlite3"

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--db", str(db), *args])
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


def test_verify_report_says_whether_it_matches_and_what_differs(airmf, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    aid = airmf("assessment", "create", "--name", "Q1", "--system", "Scorer")[1].strip()
    rating = ["--coverage", "H", "--robustness", "M", "--diversity", "M"]
    assert airmf("answer", aid, "GOVERN 1.1", *rating)[0] == 0
    pdf = tmp_path / "q1.pdf"
    assert airmf("report", aid, "-o", str(pdf))[0] == 0
    code, out, err = airmf("verify", aid, "--report", str(pdf))
    assert code == 0, err
    assert f"{pdf} matches assessment {aid}" in out
    assert airmf("answer", aid, "GOVERN 1.1", "--notes", "changed later")[0] == 0
    code, out, _ = airmf("verify", aid, "--report", str(pdf))
    assert code == 1
    assert "does NOT match" in out
    assert "- answers GOVERN 1.1: changed (notes)" in out
    assert "- history: the report has 1 entry" in out or "- history: the report has" in out


def test_verify_report_refuses_a_pdf_that_is_not_ours(airmf, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from reportlab.pdfgen.canvas import Canvas

    aid = airmf("assessment", "create", "--name", "Q1")[1].strip()
    other = tmp_path / "other.pdf"
    canvas = Canvas(str(other))
    canvas.drawString(72, 72, "Some other PDF")
    canvas.save()
    code, _out, err = airmf("verify", aid, "--report", str(other))
    assert code == 1
    assert "is not a report made by AI RMF Assessor" in err
    assert "Traceback" not in err
    text = tmp_path / "notes.pdf"
    text.write_text("hello", encoding="utf-8")
    code, _out, err = airmf("verify", aid, "--report", str(text))
    assert code == 1 and "is not a PDF file" in err


def test_verify_report_detects_an_altered_embedded_export(ctx, assessment, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from pypdf import PdfWriter

    from app.services.report_check import check_report

    service = ReportService(ctx)
    data = service.render(service.build(assessment))
    path = tmp_path / "r.pdf"
    path.write_bytes(data)
    assert check_report(ctx, assessment, path).matches
    _printed, document = _embedded(data)
    document["answers"][0]["notes"] = "rewritten"
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer._root_object["/Names"]["/EmbeddedFiles"]  # noqa: B018 (exists)
    del writer._root_object["/Names"]
    writer.add_attachment("assessment-export.json", json.dumps(document).encode())
    writer.write(path)
    check = check_report(ctx, assessment, path)
    assert check.altered and not check.matches


def test_evidence_links_are_clickable_and_an_empty_sha256_is_explained(ctx, assessment) -> None:  # type: ignore[no-untyped-def]
    AnswerService(ctx).add_link(assessment, "MAP 1.1", "Register", "https://example.com/reg?a=1")
    AnswerService(ctx).add_link(assessment, "MAP 1.1", "Share", "file:///srv/policy.pdf")
    service = ReportService(ctx)
    data = service.render(service.build(assessment))
    reader = PdfReader(io.BytesIO(data))
    uris = {
        annot.get_object()["/A"].get("/URI")
        for page in reader.pages
        for annot in page.get("/Annots") or []
        if "/A" in annot.get_object()
    }
    assert "https://example.com/reg?a=1" in uris
    assert not any(str(uri).startswith("file:") for uri in uris)  # shown, not a link
    assert "file:///srv/policy.pdf" in read_pdf(data).squeezed
    text = read_pdf(data).text
    assert "link: not hashed" in text
    assert "have no SHA-256, since the app holds no copy" in text

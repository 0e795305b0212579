"""A link cited without a title (titled by the link itself) is named once on every surface
that lists evidence: the PDF's subcategory detail and evidence index, the Word report, the
workbook's evidence column and the message refusing it a second time (issue 14)."""

from __future__ import annotations

import pytest
from report_helpers import read_pdf

from app.domain.assessment import EvidenceItem
from app.services.answers import AnswerService
from app.services.assessments import AssessmentService
from app.services.errors import InvalidInput
from app.services.report import ReportService

UNTITLED = "https://intranet.example.com/untitled-register"
TITLED = "https://intranet.example.com/minutes-2026-q3"


@pytest.fixture(scope="module")
def cited(module_ctx):  # type: ignore[no-untyped-def]
    aid = AssessmentService(module_ctx).create({"name": "Links", "scheme_id": "direct"}).id
    answers = AnswerService(module_ctx)
    answers.record(aid, "GOVERN 1.1", level=3)
    answers.add_link(aid, "GOVERN 1.1", "", UNTITLED)
    answers.add_link(aid, "GOVERN 1.1", "Board minutes", TITLED)
    return module_ctx, aid


def test_the_pdf_names_an_untitled_link_once_where_a_titled_one_shows_both(cited) -> None:  # type: ignore[no-untyped-def]
    ctx, aid = cited
    service = ReportService(ctx)
    pdf = read_pdf(service.render(service.build(aid)))
    # Once in the subcategory's detail and once in the evidence index (its link column).
    assert pdf.squeezed.count(UNTITLED) == 2
    assert pdf.squeezed.count(TITLED) == 2
    assert pdf.squeezed.count("Boardminutes") == 2  # the given title beside its link


def test_word_report_and_workbook_name_it_once(cited, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from docx import Document

    from app.services.interchange.docx_export import export_docx
    from app.services.interchange.table import _evidence

    ctx, aid = cited
    path = tmp_path / "r.docx"
    export_docx(ctx, aid, path)
    cells = [c.text for t in Document(str(path)).tables for r in t.rows for c in r.cells]
    assert sum(c.count(UNTITLED) for c in cells) == 1
    assert "Board minutes" in cells

    class Row:  # what the workbook's evidence column reads
        answer = AnswerService(ctx).get(aid, "GOVERN 1.1")

    assert _evidence(Row).splitlines() == [UNTITLED, f"Board minutes <{TITLED}>"]  # type: ignore[arg-type]


def test_a_second_citation_is_refused_naming_the_link_once(cited) -> None:  # type: ignore[no-untyped-def]
    ctx, aid = cited
    answers = AnswerService(ctx)
    with pytest.raises(InvalidInput) as refused:
        answers.add_link(aid, "GOVERN 1.1", "", UNTITLED)
    assert str(refused.value).count(UNTITLED) == 1
    with pytest.raises(InvalidInput, match=r"already \(“Board minutes”\)"):
        answers.add_link(aid, "GOVERN 1.1", "", TITLED)


def test_untitled_means_titled_by_its_own_link_or_file() -> None:
    assert EvidenceItem(title="https://x.org/a", url="https://x.org/a").untitled
    assert not EvidenceItem(title="Policy", url="https://x.org/a").untitled
    assert EvidenceItem(title="a.txt", file_name="a.txt", sha256="0" * 64).untitled
    assert not EvidenceItem(title="Policy v2", file_name="a.txt", sha256="0" * 64).untitled

"""``airmf report`` end to end: the PDF written, its paper and label; refusals exit 1 or 2."""

from __future__ import annotations

import pytest
from report_helpers import read_pdf

from app.cli.main import main


@pytest.fixture
def airmf(tmp_path, capsys):  # type: ignore[no-untyped-def]
    db = tmp_path / "cli.sqlite3"

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--db", str(db), *args])
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


def test_report_command_writes_the_pdf(airmf, tmp_path) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = airmf("assessment", "create", "--name", "Q3 & co", "--system", "Loan scorer")
    aid = out.strip()
    assert code == 0
    rating = ["--coverage", "H", "--robustness", "M", "--diversity", "M"]
    assert airmf("answer", aid, "GOVERN 1.1", *rating, "--notes", "<b>Policy</b> v2")[0] == 0
    target = tmp_path / "q3.pdf"
    code, out, err = airmf(
        "report", aid, "-o", str(target), "--paper", "LETTER", "--label", "Confidential"
    )
    assert code == 0, err
    assert out.strip() == f"wrote the report of assessment {aid} to {target}"
    pdf = read_pdf(target)
    assert round(float(pdf.reader.pages[0].mediabox.width)) == 612
    assert "CONFIDENTIAL" in pdf.pages[0] and "Q3 & co" in pdf.pages[0]
    assert "<b>Policy</b> v2" in pdf.text


def test_report_command_refusals(airmf, tmp_path) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = airmf("assessment", "create", "--name", "Q1")
    aid = out.strip()
    code, out, err = airmf("report", "42", "-o", str(tmp_path / "r.pdf"))
    assert code == 1 and "there is no assessment with id 42" in err
    code, out, err = airmf("report", aid, "-o", str(tmp_path / "no" / "r.pdf"))
    assert code == 1 and "does not exist" in err
    code, out, err = airmf("report", aid, "-o", str(tmp_path / "r.pdf"), "--label", "")
    assert code == 1 and "label is empty" in err
    with pytest.raises(SystemExit) as exit_:
        airmf("report", aid, "-o", str(tmp_path / "r.pdf"), "--paper", "a3")
    assert exit_.value.code == 2
    assert not (tmp_path / "r.pdf").exists()

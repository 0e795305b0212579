"""Shared helpers of the report tests: realistic assessments and PDF text extraction (pypdf)."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader

from app.services.answers import AnswerService
from app.services.lifecycle import LifecycleService
from app.services.sample import create_sample


def rubric(c: str, r: str, d: str) -> dict[str, str]:
    return {"coverage": c, "robustness": r, "input_diversity": d}


def norm(text: str) -> str:
    """Whitespace runs to one space (PDF text comes back with the lines as laid out)."""
    return re.sub(r"\s+", " ", text).strip()


@dataclass
class Pdf:
    data: bytes
    reader: PdfReader
    pages: list[str]

    @property
    def text(self) -> str:
        return norm(" ".join(self.pages))

    @property
    def squeezed(self) -> str:
        """All text without any whitespace (for strings a table cell may have wrapped)."""
        return re.sub(r"\s+", "", "".join(self.pages))


def read_pdf(source: bytes | Path) -> Pdf:
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    reader = PdfReader(io.BytesIO(data))
    return Pdf(data, reader, [page.extract_text() or "" for page in reader.pages])


def make_two_cycles(ctx, folder: Path) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """The sample chatbot review with an evidence file, then a second cycle with changes."""
    answers = AnswerService(ctx)
    first = create_sample(ctx).id
    evidence = folder / "ai-policy-v2.txt"
    evidence.write_text("AI policy, version 2, approved by the board.\n", encoding="utf-8")
    answers.attach_file(first, "GOVERN 1.2", evidence, "AI policy v2 (signed)")
    second = LifecycleService(ctx).start_next_cycle(first, "Chatbot review, second cycle").id
    answers.record(second, "GOVERN 2.2", metrics=rubric("M", "M", "M"))  # 2 -> 3: improved
    answers.record(second, "GOVERN 1.4", metrics=rubric("L", "L", "M"))  # 4 -> 2: regressed
    answers.record(second, "MEASURE 1.1", metrics=rubric("H", "M", "M"), owner="Data science")
    answers.record(
        second, "MANAGE 3.2", not_applicable=True, na_rationale="No pre-trained model is used."
    )
    return first, second

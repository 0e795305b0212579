"""Check a PDF report against the stored assessment: ``airmf verify ID --report FILE.pdf``.

The report embeds the native JSON export it was made from and carries its fingerprint in the
PDF's metadata (see domain.report_fingerprint). The check recomputes the fingerprint from the
embedded export (a mismatch means the file was altered), then compares it with the fingerprint
of the assessment as stored now and lists what differs.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path

from app.domain.report_fingerprint import (
    EXPORT_ATTACHMENT,
    FINGERPRINT_KEYWORD,
    differences,
    recipe_of,
    report_fingerprint,
)
from app.services.context import ServiceContext
from app.services.errors import InvalidInput
from app.services.exchange import MAX_IMPORT_BYTES, ExchangeService, read_bounded

MAX_REPORT_BYTES = 4 * MAX_IMPORT_BYTES  # the export embedded, plus the pages


@dataclass(frozen=True)
class ReportCheck:
    """The outcome of checking one report file against one stored assessment.

    ``printed``: the fingerprint the report states; ``embedded``: the one its embedded export
    gives (they differ when the file was altered); ``current``: the one the stored assessment
    gives now. ``differences``: one sentence per difference between the embedded export and
    the stored assessment (empty when they match).
    """

    report_uid: str
    report_name: str
    printed: str
    embedded: str
    current: str
    differences: tuple[str, ...]

    @property
    def altered(self) -> bool:
        """The embedded export does not give the fingerprint the report states."""
        return self.printed != self.embedded

    @property
    def matches(self) -> bool:
        """The report is unaltered and still matches the stored assessment."""
        return not self.altered and self.embedded == self.current


def read_report(path: Path) -> tuple[str, dict[str, object]]:
    """The fingerprint stated by a report and its embedded export (parsed JSON).

    Raises InvalidInput naming the file when it cannot be read, is not a PDF, or is not a
    report of this app (no embedded export or no stated fingerprint)."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    raw = read_bounded(Path(path), MAX_REPORT_BYTES)
    name = str(path)
    if not raw.startswith(b"%PDF-"):
        raise InvalidInput(f"{name}: is not a PDF file")
    not_ours = (
        f"{name}: is not a report made by AI RMF Assessor with an embedded assessment export "
        "(reports made before this version have none); it cannot be verified"
    )
    try:
        reader = PdfReader(io.BytesIO(raw))
        attachments = reader.attachments
        keywords = str((reader.metadata or {}).get("/Keywords", "") or "")
        files = attachments.get(EXPORT_ATTACHMENT)
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise InvalidInput(f"{name}: is not a readable PDF: {exc}") from exc
    if not files:
        raise InvalidInput(not_ours)
    printed = ""
    for word in keywords.split(","):
        word = word.strip()
        if word.startswith(FINGERPRINT_KEYWORD):
            printed = word[len(FINGERPRINT_KEYWORD) :]
    if not printed:
        raise InvalidInput(not_ours)
    try:
        document = json.loads(files[0])
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"{name}: its embedded export is not valid JSON: {exc}") from exc
    if not isinstance(document, dict) or document.get("format") != "airmf-assessment":
        raise InvalidInput(f"{name}: its embedded file is not an assessment export")
    return printed, document


def check_report(ctx: ServiceContext, assessment_id: int, path: Path) -> ReportCheck:
    """Compare the report at ``path`` with assessment ``assessment_id`` as stored now.

    Raises InvalidInput (see ``read_report``) or NotFound; reads only."""
    printed, document = read_report(path)
    exchange = ExchangeService(ctx)
    current = json.loads(exchange.serialize(exchange.document(assessment_id)))
    meta = document.get("assessment")
    meta = meta if isinstance(meta, dict) else {}
    try:
        # A report made by an earlier recipe version is checked by that version.
        recipe = recipe_of(document, printed)
        embedded = report_fingerprint(document, recipe)
        found = tuple(differences(document, current, recipe=recipe))
    except (TypeError, AttributeError, KeyError, ValueError) as exc:
        raise InvalidInput(f"{path}: its embedded export is malformed: {exc}") from exc
    return ReportCheck(
        report_uid=str(meta.get("uid", "")),
        report_name=str(meta.get("name", "")),
        printed=printed,
        embedded=embedded,
        current=report_fingerprint(current, recipe),
        differences=found,
    )

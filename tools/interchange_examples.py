"""Write the interchange examples kept in docs/examples/ from a fresh sample assessment.

    python tools/interchange_examples.py [OUT_DIR]      # default: docs/examples

The questionnaire workbook (.xlsx) and CSV, the Word report (.docx) and the OSCAL documents,
made at a fixed time so that a new run differs only where the sample's random uid shows.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

from app.services.bootstrap import open_services
from app.services.interchange.docx_export import export_docx
from app.services.interchange.oscal import OscalService
from app.services.interchange.service import InterchangeService
from app.services.sample import create_sample


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        ctx = open_services(str(Path(folder) / "examples.sqlite3"))
        ctx.clock = lambda: dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)
        ctx.actor = "Example Assessor"
        sample = create_sample(ctx)
        service = InterchangeService(ctx)
        service.export_xlsx(sample.id, out / "questionnaire.xlsx", force=True)
        service.export_csv(sample.id, out / "questionnaire.csv", force=True)
        export_docx(ctx, sample.id, out / "report.docx", force=True)
        for path in OscalService(ctx).export(sample.id, out / "oscal", force=True):
            print(path)
        ctx.db.dispose()
    print(f"wrote the examples to {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/examples"))

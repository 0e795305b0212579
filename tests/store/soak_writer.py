"""One writer process of the soak test: N saves on one assessment, one line printed per save.

argv: DB_URL_OR_PATH ASSESSMENT_ID WORKER COUNT SHARED_SUBCATEGORY OWN_SUBCATEGORY [evidence]
With "evidence", each save adds the link https://example.org/w<WORKER>/<k> to the shared
subcategory. Otherwise each save writes the notes field "w<WORKER>-<k>" on the shared
subcategory (even k) or on the worker's own subcategory (odd k). Prints one tab-separated line
per save: "ok SUB VALUE", "conflict SUB VALUE MESSAGE" or "refused SUB VALUE MESSAGE"; anything
else (a traceback) fails the test that reads it.
"""

from __future__ import annotations

import sys

from app.services.answers import AnswerService
from app.services.bootstrap import open_services
from app.services.errors import ServiceError


def main() -> int:
    url, aid, worker, count, shared, own = sys.argv[1:7]
    evidence = sys.argv[7:] == ["evidence"]
    ctx = open_services(url)
    answers = AnswerService(ctx)
    for k in range(int(count)):
        sub = shared if evidence or k % 2 == 0 else own
        value = f"w{worker}-{k}"
        try:
            if evidence:
                answers.add_link(int(aid), sub, value, f"https://example.org/w{worker}/{k}")
            else:
                answers.record(int(aid), sub, notes=value)
        except ServiceError as exc:
            kind = "conflict" if "conflict" in str(exc).lower() else "refused"
            print(kind, sub, value, str(exc).replace("\n", " "), sep="\t", flush=True)
        else:
            print("ok", sub, value, sep="\t", flush=True)
    ctx.db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""One writer process of the soak test: N saves on one assessment, one line printed per save.

argv: DB_URL_OR_PATH ASSESSMENT_ID WORKER COUNT SHARED_SUBCATEGORY OWN_SUBCATEGORY [evidence]
With "evidence", each save adds the link https://example.org/w<WORKER>/<k> to the shared
subcategory. Otherwise each save writes the value "w<WORKER>-<k>" on the shared subcategory
(even k) or on the worker's own subcategory (odd k), into the field ``field_of(WORKER)``
(notes for even workers, owner for odd ones: writers of the shared answer touch the same field
or different ones). Each save states the version it is based on: the one this writer last saw
of that answer (its own last save, or a conflict's report), like a window that shows an answer
while others save it. Prints one tab-separated line per save: "ok SUB VALUE",
"conflict SUB VALUE MESSAGE" or "refused SUB VALUE MESSAGE"; anything else (a traceback) fails
the test that reads it.
"""

from __future__ import annotations

import sys

from app.services.answers import AnswerService
from app.services.bootstrap import open_services
from app.services.errors import Conflict, ServiceError


def field_of(worker: int) -> str:
    """The answer field a worker writes its values into."""
    return "notes" if worker % 2 == 0 else "owner"


def main() -> int:
    url, aid, worker, count, shared, own = sys.argv[1:7]
    evidence = sys.argv[7:] == ["evidence"]
    ctx = open_services(url)
    answers = AnswerService(ctx)
    seen = answers.versions(int(aid))  # the versions this writer last saw, per subcategory
    field = field_of(int(worker))
    for k in range(int(count)):
        sub = shared if evidence or k % 2 == 0 else own
        value = f"w{worker}-{k}"
        try:
            if evidence:
                answers.add_link(int(aid), sub, value, f"https://example.org/w{worker}/{k}")
            else:
                answers.record(int(aid), sub, base_version=seen.get(sub, 0), **{field: value})
                seen[sub] = answers.last_version or 0
        except Conflict as exc:
            seen[sub] = exc.version  # "keep mine" would save again on this version
            print("conflict", sub, value, str(exc).replace("\n", " "), sep="\t", flush=True)
        except ServiceError as exc:
            print("refused", sub, value, str(exc).replace("\n", " "), sep="\t", flush=True)
        else:
            print("ok", sub, value, sep="\t", flush=True)
    ctx.db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())

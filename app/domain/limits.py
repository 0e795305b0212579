"""The one rule set for every free-text, number and instant field: lengths, characters, ranges.

The window, the command line, import and export all check a value with these rules at entry,
so that whatever can be stored can also be exported and imported again. Limits are counted in
characters (Python ``len``), except the byte sizes.

Why these numbers: a name, a signer, a role, an owner or an actor is a line of text (200); a
reason or a sign-off statement is a paragraph or a page (2,000 / 5,000); a note, a rationale or a
scope is a few pages (20,000). With the AI RMF's 72 subcategories, every answer at its limits
fits in an export far below the import limit (``MAX_IMPORT_BYTES``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Hashable, Iterable

NAME_MAX = 200  # names, AI system, signer, role, owner, actor, evidence title
SHORT_TEXT_MAX = 1_000  # organization, assessor, evidence file name
URL_MAX = 2_000  # an evidence link
REASON_MAX = 2_000  # why a finalized assessment is reopened
STATEMENT_MAX = 5_000  # the sign-off statement
TEXT_MAX = 20_000  # notes, not-applicable rationale, scope
MAX_EVIDENCE_BYTES = 100 * 1024 * 1024  # one attached evidence file
MAX_EVIDENCE_ITEMS = 200  # evidence items on one answer
MAX_IMPORT_BYTES = 50 * 1024 * 1024  # one export document (JSON)
MAX_ID = 2**63 - 1  # the largest row id SQLite stores (a signed 64-bit integer)
# Instants (created, updated, finalized, history times) outside these years are refused: they
# cannot be shown in every time zone (year 1 or 9999 overflow when converted to local time).
EARLIEST_INSTANT = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
LATEST_INSTANT = dt.datetime(3000, 1, 1, tzinfo=dt.UTC)
_ALLOWED_CONTROLS = "\n\r\t"
_SURROGATE = re.compile("[\ud800-\udfff]")


class LimitError(ValueError):
    """A value breaks one of these rules; the message says which (without the field name)."""


def control_character(value: str, *, multiline: bool = True) -> str | None:
    """The first forbidden control character of ``value`` (as ``U+XXXX``), or None.

    Forbidden: C0 controls except line breaks and tabs (only when ``multiline``), DEL and the C1
    controls, which terminals and PDF renderers interpret instead of showing.
    """
    allowed = _ALLOWED_CONTROLS if multiline else ""
    for ch in value:
        code = ord(ch)
        if (code < 32 and ch not in allowed) or 0x7F <= code <= 0x9F:
            return f"U+{code:04X}"
    return None


def plain_text(value: str) -> bool:
    """True when Pydantic's str validation and our text rule take ``value`` as it is: no
    forbidden control character (``control_character``) and no lone surrogate (U+D800 to
    U+DFFF, which Python keeps from undecodable bytes, e.g. a command-line argument that is
    not UTF-8, and which Pydantic refuses as not a valid string)."""
    return control_character(value) is None and (
        value.isascii() or _SURROGATE.search(value) is None
    )


def check_text(value: str, limit: int, *, multiline: bool = True) -> str:
    """Return ``value`` if it is at most ``limit`` characters without forbidden controls.

    Raises LimitError ("is longer than N characters (M)", "contains the control character ...",
    "is not valid text" for a lone surrogate, which undecodable bytes become).
    """
    if len(value) > limit:
        raise LimitError(f"is longer than {limit:,} characters ({len(value):,})")
    bad = control_character(value, multiline=multiline)
    if bad is not None:
        raise LimitError(f"contains the control character {bad}")
    if not value.isascii() and _SURROGATE.search(value):  # undecodable bytes: not storable
        raise LimitError("is not valid text (characters that are not Unicode)")
    return value


def check_line(value: str, limit: int = NAME_MAX, *, required: bool = False) -> str:
    """A one-line value (name, signer, role, actor...), stripped of surrounding spaces.

    Raises LimitError when it is empty and ``required``, too long, or holds a control
    character (a line break included).
    """
    value = value.strip()
    if required and not value:
        raise LimitError("is empty")
    return check_text(value, limit, multiline=False)


def check_instant(value: dt.datetime) -> dt.datetime:
    """Refuse an instant without a time zone or outside EARLIEST_INSTANT..LATEST_INSTANT."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise LimitError("has no time zone (write it as UTC, e.g. 2026-01-31T12:00:00Z)")
    if not EARLIEST_INSTANT <= value < LATEST_INSTANT:
        raise LimitError(
            f"is outside the years {EARLIEST_INSTANT.year}-{LATEST_INSTANT.year - 1} ({value})"
        )
    return value


def check_unique(values: Iterable[Hashable], what: str = "an item") -> None:
    """Raise LimitError naming the first value that appears twice in ``values``."""
    seen: set[Hashable] = set()
    for value in values:
        if value in seen:
            raise LimitError(f"lists {what} twice ({value!r})")
        seen.add(value)


def check_id(text: str) -> int:
    """A row id typed by a user: ASCII digits only, 1..MAX_ID. Raises LimitError."""
    if not (text.isascii() and text.isdigit()):
        raise LimitError(f"{text[:40]!r} is not an id (a whole number such as 3)")
    if len(text) > 19 or not 1 <= int(text) <= MAX_ID:
        raise LimitError(f"{text[:40]!r} is not an id (ids run from 1 to {MAX_ID})")
    return int(text)

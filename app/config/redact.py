"""Hide credentials in any text shown or logged: the one helper for every message and log line."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import logging

# scheme://user:password@host  ->  scheme://user:***@host (the password may contain '@' or ':').
_URL_CREDENTIALS = re.compile(r"(?P<head>\b[A-Za-z][A-Za-z0-9+.\-]*://[^/\s:@]*):[^\s/]*@")
# libpq / ODBC style key=value pairs: password=secret, pwd='secret'.
_KEY_VALUE = re.compile(
    r"(?P<key>\b(?:password|passwd|pwd)\s*=\s*)(?:'[^']*'|\"[^\"]*\"|[^\s&;,)]+)", re.IGNORECASE
)
MASK = "***"


def redact(text: str) -> str:
    """``text`` with the password of every URL (``user:***@``) and every ``password=`` value
    replaced by ``***``. Idempotent; other text is unchanged."""
    text = _URL_CREDENTIALS.sub(lambda m: f"{m['head']}:{MASK}@", text)
    return _KEY_VALUE.sub(lambda m: f"{m['key']}{MASK}", text)


class RedactingFilter:
    """A logging filter that redacts each record's final message (arguments merged in).

    Logging takes any object with a ``filter`` method as a filter, so this one needs no
    ``logging`` at import: the command line, which logs nothing, does not import it.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and record.exc_info[1] is not None:
            import logging

            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        return True

"""Turn Pydantic validation errors into one readable line naming the field path."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pydantic import ValidationError


def describe_validation_error(exc: ValidationError, prefix: str = "") -> str:
    """One line for up to three of ``exc``'s errors, each "<field path>: <what is wrong>"
    (``prefix`` before each path), then "and N more problem(s)". The common refusals are
    worded for people (``_WORDING``: "must not be empty", "is longer than 1,000 characters");
    any other keeps Pydantic's message. No phrase holds "; ", which
    separates the errors."""
    parts = []
    for err in exc.errors()[:3]:
        loc = ".".join(str(p) for p in err.get("loc", ()))
        where = f"{prefix}{loc}" if loc else (prefix.rstrip(".") or "value")
        parts.append(f"{where}: {what_is_wrong(err)}")
    more = exc.error_count() - len(parts)
    if more > 0:
        parts.append(f"and {more} more problem(s)")
    return "; ".join(parts)


def what_is_wrong(err: Mapping[str, Any]) -> str:
    """What is wrong with one value, from one error of ``ValidationError.errors()``: in our
    words for the common refusals ("must not be empty"), else Pydantic's message."""
    word = _WORDING.get(str(err.get("type")))
    message = str(err.get("msg", "invalid"))
    if word is None:
        return message
    try:
        return word(err.get("ctx") or {}, err.get("input"))
    except (KeyError, TypeError, ValueError):  # a context of another shape: Pydantic's words
        return message


def _too_short(ctx: Mapping[str, Any], _value: object) -> str:
    least = int(ctx["min_length"])
    return "must not be empty" if least == 1 else f"needs at least {least:,} characters"


def _too_long(ctx: Mapping[str, Any], _value: object) -> str:
    # Not the length given: a field that strips spaces counts the text without them.
    return f"is longer than {int(ctx['max_length']):,} characters"


def _too_many(ctx: Mapping[str, Any], _value: object) -> str:
    given, most = int(ctx["actual_length"]), int(ctx["max_length"])
    return f"has {given:,} items, at most {most:,} are allowed"


# Pydantic error type -> (its context, the value given) -> what is wrong, in our words.
_WORDING: dict[str, Callable[[Mapping[str, Any], object], str]] = {
    "missing": lambda _c, _v: "is required",
    "extra_forbidden": lambda _c, _v: "is not a known field",
    "string_too_short": _too_short,
    "string_too_long": _too_long,
    "too_long": _too_many,
    "greater_than_equal": lambda c, _v: f"must be at least {c['ge']}",
    "less_than_equal": lambda c, _v: f"must be at most {c['le']}",
    "int_parsing": lambda _c, _v: "must be a whole number",
    "int_type": lambda _c, _v: "must be a whole number",
    "int_from_float": lambda _c, _v: "must be a whole number",
    "bool_parsing": lambda _c, _v: "must be yes or no (true or false)",
    "bool_type": lambda _c, _v: "must be yes or no (true or false)",
    "string_type": lambda _c, _v: "must be text",
    "string_unicode": lambda _c, _v: "is not valid text (characters that are not Unicode)",
    "dict_type": lambda _c, _v: "must be a set of names and values",
    "enum": lambda c, _v: f"must be one of {c['expected']}",
    "string_pattern_mismatch": lambda _c, _v: "is not in the expected form",
    # Our own rules raise ValueError; Pydantic puts "Value error, " before their words.
    "value_error": lambda c, _v: str(c["error"]),
}


# How the phrases above begin: they read on after the field's name ("The scope is ...").
_PREDICATES = ("must ", "is ", "has ", "needs ", "contains ")


def field_sentence(label: str, message: str) -> str:
    """A sentence about one field for a dialog: "The scope is longer than 20,000 characters."
    when ``message`` reads on after the field's ``label``, "Owner: <message>." otherwise,
    "<label> is required." for an empty required field, and the message alone as a sentence
    when ``label`` is empty (a refusal about no one field)."""
    text = message.removeprefix("Value error, ").rstrip(".")
    if not label:  # about no one field (an unknown framework): the message alone
        return text[:1].upper() + text[1:] + "."
    if text == "must not be empty":
        return f"{label} is required."
    if text.startswith(_PREDICATES):
        return f"{label} {text}."
    return f"{label}: {text}."

"""Errors of the PDF renderer (the service turns them into user-facing ServiceErrors)."""

from __future__ import annotations


class RenderError(Exception):
    """The report could not be produced (a missing font, a layout problem)."""


class RenderCancelled(RenderError):
    """The caller asked to stop; nothing was produced."""

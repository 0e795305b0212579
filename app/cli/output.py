"""Shapes of ``--json`` output (documented in the README) and plain-text tables."""

from __future__ import annotations

from typing import Any

from app.domain.numbers import format_percent, format_score
from app.domain.scoring import NodeScore
from app.services.assessments import AssessmentSummary


def _num(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def node_json(node: NodeScore) -> dict[str, Any]:
    return {
        "id": node.id,
        "title": node.title,
        "score": _num(node.score),
        "level": node.level,
        "level_name": node.level_name or None,
        "completion": _num(node.completion),
        "rated": node.rated,
        "not_applicable": node.not_applicable,
        "total": node.total,
        "provisional": node.provisional,
        "unreviewed": node.unreviewed,
        "target": _num(node.target),
        "gap": _num(node.gap),
        "below_target": node.below_target,
    }


def score_json(summary: AssessmentSummary, tree: NodeScore) -> dict[str, Any]:
    a = summary.assessment
    return {
        "assessment": {
            "id": a.id,
            "name": a.name,
            "ai_system": a.ai_system,
            "framework": f"{a.framework_id}",
            "scheme": a.scheme_id,
            "default_target": a.default_target,
            "status": a.status.value,
        },
        "overall": node_json(tree),
        "functions": [
            {
                **node_json(f),
                "categories": [
                    {**node_json(c), "subcategories": [node_json(s) for s in c.children]}
                    for c in f.children
                ],
            }
            for f in tree.children
        ],
    }


def summary_json(summary: AssessmentSummary) -> dict[str, Any]:
    a, o = summary.assessment, summary.overall
    return {
        "id": a.id,
        "name": a.name,
        "ai_system": a.ai_system,
        "organization": a.organization,
        "assessor": a.assessor,
        "framework": a.framework_id,
        "scheme": a.scheme_id,
        "status": a.status.value,
        "default_target": a.default_target,
        "created_at": a.created_at.isoformat(),
        "updated_at": a.updated_at.isoformat(),
        "score": _num(o.score),
        "level_name": o.level_name or None,
        "completion": _num(o.completion),
        "unreviewed": o.unreviewed,
        "provisional": o.provisional,
        "origin": a.origin.value,
    }


def node_line(node: NodeScore, indent: int = 0) -> str:
    """One row of the ``score`` table: score, level, completion, target, gap and how many rated
    subcategories beneath are below their target, every number written by ``numbers``."""
    mark = " (provisional)" if node.provisional and node.score is not None else ""
    level = f" {node.level_name}" if node.level_name else ""
    label = node.id if node.kind != "overall" else "OVERALL"
    unreviewed = f"  {node.review_note}" if node.unreviewed else ""
    return (
        f"{' ' * indent}{label:<{16 - indent}} {format_score(node.score):>4}{level:<12}{mark:<14} "
        f"complete {format_percent(node.completion):>4}  target {format_score(node.target):>3}  "
        f"gap {format_score(node.gap):>3}  below target {node.below_target}{unreviewed}"
    )


def table(rows: list[list[str]], headers: list[str]) -> str:
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)
    ]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True))  # noqa: E731
    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)])

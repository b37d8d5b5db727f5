"""The board's questions as charts: the figures each chart of the summary report draws.

Each chart is also a table in the report (the same figures), and its series are told apart by
pattern and label as well as shade, so it reads without colour and prints in greyscale.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sclearn.core.framework import Framework
from sclearn.core.vocabulary import PROGRESS
from sclearn.services.collate.small import Hidden, total

Count = int | Hidden  # a count, or the words an anonymised output shows instead


def _n(value: Count) -> int:
    """A count as a bar draws it: a hidden one is not drawn."""
    return value if isinstance(value, int) else 0


def bars(items: Sequence[tuple[str, Count]]) -> dict[str, Any]:
    """One bar per item, as a share of the longest."""
    top = max((_n(v) for _, v in items), default=0) or 1
    return {
        "max": top,
        "bars": [
            {"label": label, "value": value, "pct": round(100 * _n(value) / top, 1)}
            for label, value in items
        ],
    }


def stacked(series: list[str], rows: list[tuple[str, list[Count]]]) -> dict[str, Any]:
    """One bar per row, split into its series, each part a share of the longest bar."""
    top = max((sum(map(_n, v)) for _, v in rows), default=0) or 1
    out = []
    for label, values in rows:
        start, parts = 0.0, []
        for i, v in enumerate(values):
            width = round(100 * _n(v) / top, 1)
            parts.append({"series": i, "value": v, "start": start, "pct": width})
            start = round(start + width, 1)
        out.append({"label": label, "total": total(values), "counts": values, "parts": parts})
    return {"series": series, "rows": out}


def funnel(fig: dict[str, Any], started: Count) -> list[tuple[str, Count]]:
    """The pledge life cycle, each step with how many pledges reached it (``fig`` as the
    collation JSON has it; ``started``: the files collated)."""
    reviews = fig["reviews"]
    return [
        ("Started", started),
        ("Stage 1 complete", fig["stage1_complete"]),
        (
            "Review due (due within 30 days, overdue or done)",
            total(reviews[k] for k in ("due_within_30_days", "overdue", "completed")),
        ),
        ("Review in progress", reviews["in_progress"]),
        ("Reviewed", reviews["completed"]),
        ("Stage 2 complete", fig["stage2_complete"]),
        ("Stage 2 signed off", fig["signoff"]["stage2"]),
    ]


def progress_by_point(
    fw: Framework, points: dict[str, Any], labels: dict[str, str]
) -> dict[str, Any]:
    """Per point: positive change, no change and deterioration recorded at the reviews."""
    return stacked(
        [labels[k] for k in PROGRESS],
        [
            (f"{p.number}) {p.title}", [points[p.id]["progress"][k] for k in PROGRESS])
            for p in fw.points
        ],
    )


def evidence_by_point(fw: Framework, fig: dict[str, Any]) -> dict[str, Any]:
    """Per point: the evidence items by source, points whose evidence is all self report marked."""
    only = set(fig["self_report_only"])
    codes = list(fw.evidence_sources)
    return stacked(
        [f"{c} — {m}" for c, m in fw.evidence_sources.items()],
        [
            (
                f"{p.number}) {p.title}" + (" (self report only)" if p.id in only else ""),
                [fig["point_evidence_sources"][p.id].get(c, 0) for c in codes],
            )
            for p in fw.points
        ],
    )

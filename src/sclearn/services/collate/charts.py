"""The board's questions as charts: the figures each chart of the summary report draws.

Each chart is also a table in the report (the same figures), and its series are told apart by
pattern and label as well as shade, so it reads without colour and prints in greyscale.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sclearn.core.framework import Framework
from sclearn.core.pledge import PROGRESS
from sclearn.services.collate.figures import Figures


def bars(items: list[tuple[str, int]]) -> dict[str, Any]:
    """One bar per item, as a share of the longest."""
    top = max((v for _, v in items), default=0) or 1
    return {
        "max": top,
        "bars": [
            {"label": label, "value": value, "pct": round(100 * value / top, 1)}
            for label, value in items
        ],
    }


def stacked(series: list[str], rows: list[tuple[str, list[int]]]) -> dict[str, Any]:
    """One bar per row, split into its series, each part a share of the longest bar."""
    top = max((sum(v) for _, v in rows), default=0) or 1
    out = []
    for label, values in rows:
        start, parts = 0.0, []
        for i, v in enumerate(values):
            width = round(100 * v / top, 1)
            parts.append({"series": i, "value": v, "start": start, "pct": width})
            start = round(start + width, 1)
        out.append({"label": label, "total": sum(values), "counts": values, "parts": parts})
    return {"series": series, "rows": out}


def funnel(fig: Figures) -> list[tuple[str, int]]:
    """The pledge life cycle, each step with how many pledges reached it."""
    return [
        ("Started", fig.valid),
        ("Stage 1 complete", fig.stage1),
        (
            "Review due (due within 30 days, overdue or done)",
            fig.due_soon + fig.overdue + fig.completed,
        ),
        ("Review in progress", fig.in_progress),
        ("Reviewed", fig.completed),
        ("Stage 2 complete", fig.stage2),
        ("Stage 2 signed off", fig.signoff["stage2"]),
    ]


def progress_by_point(fw: Framework, fig: Figures, labels: dict[str, str]) -> dict[str, Any]:
    """Per point: positive change, no change and deterioration recorded at the reviews."""
    return stacked(
        [labels[k] for k in PROGRESS],
        [
            (f"{p.number}) {p.title}", [fig.points[p.id]["progress"][k] for k in PROGRESS])
            for p in fw.points
        ],
    )


def evidence_by_point(fw: Framework, fig: Figures) -> dict[str, Any]:
    """Per point: the evidence items by source, points whose evidence is all self report marked."""
    only = set(fig.self_report_only())
    codes = list(fw.evidence_sources)
    return stacked(
        [f"{c} — {m}" for c, m in fw.evidence_sources.items()],
        [
            (
                f"{p.number}) {p.title}" + (" (self report only)" if p.id in only else ""),
                [fig.point_sources[p.id][c] for c in codes],
            )
            for p in fw.points
        ],
    )


def overdue_by(overdue: list[dict[str, Any]], key: str) -> list[tuple[str, int]]:
    """Overdue reviews per district (or agency), most first."""
    counts = Counter(str(o[key]) or "(not given)" for o in overdue)
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))

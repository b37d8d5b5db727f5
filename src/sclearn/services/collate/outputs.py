"""The collation's summary report's content.

The JSON output is ``Collation.as_json()`` itself; the Markdown and HTML reports lay out
``report_data`` with their templates (see ``render``). The item table (CSV, Parquet) is in
``tables``, the workbook in ``workbook``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from sclearn.core.pledge import BALANCE, PROGRESS, VERDICTS
from sclearn.services.collate import Collation
from sclearn.services.collate.figures import factor_key

LIST_LIMIT = 10  # signs of success and evidence shown per point in the summary reports


def _bars(items: list[tuple[str, int]]) -> dict[str, Any]:
    top = max((v for _, v in items), default=0) or 1
    return {
        "max": top,
        "bars": [
            {"label": label, "value": value, "pct": round(100 * value / top, 1)}
            for label, value in items
        ],
    }


def report_data(collation: Collation) -> dict[str, Any]:
    """The summary report's content, shaped for the templates (which only lay it out)."""
    from sclearn.exports.render import BALANCE_LABELS, PROGRESS_LABELS, VERDICT_LABELS, uk_date

    data = collation.as_json()
    ed = collation.chosen
    assert ed is not None
    fw, fig = ed.fw, ed.figures
    sources = fw.evidence_sources
    sr_only = set(fig.self_report_only())
    unname = collation.unname
    areas = []
    for area in fw.areas:
        points = []
        for pt in area.points:
            f = fig.points[pt.id]
            signs = ed.signs.get(pt.id, [])
            evidence = ed.evidence.get(pt.id, [])
            points.append(
                {
                    "number": pt.number,
                    "id": pt.id,
                    "title": pt.title,
                    "owners_pledging": f["owners_pledging"],
                    "pledges": f["pledges"],
                    "good_practice_count": f["good_practice"],
                    "progress": [(PROGRESS_LABELS[k], v) for k, v in f["progress"].items()],
                    "verdicts": [(VERDICT_LABELS[k], v) for k, v in f["signs"].items()],
                    "sources": [(code, fig.point_sources[pt.id][code]) for code in sources],
                    "self_report_only": pt.id in sr_only,
                    "catalogue": [
                        {"text": unname(t), "who": collation.attribution(w)}
                        for t, w in ed.good_practice.get(pt.id, [])
                    ],
                    "signs": [unname(x) for x in signs[:LIST_LIMIT]],
                    "signs_more": max(0, len(signs) - LIST_LIMIT),
                    "evidence": [
                        {"text": unname(t), "source": f"{c} — {sources.get(c, c)}"}
                        for t, c in evidence[:LIST_LIMIT]
                    ],
                    "evidence_more": max(0, len(evidence) - LIST_LIMIT),
                }
            )
        areas.append({"number": area.number, "title": area.title, "points": points})
    progress_total, verdict_total = Counter[str](), Counter[str]()
    for f in fig.points.values():
        progress_total.update(f["progress"])
        verdict_total.update(f["signs"])
    headline = [
        ("Pledge files found", collation.files),
        ("Collated (valid, this framework edition)", fig.valid),
        ("Individuals", fig.owners["individual"]),
        ("Teams", fig.owners["team"]),
        ("Stage 1 complete", fig.stage1),
        ("Stage 2 complete", fig.stage2),
        ("Reviews completed", fig.completed),
        ("Reviews overdue", fig.overdue),
        ("Reviews due within 30 days", fig.due_soon),
        ("Reviews in progress", fig.in_progress),
        ("Stage 1 signed off", fig.signoff["stage1"]),
        ("Stage 2 signed off", fig.signoff["stage2"]),
        ("Changed since sign-off", fig.signoff["changed_since_signoff"]),
        ("Files that could not be read", len(collation.invalid)),
    ]
    domains = fw.professional_dimension.domains if fw.professional_dimension else []
    reflection = [
        {
            "title": d.title,
            "rows": [
                {
                    "title": dim.title,
                    **{b: fig.reflection.get(d.id, {}).get(dim.id, Counter())[b] for b in BALANCE},
                }
                for dim in d.dimensions
                if fig.reflection.get(d.id, {}).get(dim.id)
            ],
        }
        for d in domains
        if fig.reflection.get(d.id)
    ]
    groups = [
        {
            "name": name,
            "headline": [
                ("Collated", g.valid),
                ("Individuals", g.owners["individual"]),
                ("Teams", g.owners["team"]),
                ("Stage 1 complete", g.stage1),
                ("Stage 2 complete", g.stage2),
                ("Reviews overdue", g.overdue),
            ],
        }
        for name, g in sorted(collation.groups().items())
    ]

    def top(counter: Counter[str]) -> list[tuple[str, int]]:
        if not collation.options.redact:
            return [(ed.wording[k], n) for k, n in counter.most_common(15)]
        # Names removed, two factors can become one ("Priya helps" and "Sam helps").
        merged: Counter[str] = Counter()
        wording: dict[str, str] = {}
        for k, n in counter.items():
            text = unname(ed.wording[k])
            merged[factor_key(text)] += n
            wording.setdefault(factor_key(text), text)
        return [(wording[k], n) for k, n in merged.most_common(15)]

    return {
        "title": "Developing and Improving Practice Pledges: collated summary",
        "as_of": uk_date(collation.options.as_of),
        "framework": {
            "title": fw.title,
            "publisher": fw.publisher,
            "edition": fw.edition,
            "version": fw.version,
            "id": fw.id,
        },
        "anonymised": collation.options.anonymise,
        "anonymity_rule": data.get("anonymity_rule", ""),
        "group_by": collation.options.group_by,
        "headline": headline,
        "groups": groups,
        "areas": areas,
        "charts": {
            "pledging": _bars(
                [(f"{p.number}) {p.title}", fig.points[p.id]["owners_pledging"]) for p in fw.points]
            ),
            "progress": _bars([(PROGRESS_LABELS[k], progress_total[k]) for k in PROGRESS]),
            "sources": _bars([(f"{c} — {m}", fig.sources[c]) for c, m in sources.items()]),
            "signs": _bars([(VERDICT_LABELS[k], verdict_total[k]) for k in VERDICTS]),
        },
        "helps": top(ed.helps),
        "hinders": top(ed.hinders),
        "overdue": [
            {**o, "review_due": uk_date(dt.date.fromisoformat(o["review_due"]))}
            for o in sorted(data["overdue_reviews"], key=lambda o: str(o["review_due"]))
        ],
        "reflection": reflection,
        "balance_labels": BALANCE_LABELS,
        "invalid": data["invalid"],
        "other_frameworks": data["other_frameworks"],
        "extra_points": data["extra_points"],
    }

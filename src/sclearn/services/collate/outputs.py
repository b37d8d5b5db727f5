"""The collation's summary report's content.

The JSON output is ``Collation.as_json()`` itself; the Markdown and HTML reports lay out
``report_data`` with their templates (see ``render``). The item table (CSV, Parquet) is in
``tables``, the workbook in ``workbook``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from typing import Any

from sclearn.core.examples import Selection
from sclearn.core.pledge import BALANCE, PROGRESS, VERDICTS
from sclearn.core.themes import Theme, Themes
from sclearn.services.collate import Collation, charts
from sclearn.services.collate.charts import bars

FACTOR_THEMES = 15  # themes of what helps (and of what may hinder) the summary reports show
SIGN_THEMES = 5  # themes of the signs of success shown per point


def _theme(t: Theme, unname: Callable[[str], str]) -> dict[str, Any]:
    return {"label": unname(t.label), "count": t.count, "examples": [unname(x) for x in t.examples]}


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
            good = ed.good_practice.get(pt.id) or Selection()
            shown = good.pick()
            evidence = ed.evidence.get(pt.id) or Selection()
            evidence_shown = evidence.pick()
            signs = ed.signs.get(pt.id) or Themes()
            if collation.options.redact:
                signs = signs.mapped(unname)
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
                        {"text": unname(e.text), "who": collation.attribution(e.who)} for e in shown
                    ],
                    "catalogue_more": good.count - len(shown),
                    "signs": [_theme(t, unname) for t in signs.themes(SIGN_THEMES)],
                    "signs_count": signs.total,
                    "evidence": [
                        {
                            "text": unname(e.text),
                            "source": f"{e.note} — {sources.get(e.note, e.note)}",
                        }
                        for e in evidence_shown
                    ],
                    "evidence_more": evidence.count - len(evidence_shown),
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
            "progress_by_point": charts.progress_by_point(fw, g, PROGRESS_LABELS),
            "points": [
                {
                    "label": f"{p.number}) {p.title}",
                    "owners_pledging": g.points[p.id]["owners_pledging"],
                    "pledges": g.points[p.id]["pledges"],
                }
                for p in fw.points
            ],
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

    def top(themes: Themes) -> list[dict[str, Any]]:
        # Names removed, two factors can become one ("Priya helps" and "Sam helps").
        shown = themes.mapped(unname) if collation.options.redact else themes
        return [_theme(t, unname) for t in shown.themes(FACTOR_THEMES)]

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
            "pledging": bars(
                [(f"{p.number}) {p.title}", fig.points[p.id]["owners_pledging"]) for p in fw.points]
            ),
            "progress": bars([(PROGRESS_LABELS[k], progress_total[k]) for k in PROGRESS]),
            "sources": bars([(f"{c} — {m}", fig.sources[c]) for c, m in sources.items()]),
            "signs": bars([(VERDICT_LABELS[k], verdict_total[k]) for k in VERDICTS]),
            "funnel": bars(charts.funnel(fig)),
            "progress_by_point": charts.progress_by_point(fw, fig, PROGRESS_LABELS),
            "evidence_by_point": charts.evidence_by_point(fw, fig),
            "overdue_by_district": bars(charts.overdue_by(data["overdue_reviews"], "district")),
            "overdue_by_agency": bars(charts.overdue_by(data["overdue_reviews"], "agency")),
        },
        "helps": top(ed.helps),
        "hinders": top(ed.hinders),
        "helps_total": ed.helps.total,
        "hinders_total": ed.hinders.total,
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

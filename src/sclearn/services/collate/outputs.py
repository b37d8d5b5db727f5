"""The collation's summary report's content.

The JSON output is ``Collation.as_json()`` itself; the Markdown and HTML reports lay out
``report_data`` with their templates (see ``render``). The item table (CSV, Parquet) is in
``tables``, the workbook in ``workbook``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sclearn.core.examples import Selection
from sclearn.core.themes import Theme, Themes
from sclearn.core.vocabulary import PROGRESS, VERDICTS
from sclearn.services.collate import Collation, charts
from sclearn.services.collate.charts import bars
from sclearn.services.collate.small import NOT_SHOWN, Hidden, total

FACTOR_THEMES = 15  # themes of what helps (and of what may hinder) the summary reports show
SIGN_THEMES = 5  # themes of the signs of success shown per point


def report_data(collation: Collation) -> dict[str, Any]:
    """The summary report's content, shaped for the templates (which only lay it out)."""
    from sclearn.exports.render import BALANCE_LABELS, PROGRESS_LABELS, VERDICT_LABELS, uk_date

    data = collation.shown()
    ed = collation.chosen
    assert ed is not None
    fw = ed.fw
    sources = fw.evidence_sources
    sr_only = set(data["self_report_only"])
    unname, count = collation.unname, collation.count

    def theme(t: Theme) -> dict[str, Any]:
        return {
            "label": unname(t.label),
            "count": count(t.count, t.owners),
            "examples": [unname(x) for x in t.examples],
        }

    areas = []
    for area in fw.areas:
        points = []
        for pt in area.points:
            f = data["points"][pt.id]
            evidence_counts = data["point_evidence_sources"][pt.id]
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
                    "sources": [(code, evidence_counts.get(code, 0)) for code in sources],
                    "self_report_only": pt.id in sr_only,
                    "catalogue": [
                        {"text": unname(e.text), "who": collation.attribution(e.who)} for e in shown
                    ],
                    # "N more" and the examples shown add up to a count that may be hidden.
                    "catalogue_more": NOT_SHOWN
                    if isinstance(f["good_practice"], Hidden)
                    else count(good.count - len(shown)),
                    "signs": [theme(t) for t in signs.themes(SIGN_THEMES)],
                    "signs_count": count(signs.total, signs.owner_count()),
                    "evidence": [
                        {
                            "text": unname(e.text),
                            "source": f"{e.note} — {sources.get(e.note, e.note)}",
                        }
                        for e in evidence_shown
                    ],
                    "evidence_more": NOT_SHOWN
                    if any(isinstance(n, Hidden) for n in evidence_counts.values())
                    else count(evidence.count - len(evidence_shown)),
                }
            )
        areas.append({"number": area.number, "title": area.title, "points": points})
    reviews, signoff = data["reviews"], data["signoff"]
    headline = [
        ("Pledge files found", data["files"]),
        ("Collated (valid, this framework edition)", data["collated"]),
        ("Individuals", data["owners"]["individual"]),
        ("Teams", data["owners"]["team"]),
        ("Stage 1 complete", data["stage1_complete"]),
        ("Stage 2 complete", data["stage2_complete"]),
        ("Reviews completed", reviews["completed"]),
        ("Reviews overdue", reviews["overdue"]),
        ("Reviews due within 30 days", reviews["due_within_30_days"]),
        ("Reviews in progress", reviews["in_progress"]),
        ("Stage 1 signed off", signoff["stage1"]),
        ("Stage 2 signed off", signoff["stage2"]),
        ("Changed since sign-off", signoff["changed_since_signoff"]),
        ("Files that could not be read", len(collation.invalid)),
    ]
    domains = fw.professional_dimension.domains if fw.professional_dimension else []
    reflection = [
        {
            "title": d.title,
            "rows": [
                {"title": dim.title, **data["reflection"][d.id][dim.id]}
                for dim in d.dimensions
                if dim.id in data["reflection"][d.id]
            ],
        }
        for d in domains
        if d.id in data["reflection"]
    ]
    groups = [
        {
            "name": name,
            "progress_by_point": charts.progress_by_point(fw, g["points"], PROGRESS_LABELS),
            "points": [
                {
                    "label": f"{p.number}) {p.title}",
                    "owners_pledging": g["points"][p.id]["owners_pledging"],
                    "pledges": g["points"][p.id]["pledges"],
                }
                for p in fw.points
            ],
            "headline": [
                ("Collated", g["valid"]),
                ("Individuals", g["owners"]["individual"]),
                ("Teams", g["owners"]["team"]),
                ("Stage 1 complete", g["stage1_complete"]),
                ("Stage 2 complete", g["stage2_complete"]),
                ("Reviews overdue", g["reviews"]["overdue"]),
            ],
        }
        for name, g in data.get("groups", {}).items()
    ]
    points = data["points"]

    def top(themes: Themes) -> list[dict[str, Any]]:
        # Names removed, two factors can become one ("Priya helps" and "Sam helps").
        shown = themes.mapped(unname) if collation.options.redact else themes
        return [theme(t) for t in shown.themes(FACTOR_THEMES)]

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
                [(f"{p.number}) {p.title}", points[p.id]["owners_pledging"]) for p in fw.points]
            ),
            "progress": bars(
                [
                    (PROGRESS_LABELS[k], total(f["progress"][k] for f in points.values()))
                    for k in PROGRESS
                ]
            ),
            "sources": bars(
                [(f"{c} — {m}", data["evidence_sources"][c]) for c, m in sources.items()]
            ),
            "signs": bars(
                [
                    (VERDICT_LABELS[k], total(f["signs"][k] for f in points.values()))
                    for k in VERDICTS
                ]
            ),
            "funnel": bars(charts.funnel(data, data["collated"])),
            "progress_by_point": charts.progress_by_point(fw, points, PROGRESS_LABELS),
            "evidence_by_point": charts.evidence_by_point(fw, data),
            "overdue_by_district": bars(list(data["overdue_by_district"].items())),
            "overdue_by_agency": bars(list(data["overdue_by_agency"].items())),
        },
        "helps": top(ed.helps),
        "hinders": top(ed.hinders),
        "helps_total": count(ed.helps.total, ed.helps.owner_count()),
        "hinders_total": count(ed.hinders.total, ed.hinders.owner_count()),
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

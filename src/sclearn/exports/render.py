"""`sclearn render`: a pledge as a Markdown or HTML report, laid out like the seed's form.

Data is shaped here; the templates in ``templates/`` only lay it out (and a board may supply
its own with ``--templates``). User text reaches the templates as data, never as template
source, and HTML is autoescaped, so nothing a user writes is ever evaluated.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import jinja2

from sclearn.core.completeness import check_loaded, review_due
from sclearn.core.errors import UsageError
from sclearn.core.framework import Framework
from sclearn.core.names import name_remover
from sclearn.core.pledge import LoadedPledge, Owner, PointEntry, Review
from sclearn.core.source import Locations
from sclearn.exports.registry import REPORT, choose, matches
from sclearn.files.resources import builtin_templates_dir

TEMPLATES = {"md": "pledge.md.j2", "html": "pledge.html.j2"}
COLLATION_TEMPLATES = {"md": "collate.md.j2", "html": "collate.html.j2"}
PROGRESS_LABELS = {
    "positive-change": "Positive change",
    "no-change": "No change",
    "deterioration": "Deterioration",
}
VERDICT_LABELS = {
    "met": "Met",
    "partly": "Partly met",
    "not-yet": "Not yet",
    "too-early": "Too early to tell",
}
BALANCE_LABELS = {
    "towards-safety": "Tips towards safety",
    "balanced": "Balanced",
    "towards-danger": "Tips towards danger",
}


def uk_date(day: dt.date | None) -> str:
    """A date as people in the UK write it: 26 November 2026."""
    return f"{day.day} {day:%B %Y}" if day else ""


# Every ASCII punctuation mark that can start or end Markdown (CommonMark and GitHub's tables,
# strikethrough and autolinks) wherever it stands in a line gets a backslash before it: a
# table, one C pass (a regular-expression substitution cost a fifth of a Markdown report).
_MD_INLINE_TABLE = str.maketrans({c: "\\" + c for c in "\\`*_{}[]<>|#~!"})
# What is markup only at the start of a line: a list item ("-", "+", "1.", "1)"), a rule or a
# setext underline ("---", "==="), a fenced code block ("```", "~~~" after the above).
_MD_START = re.compile(r"^(\d+)([.)])(?=\s|$)|^([-+=])")
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")  # "&amp;" must show as typed, not as "&"
_EMAIL = re.compile(r"[A-Za-z0-9.+_-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")  # CommonMark's


def _md_text(value: str) -> str:
    value = value.translate(_MD_INLINE_TABLE)
    return _ENTITY.sub(r"\&", value) if "&" in value else value


def md_escape(text: object) -> str:
    """Text safe to place inline in Markdown: shown as typed on a git host, one line.

    E-mail addresses become autolinks (``<a@b.org>``), which show the address as typed and
    are not "bare" to a Markdown linter."""
    value = " ".join(str(text).split())
    if "@" in value:
        parts: list[str] = []
        at = 0
        for m in _EMAIL.finditer(value):
            parts += [_md_text(value[at : m.start()]), f"<{m.group()}>"]
            at = m.end()
        parts.append(_md_text(value[at:]))
        out = "".join(parts)
    else:  # most text: no address to look for (this runs for every text of every report)
        out = _md_text(value)
    start = _MD_START.match(out)
    if start is None:
        return out
    lead = f"{start[1]}\\{start[2]}" if start[1] else f"\\{start[3]}"
    return lead + out[start.end() :]


def md_cell(text: object) -> str:
    """``md_escape`` for a table cell, never empty (an empty cell reads as a missing one)."""
    return md_escape(text) or "–"


def md_heading(text: object) -> str:
    """Escaped, without the trailing punctuation Markdown linters reject in headings."""
    return md_escape(str(text).rstrip(" .,;:!?"))


# What a plain dict has as attributes (``items``, ``keys``...): ``x.items`` means the method.
_DICT_ATTRIBUTES = frozenset(dir(dict))


class _Environment(jinja2.Environment):
    """Jinja's environment, finding ``pt.pledges`` in the shaped data's dicts at once.

    Jinja looks an attribute up first and an item second, so every ``x.name`` on a dict
    raised and caught an AttributeError: a tenth of a report's rendering. A plain dict has
    no attribute but its methods, so this gives what Jinja gives."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        """``obj.attribute`` in a template."""
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)


def environment(templates: Path | None = None) -> jinja2.Environment:
    """The Jinja environment: a board's own templates first, then the built-in ones."""
    loaders: list[jinja2.BaseLoader] = []
    if templates is not None:
        if not templates.is_dir():
            raise UsageError(f"{templates}: no such templates folder")
        loaders.append(jinja2.FileSystemLoader(templates))
    # A template the board's folder lacks falls back to the built-in one.
    loaders.append(jinja2.FileSystemLoader(builtin_templates_dir()))
    env = _Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=jinja2.select_autoescape(["html", "html.j2"], default_for_string=False),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = md_escape
    env.filters["md_cell"] = md_cell
    env.globals["zip"] = zip
    env.filters["md_heading"] = md_heading
    return env


Redact = Callable[[str], str]


def _same(text: str) -> str:
    return text


def _signs(signs: list[str], review: Review, t: Redact) -> list[dict[str, str]]:
    """Each anticipated sign beside its verdict (columns 5 and 6 of the form, side by side)."""
    verdicts: list[str] = list(review.signs) if len(review.signs) == len(signs) else []
    return [
        {
            "sign": t(sign),
            "verdict": verdicts[i] if verdicts else "",
            "label": VERDICT_LABELS[verdicts[i]] if verdicts else "Not judged yet",
        }
        for i, sign in enumerate(signs)
    ]


def _review(
    review: Review | None, fw: Framework, t: Redact, signs: list[str] | None = None
) -> dict[str, Any] | None:
    if review is None or not (review.evidence or review.progress or review.notes or review.signs):
        return None
    return {
        "signs": _signs(signs or [], review, t),
        "evidence": [
            {
                "text": t(e.text),
                "code": e.source,
                "date": uk_date(e.date),
                "source": f"{e.source} — {fw.evidence_sources.get(e.source, e.source)}",
            }
            for e in review.evidence
        ],
        "progress": review.progress or "",
        "progress_label": PROGRESS_LABELS.get(review.progress or "", "Not recorded"),
        "notes": t(review.notes),
    }


def _entry(entry: PointEntry | None, fw: Framework, t: Redact) -> dict[str, Any]:
    e = entry or PointEntry()
    return {
        "discussion": t(e.discussion),
        "good_practice": [t(x) for x in e.good_practice],
        "pledges": [t(x) for x in e.pledges],
        "helps": [t(x) for x in e.helps],
        "hinders": [t(x) for x in e.hinders],
        "signs_of_success": [t(x) for x in e.signs_of_success],
        "skip": t(e.skip),
        "review": _review(e.review, fw, t, e.signs_of_success),
    }


def _then(first: Redact, second: Redact) -> Redact:
    return lambda text: second(first(text))


def _anonymous(owner: Owner, t: Redact) -> dict[str, Any]:
    """The owner as an anonymised report shows them: no name, members, role, contact, team or
    agency (a school has one safeguarding lead), only the district."""
    kind = "Team" if owner.kind == "team" else "Individual"
    return {
        "name": kind,
        "kind": kind,
        "members": [],
        "role": "",
        "agency": "",
        "team": "",
        "district": t(owner.district),
        "work_base": "",
        "phone": "",
        "email": "",
    }


def shape(
    lp: LoadedPledge,
    as_of: dt.date | None = None,
    redact: Redact | None = None,
    anonymise: bool = False,
) -> dict[str, Any]:
    """Everything a report template needs, in display order and wording.

    ``redact`` masks personal data in the free text (the owner's own details stay).
    ``anonymise`` leaves out who the pledge is by, and removes their names (the owner's, the
    members' and the line manager's) from the free text too."""
    t = redact or _same
    if anonymise:
        o = lp.pledge.owner
        unname = name_remover(
            [*([o.name] if o.kind != "team" else []), *o.members, lp.pledge.line_manager.name],
            [o.name] if o.kind == "team" else [],
        )
        t = _then(t, unname)
    p, fw = lp.pledge, lp.framework
    # A report shows no line numbers: none are looked for (the fast parser would read the
    # file again to find them).
    report = check_loaded(dataclasses.replace(lp, locs=Locations()), "auto", as_of)
    due = review_due(lp)
    if p.dates.reviewed:
        status = (
            "Stage 2 complete" if report.stage2_complete else "Stage 2 under way"
        ) + f" · reviewed {uk_date(p.dates.reviewed)}"
    elif report.review == "in-progress":
        started = p.dates.review_started
        status = (
            "Review in progress"
            + (f" since {uk_date(started)}" if started else "")
            + f" · review due {uk_date(due)}"
        )
    else:
        status = (
            "Stage 1 complete" if report.stage1_complete else "Stage 1 under way"
        ) + f" · review due {uk_date(due)}"
    owner = p.owner
    areas = [
        {
            "number": a.number,
            "title": a.title,
            "points": [
                {
                    "number": pt.number,
                    "id": pt.id,
                    "title": pt.title,
                    **_entry(p.points.get(pt.id), fw, t),
                }
                for pt in a.points
            ],
        }
        for a in fw.areas
    ]
    extras = [
        {"label": _letter(i), "finding": t(e.finding), **_entry(e, fw, t)}
        for i, e in enumerate(p.extra_points)
    ]
    reflection = []
    for domain in fw.professional_dimension.domains if fw.professional_dimension else []:
        chosen = p.reflection.get(domain.id) or {}
        rows = []
        for dim in domain.dimensions:
            entry = chosen.get(dim.id)
            if entry is None or not (entry.balance or entry.notes):
                continue
            rows.append(
                {
                    "title": dim.title,
                    "balance": entry.balance or "",
                    "balance_label": BALANCE_LABELS.get(entry.balance or "", "Not decided"),
                    "notes": t(entry.notes),
                }
            )
        if rows:
            reflection.append({"title": domain.title, "dimensions": rows})
    kind = "Team" if owner.kind == "team" else "Individual"
    who = (
        _anonymous(owner, t)
        if anonymise
        else {
            "name": t(owner.name),
            "kind": kind,
            "members": [t(m) for m in owner.members],
            "role": t(owner.role),
            "agency": t(owner.agency),
            "team": t(owner.team),
            "district": t(owner.district),
            "work_base": owner.work_base,
            "phone": owner.phone,
            "email": owner.email,
        }
    )
    return {
        "title": f"{who['name'] or 'Unnamed'} — Developing and Improving Practice Pledge",
        "owner": who,
        "line_manager": {"name": "", "email": ""}
        if anonymise
        else {"name": t(p.line_manager.name), "email": p.line_manager.email},
        "dates": {
            "started": uk_date(p.dates.started),
            "review_due": uk_date(due),
            "reviewed": uk_date(p.dates.reviewed),
            "review_started": uk_date(p.dates.review_started),
        },
        "framework": {
            "title": fw.title,
            "publisher": fw.publisher,
            "edition": fw.edition,
            "version": fw.version,
            "id": fw.id,
            "review_after_months": fw.review_after_months,
        },
        "prompts": fw.prompts.model_dump(),
        "evidence_sources": fw.evidence_sources,
        "status": status,
        "review_state": report.review or "",
        "signoff": [
            {
                "stage": c.stage,
                "by": t(c.signoff.by),
                "role": t(c.signoff.role),
                "on": uk_date(c.signoff.on),
                "changed": c.changed,
                "text": f"Agreed with {t(c.signoff.by)}"
                + (f" ({t(c.signoff.role)})" if c.signoff.role else "")
                + f" on {uk_date(c.signoff.on)} (stage {c.stage})",
                "changed_text": "changed since it was signed off" if c.changed else "",
            }
            for c in report.signoffs
        ],
        "complete": report.stage2_complete if p.dates.reviewed else report.stage1_complete,
        "areas": areas,
        "extra_points": extras,
        "reflection": reflection,
        "reflection_title": fw.professional_dimension.title if fw.professional_dimension else "",
        "generated": uk_date(as_of or dt.date.today()),
    }


def _letter(index: int) -> str:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return letters[index] if index < len(letters) else str(index + 1)


def render(
    lp: LoadedPledge,
    fmt: str,
    *,
    templates: Path | None = None,
    as_of: dt.date | None = None,
    redact: Redact | None = None,
    env: jinja2.Environment | None = None,
    anonymise: bool = False,
) -> str:
    """A report of one pledge, laid out like the form, in one of ``registry.REPORT``.

    Pass ``env`` (from ``environment``) to render many pledges with one set of templates;
    ``anonymise`` for a report that does not say whose pledge it is (see ``shape``)."""
    choose(fmt, tuple(TEMPLATES))
    return _render_template(
        env or environment(templates), TEMPLATES[fmt], shape(lp, as_of, redact, anonymise), fmt
    )


def render_collation(data: dict[str, Any], fmt: str, *, templates: Path | None = None) -> str:
    """The collated summary (data from ``sclearn.collate.report_data``) as Markdown or HTML."""
    choose(fmt, tuple(COLLATION_TEMPLATES))
    return _render_template(environment(templates), COLLATION_TEMPLATES[fmt], data, fmt)


def _render_template(env: jinja2.Environment, name: str, data: dict[str, Any], fmt: str) -> str:
    try:
        text = env.get_template(name).render(report=data)
    except jinja2.TemplateError as exc:
        raise UsageError(
            f"the report template could not be used: {exc}",
            hint="check the templates folder given with --templates",
        ) from exc
    # Template logic leaves runs of blank lines; Markdown wants exactly one between blocks.
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n" if fmt == "md" else text


def output_paths(sources: Iterable[Path], fmt: str, output: Path | None) -> list[Path | None]:
    """Where each report goes: the screen (None) for one pledge without -o; the file -o names
    for one pledge when it ends in the format's suffix; otherwise one report each in the
    folder."""
    items = list(sources)
    form = choose(fmt, REPORT)
    suffix = form.suffix
    if output is None:
        return [None] if len(items) == 1 else [p.parent / _report_name(p, suffix) for p in items]
    if len(items) == 1 and not output.is_dir() and matches(output.suffix, form):
        return [output]
    return [output / _report_name(p, suffix) for p in items]


def _report_name(path: Path, suffix: str) -> str:
    name = path.name
    for ending in (".pledge.yaml", ".yaml", ".yml"):
        if name.endswith(ending):
            name = name[: -len(ending)]
            break
    return name + suffix

"""A generated corpus of pledge files whose true collation figures are computed independently.

Used by the collation tests and by benchmarks/collate.py. The figures here follow the data
contract's counting rules directly, without calling sclearn.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

IDS = [
    "child-focus",
    "partnership-with-parents",
    "wider-family-and-community",
    "assessment",
    "decision-making-and-planning",
    "intervention",
    "reviewing-change",
    "evaluating-impact",
    "information-sharing",
    "knowledge-informed-practice",
    "strengths-based-work",
    "roles-and-responsibilities",
    "procedures-and-thresholds",
    "anti-discriminatory-practice",
]
CODES = ["SR", "SUR", "MR", "CR"]
PROGRESS = ["positive-change", "no-change", "deterioration"]
AGENCIES = [
    "Derbyshire County Council",
    "Derbyshire Constabulary",
    "DCHS NHS Trust",
    "Brookside Primary School",
    "Voluntary sector",
]
DISTRICTS = ["Amber Valley", "Bolsover", "Chesterfield", "Erewash", "High Peak"]
TEAMS = ["Family Support", "Early Help", "Health Visiting", "Public Protection", "Pastoral"]
WORDS = [
    "child",
    "voice",
    "chronology",
    "supervision",
    "plan",
    "review",
    "family",
    "partner",
    "agency",
    "escalate",
    "record",
    "assessment",
    "threshold",
    "evidence",
    "outcome",
    "safety",
    "strengths",
    "worry",
    "home",
    "visit",
    "school",
    "health",
    "police",
    "meeting",
    "notes",
]
# Text a spreadsheet would treat as a formula: must come out neutralised.
INJECTIONS = ["=SUM(A1:A9)", "+44 1773 000000", "-2 points", "@risk", '=HYPERLINK("x")']
BROKEN = {
    "syntax": "sclearn: 1\nowner: [\n",
    "unknown-key": "sclearn: 1\nownr: {kind: team}\n",
    "empty": "",
    "a-list": "- a\n- b\n",
}


def add_months(day: dt.date, months: int) -> dt.date:
    m = day.month - 1 + months
    year, month = day.year + m // 12, m % 12 + 1
    for d in range(day.day, 0, -1):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError


def q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


@dataclass
class Truth:
    as_of: dt.date
    files: int = 0
    valid: int = 0
    invalid: int = 0
    owners: Counter[str] = field(default_factory=Counter)
    stage1: int = 0
    stage2: int = 0
    completed: int = 0
    overdue: int = 0
    due30: int = 0
    points: dict[str, dict[str, Any]] = field(
        default_factory=lambda: {
            pid: {
                "pledges": 0,
                "good_practice": 0,
                "owners_pledging": 0,
                "progress": dict.fromkeys(PROGRESS, 0),
                "signs": dict.fromkeys(("met", "partly", "not-yet", "too-early"), 0),
            }
            for pid in IDS
        }
    )
    sources: Counter[str] = field(default_factory=lambda: Counter(dict.fromkeys(CODES, 0)))
    other: int = 0
    names: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)


class Generator:
    def __init__(self, seed: int, as_of: dt.date, padding: int = 1) -> None:
        self.rng = random.Random(seed)
        self.truth = Truth(as_of)
        self.padding = padding  # sentences per item: ~1 gives ~6 KB files, 3 gives ~15 KB

    def sentence(self) -> str:
        r = self.rng
        text = " ".join(
            r.choice(WORDS) for _ in range(r.randint(6, 14)) for _ in range(self.padding)
        )
        if r.random() < 0.03:
            text = r.choice(INJECTIONS) + " " + text
        return text[:1].upper() + text[1:]

    def items(self, low: int, high: int) -> list[str]:
        return [self.sentence() for _ in range(self.rng.randint(low, high))]

    def write(self, folder: Path, index: int) -> Path:
        r, t = self.rng, self.truth
        path = folder / f"d{index % 17}" / f"owner-{index}.pledge.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        t.files += 1
        roll = r.random()
        if roll < 0.02:
            path.write_text(BROKEN[r.choice(sorted(BROKEN))], encoding="utf-8")
            t.invalid += 1
            return path
        if roll < 0.04:
            path.write_bytes("name: Siân\n".encode("cp1252"))
            t.invalid += 1
            return path
        other = roll < 0.06
        kind = r.choice(["individual", "team"])
        name = f"Person {index} Zażółć" if kind == "individual" else f"Team {index} Siân"
        email = f"owner{index}@example.org" if r.random() < 0.9 else ""
        phone = f"01773 {index:06d}" if r.random() < 0.5 else ""
        started = dt.date(2026, 1, 1) + dt.timedelta(days=r.randint(0, 330))
        due = add_months(started, 6 if not other else 3)
        write_due = r.random() < 0.5
        reviewed = started + dt.timedelta(days=r.randint(150, 200)) if r.random() < 0.4 else None
        lines = ["# Developing and Improving Practice Pledge (generated)", "sclearn: 1"]
        lines.append(
            'framework: {id: northshire-learning, version: "2.1"}'
            if other
            else 'framework: {id: derbyshire-scr, version: "1.0"}'
        )
        lines += [
            "owner:",
            f"  kind: {kind}",
            f"  name: {q(name)}",
            f"  agency: {q(r.choice(AGENCIES))}",
            f"  district: {q(r.choice(DISTRICTS))}",
            f"  team: {q(r.choice(TEAMS))}",
            f"  email: {q(email)}",
            f"  phone: {q(phone)}",
            "line_manager:",
            f"  name: {q(f'Manager {index}')}",
            f"  email: {q(f'manager{index}@example.org')}",
            "dates:",
            f"  started: {started.isoformat()}",
        ]
        if write_due:
            lines.append(f"  review_due: {due.isoformat()}")
        lines.append(f"  reviewed: {reviewed.isoformat() if reviewed else 'null'}")
        lines.append("points:")
        ids = (
            ["direct-work", "recording-wishes", "strategy-meetings", "escalation", "supervision"]
            if other
            else IDS
        )
        codes = ["OBS", "AUD", "FB"] if other else CODES
        stage1 = bool(email or phone)
        stage2 = reviewed is not None
        counts: dict[str, Any] = {}
        for pid in ids:
            lines.append(f"  # {pid}")
            lines.append(f"  {pid}:")
            roll = r.random()
            if roll < 0.05:
                lines.append(f"    skip: {q('Not part of my role')}")
                counts[pid] = (0, 0, None, [])
                continue
            if roll < 0.1:
                lines.append("    pledges: []")
                stage1 = False
                counts[pid] = (0, 0, None, [])
                continue
            good = self.items(0, 3)
            pledges = self.items(1, 3)
            signs = self.items(0 if r.random() < 0.05 else 1, 2)
            stage1 = stage1 and bool(signs)
            for key, values in (
                ("good_practice", good),
                ("pledges", pledges),
                ("helps", self.items(0, 2)),
                ("hinders", self.items(0, 2)),
                ("signs_of_success", signs),
            ):
                if values:
                    lines.append(f"    {key}:")
                    lines += [f"      - {q(v)}" for v in values]
                else:
                    lines.append(f"    {key}: []")
            progress, sources = None, []
            if reviewed and r.random() < 0.95:
                progress = r.choice(PROGRESS) if r.random() < 0.95 else None
                sources = [
                    r.choice(codes) for _ in range(r.randint(0 if r.random() < 0.05 else 1, 3))
                ]
                lines.append("    review:")
                if sources:
                    lines.append("      evidence:")
                    lines += [
                        f"        - {{text: {q(self.sentence())}, source: {s}}}" for s in sources
                    ]
                else:
                    lines.append("      evidence: []")
                lines.append(f"      progress: {progress or 'null'}")
            if reviewed and not (progress and sources):
                stage2 = False
            counts[pid] = (len(pledges), len(good), progress, sources)
        extra_sources: list[str] = []
        if r.random() < 0.3:
            finding = self.sentence()
            lines += [
                "extra_points:",
                f"  - finding: {q(finding)}",
                f"    pledges: [{q(self.sentence())}]",
                f"    signs_of_success: [{q(self.sentence())}]",
            ]
            if reviewed:
                extra_sources = [r.choice(codes)]
                lines += [
                    "    review:",
                    f"      evidence: [{{text: {q(self.sentence())}, source: {extra_sources[0]}}}]",
                    "      progress: no-change",
                ]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        t.valid += 1
        if other:
            t.other += 1
            return path
        stage2 = stage2 and stage1
        t.names.append(name)
        t.emails += [x for x in (email, f"manager{index}@example.org") if x]
        t.phones += [phone] if phone else []
        t.owners[kind] += 1
        t.stage1 += stage1
        t.stage2 += stage2
        if reviewed:
            t.completed += 1
        elif due < t.as_of:
            t.overdue += 1
        elif due <= t.as_of + dt.timedelta(days=30):
            t.due30 += 1
        for pid, (pledges, good, progress, sources) in counts.items():
            fig = t.points[pid]
            fig["pledges"] += pledges
            fig["good_practice"] += good
            fig["owners_pledging"] += pledges > 0
            if progress:
                fig["progress"][progress] += 1
            t.sources.update(sources)
        t.sources.update(extra_sources)
        return path


def generate(
    folder: Path,
    count: int,
    *,
    seed: int = 7,
    as_of: dt.date = dt.date(2026, 11, 26),
    padding: int = 1,
) -> Truth:
    gen = Generator(seed, as_of, padding)
    for i in range(count):
        gen.write(folder, i)
    return gen.truth

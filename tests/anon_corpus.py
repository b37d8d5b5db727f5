"""A generated corpus for the anonymisation tests: planted names, paths and small groups.

Every identifier planted is kept in ``Planted`` by what it is, so the tests can search every
output for each of them. Names are made of syllables, so none is a word the outputs use.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .corpus import CODES, IDS

BIG_AGENCIES = ["Derbyshire County Council", "Derbyshire Constabulary", "DCHS NHS Trust"]
BIG_DISTRICTS = ["Amber Valley", "Chesterfield", "Erewash"]
BIG_TEAMS = ["Family Support", "Early Help"]
# Fewer than 5 owners each: never shown in an anonymised output with the default K.
SMALL_AGENCY = "Solitary Agency Trust"  # 2 owners
SMALL_TEAM = "Lonely Lighthouse Team"  # 1 owner
SMALL_DISTRICT = "Tinyvale"  # 3 owners
SMALL_AGENCY_OWNERS, SMALL_TEAM_OWNERS, SMALL_DISTRICT_OWNERS = 2, 1, 3
SYLLABLES = [
    "ka",
    "zo",
    "ri",
    "mu",
    "te",
    "vax",
    "lun",
    "dor",
    "qui",
    "bel",
    "sha",
    "nor",
    "pim",
    "yul",
    "gre",
    "tho",
    "wex",
    "fam",
    "jir",
    "olo",
]


def q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


@dataclass
class Planted:
    """What was planted, by kind; ``groups`` counts owners by each grouping's value."""

    owners: list[str] = field(default_factory=list)  # individuals' full names
    team_owners: list[str] = field(default_factory=list)  # teams' names
    members: list[str] = field(default_factory=list)
    managers: list[str] = field(default_factory=list)
    cue_names: list[str] = field(default_factory=list)  # only next to "Mum", "Mr", "baby"…
    contacts: list[str] = field(default_factory=list)  # e-mails, phones, work bases
    paths: list[str] = field(default_factory=list)  # file names and a folder's name
    small: list[str] = field(default_factory=list)  # groups of fewer than 5
    groups: dict[str, Counter[str]] = field(default_factory=dict)
    valid: int = 0

    def identifiers(self) -> list[str]:
        """Every planted identifier, and each word of every personal name."""
        people = [*self.owners, *self.members, *self.managers]
        words = {w for n in people for w in n.split()}
        return sorted(
            {
                *people,
                *words,
                *self.team_owners,
                *self.cue_names,
                *self.contacts,
                *self.paths,
                *self.small,
            }
        )


class Names:
    """Unique, pronounceable, capitalised names that are no English word."""

    def __init__(self, rng: random.Random) -> None:
        self.rng, self.used = rng, set[str]()

    def word(self) -> str:
        while True:
            w = "".join(self.rng.choice(SYLLABLES) for _ in range(3)).capitalize()
            if w not in self.used:
                self.used.add(w)
                return w

    def person(self) -> str:
        return f"{self.word()} {self.word()}"


def generate(folder: Path, count: int = 40, seed: int = 3) -> Planted:
    """``count`` pledge files (and two that cannot be read) under ``folder``."""
    rng = random.Random(seed)
    names, p = Names(rng), Planted()
    secret = folder / "Confidential-Okonkwo-folder"
    p.paths.append(secret.name)
    p.small += [SMALL_AGENCY, SMALL_TEAM, SMALL_DISTRICT]
    p.groups = {k: Counter() for k in ("agency", "district", "team", "kind")}
    for i in range(count):
        kind = "team" if i % 4 == 3 else "individual"
        agency = SMALL_AGENCY if i < SMALL_AGENCY_OWNERS else BIG_AGENCIES[i % 3]
        team = SMALL_TEAM if i == count - 1 else BIG_TEAMS[i % 2]
        district = SMALL_DISTRICT if 5 <= i < 5 + SMALL_DISTRICT_OWNERS else BIG_DISTRICTS[i % 3]
        manager, cue = names.person(), names.word()
        if kind == "team":
            owner = f"{names.word()} Hub"
            members = [names.person(), names.person()]
            p.team_owners.append(owner)
            p.members += members
        else:
            owner, members = names.person(), []
            p.owners.append(owner)
        p.managers.append(manager)
        p.cue_names.append(cue)
        email, phone, base = (
            f"{names.word().lower()}@example.org",
            f"01773 55{i:04d}",
            f"{names.word()} House",
        )
        p.contacts += [email, phone, base]
        slug = owner.lower().replace(" ", "-")
        path = secret / f"{slug}.pledge.yaml"
        p.paths.append(slug)
        first = (members[0] if members else owner).split()[0]
        mrs, baby, child = names.word(), names.word(), names.word()
        p.cue_names += [mrs, baby, child]
        texts = [
            f"{first} helped me set this up",
            f"Mum {cue} said the plan helped",
            f"Spoke with {manager.split()[-1]} in supervision about {owner}",
            f"Mrs {mrs} and baby {baby} were seen",
            f"{child}'s dad came to the meeting",
        ]
        reviewed = i % 2 == 0
        lines = [
            "sclearn: 1",
            'framework: {id: derbyshire-scr, version: "1.0"}',
            "owner:",
            f"  kind: {kind}",
            f"  name: {q(owner)}",
        ]
        if members:
            lines.append(f"  members: [{', '.join(q(m) for m in members)}]")
        lines += [
            f"  role: {q('Safeguarding lead')}",
            f"  agency: {q(agency)}",
            f"  team: {q(team)}",
            f"  district: {q(district)}",
            f"  work_base: {q(base)}",
            f"  phone: {q(phone)}",
            f"  email: {q(email)}",
            "line_manager:",
            f"  name: {q(manager)}",
            f"  email: {q(manager.split()[0].lower() + '@example.org')}",
            "dates:",
            "  started: 2026-01-0" + str(1 + i % 9),
            f"  reviewed: {'2026-07-01' if reviewed else 'null'}",
            "points:",
        ]
        for n, pid in enumerate(IDS[:4]):
            text = texts[(i + n) % len(texts)]
            lines += [
                f"  {pid}:",
                f"    discussion: {q(texts[n])}",
                f"    good_practice: [{q(text)}]",
                f"    pledges: [{q(text)}]",
                f"    helps: [{q(texts[0])}]",
                f"    hinders: [{q(texts[1])}]",
                f"    signs_of_success: [{q(text)}]",
            ]
            if reviewed:
                lines += [
                    "    review:",
                    f"      evidence: [{{text: {q(texts[2])}, source: {CODES[n]}}}]",
                    "      progress: positive-change",
                    f"      notes: {q(texts[4])}",
                ]
        lines += [
            "extra_points:",
            f"  - finding: {q(texts[3])}",
            f"    pledges: [{q(text)}]",
            f"    signs_of_success: [{q(texts[4])}]",
        ]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        p.valid += 1
        for key, value in (
            ("agency", agency),
            ("district", district),
            ("team", team),
            ("kind", kind),
        ):
            p.groups[key][value] += 1
    for name in ("Adaeze Okonkwo-broken", "Broken Thandiwe"):
        slug = name.lower().replace(" ", "-")
        (secret / f"{slug}.pledge.yaml").write_text(
            # Its error quotes the name: "owner.kind: 'Broken Thandiwe' is not allowed here".
            f'sclearn: 1\nframework: {{id: derbyshire-scr, version: "1.0"}}\n'
            f"owner: {{kind: {q(name)}, name: x}}\ndates: {{started: 2026-01-01}}\n",
            encoding="utf-8",
        )
        p.paths.append(slug)
        p.owners.append(name)
    return p

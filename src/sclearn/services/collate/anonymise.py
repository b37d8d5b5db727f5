"""Anonymised collations: small groups merged, attributions generalised, names removed.

An anonymised output must not single anyone out. Pseudonyms ("Individual 12") replace names
and paths; any group, or attribution ("a team, Early Help, Derbyshire County Council,
Bolsover"), that describes fewer than K owners is not shown as it is:

* groups of fewer than K pledges are merged into "Other (fewer than K each)"; if that merged
  group still has fewer than K, the smallest named groups join it until it has K (or all did);
* an attribution is generalised, team, then agency, then district, until at least K owners
  share what is left; when none is shared by K, it is just "an individual" or "a team".
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from typing import Any

from sclearn.services.collate.figures import Figures
from sclearn.services.collate.small import rule as counts_rule
from sclearn.services.collate.summary import Summary

MIN_GROUP = 5  # the default K
Place = tuple[str, str, str]  # team, agency, district
_QUOTED = re.compile(r"'([^'\n]*)'")
_KEYLIKE = re.compile(r"[a-z0-9_.@-]*|x-[\w-]*|[A-Z]{1,4}")


def other_group(k: int) -> str:
    """The name of the group that holds every group of fewer than ``k`` pledges."""
    return f"Other (fewer than {k} each)"


def rule(k: int) -> str:
    """The anonymisation rule, as the outputs state it."""
    return (
        f"Anonymised: names, members, contact details, line managers, evidence links and "
        f'file names are left out; owners are shown as "Individual 1", "Team 1"…; '
        f'names found in the text are replaced by "[name removed]". Groups of fewer '
        f'than {k} pledges are merged into "{other_group(k)}" (with the smallest other '
        f"groups while it has fewer than {k}); an attribution is "
        f'generalised from team to agency to district, and then to "an individual" or '
        f'"a team", until at least {k} pledges share it. {counts_rule(k)}'
    )


class Places:
    """How many owners share each team, agency and district, for generalising attributions."""

    def __init__(self) -> None:
        self.counts: Counter[tuple[str, ...]] = Counter()

    def add(self, place: Place) -> None:
        """Count one owner at each level of generalisation."""
        for key in _levels(place):
            self.counts[key] += 1

    def generalise(self, place: Place, k: int) -> Place:
        """The most specific part of ``place`` that at least ``k`` owners share; "" for the
        parts left out."""
        for key in _levels(place):
            if self.counts[key] >= k:
                team, agency, district = ("",) * (3 - len(key)) + key
                return team, agency, district
        return "", "", ""


def _levels(place: Place) -> list[tuple[str, ...]]:
    """The attributions a place allows, the most specific first; blank parts are skipped."""
    team, agency, district = place
    levels: list[tuple[str, ...]] = []
    if team:
        levels.append((team, agency, district))
    if agency:
        levels.append((agency, district))
    if district:
        levels.append((district,))
    return levels


def merge_groups(groups: dict[str, Figures], k: int) -> dict[str, Figures]:
    """The groups with every one of fewer than ``k`` pledges merged into one "Other" group."""
    kept = {name: g for name, g in groups.items() if g.valid >= k}
    small = [g for name, g in groups.items() if name not in kept]
    # The merged group must itself describe at least k owners: the smallest named groups join.
    while small and sum(g.valid for g in small) < k and kept:
        name = min(kept, key=lambda n: (kept[n].valid, n))
        small.append(kept.pop(name))
    if not small:
        return dict(groups)
    other = Figures(small[0].fw, reach=None if small[0].reach is None else Counter())
    for g in small:
        absorb(other, g)
    if other.valid >= k:
        kept[other_group(k)] = other
    return kept


def absorb(into: Figures, other: Figures) -> None:
    """Add ``other``'s figures to ``into``: every count, however deep, is summed."""
    for f in dataclasses.fields(Figures):
        mine, theirs = getattr(into, f.name), getattr(other, f.name)
        if f.name == "fw" or mine is None or theirs is None:
            continue
        if isinstance(mine, int):
            setattr(into, f.name, mine + theirs)
        else:
            _add_into(mine, theirs)


def _add_into(mine: Any, theirs: Any) -> None:
    for key, value in theirs.items():
        if isinstance(value, dict):  # Counters too
            _add_into(mine.setdefault(key, type(value)()), value)
        elif isinstance(value, int):
            mine[key] = mine.get(key, 0) + value
        else:  # a list (of point ids, say): kept as it is; figures are computed from counts
            mine.setdefault(key, value)


def remember_names(people: set[str], team_names: set[str], s: Summary) -> None:
    """Keep the names of one file's owner, members and line manager, to remove from every
    text: a person's name word by word, a team's name only whole."""
    (team_names if s.kind == "team" else people).add(s.owner)
    people.update(s.members)
    people.add(s.line_manager)


def unquote(error: str) -> str:
    """An error message without the values it quotes from the file: "owner.kind: 'Priya Shah'
    is not allowed" names someone no other file does. Keys and codes ('nmae', 'SR') stay."""
    return _QUOTED.sub(lambda m: m[0] if _KEYLIKE.fullmatch(m[1]) else "'…'", error)

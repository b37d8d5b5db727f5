"""Small counts in anonymised collations: no figure may describe fewer than K owners.

A count is hidden when fewer than K files added to it (``Figures.reach``): "deterioration: 1"
on a point, or "pledges: 9" when all nine are one person's. Zero is shown: it describes no one.
A hidden count must not be recoverable from the counts shown beside it either, so:

* when one of individuals and teams is hidden, so is the other (they add up to the total);
  likewise a source's evidence at one point (the points add up to the source's total), and
  one progress value of a point (they add up to at most the reviews completed);
* groups add up to the whole collation: when a figure is hidden in one group only, it is also
  hidden in the group where it is smallest;
* a total of parts (a bar of a chart, a row's total) is hidden when any of its parts is.

Hidden counts are ``Hidden`` strings, so a report shows them as words; the JSON has ``null``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

Path = tuple[str, ...]


class Hidden(str):
    """A count an anonymised output does not show, in the words the reports use for it."""

    __slots__ = ()


def small(k: int) -> Hidden:
    """The words for a count of fewer than ``k`` owners."""
    return Hidden(f"fewer than {k}")


NOT_SHOWN = Hidden("not shown")  # a count that would let a hidden one be worked out


def rule(k: int) -> str:
    """The rule for counts, as the outputs state it."""
    return (
        f"Counts that fewer than {k} pledge files (people or teams) add to are shown as "
        f'"{small(k)}" (null in JSON), and counts from which one could be worked out as '
        f'"{NOT_SHOWN}"; overdue reviews are counted by district and agency, not listed; the '
        f"item table gives texts by point only, where at least {k} pledge files wrote one."
    )


def hide_small(tree: Any, reach: Mapping[Path, int], k: int, path: Path = ()) -> Any:
    """``tree`` (figures as ``Figures.as_json()`` gives them) with every count that fewer than
    ``k`` files added to replaced by ``small(k)``. A count ``reach`` knows nothing of is
    hidden: a figure added later must not be shown before its files are counted."""
    if isinstance(tree, dict):
        return {key: hide_small(v, reach, k, (*path, key)) for key, v in tree.items()}
    if isinstance(tree, int) and not isinstance(tree, bool):
        return count_of(tree, k, reach.get(path, 0))
    return tree


def protect(whole: dict[str, Any], groups: Iterable[dict[str, Any]]) -> None:
    """Hide, in place, the counts from which a hidden count could be worked out."""
    parts = list(groups)
    changed = True
    while changed:
        changed = False
        for tree in (whole, *parts):
            changed |= _within(tree)
        if parts:
            changed |= _across(whole, parts)


def _within(tree: dict[str, Any]) -> bool:
    """The parts one figures tree adds up: owners to files; a source's evidence, point by
    point, to its total; a point's progress (one per reviewed file) to the reviews done."""
    changed = _complement(tree["owners"], tree["valid"])
    by_point = tree.get("point_evidence_sources", {})
    for code, whole in tree.get("evidence_sources", {}).items():
        cells = {pid: c[code] for pid, c in by_point.items() if code in c}
        if _complement(cells, whole):
            for pid, v in cells.items():
                by_point[pid][code] = v
            changed = True
    for point in tree.get("points", {}).values():
        if "progress" in point:
            changed |= _complement(point["progress"], tree["reviews"]["completed"])
    return changed


def _complement(cells: dict[Any, Any], whole: Any) -> bool:
    """With the whole shown and one cell hidden, hide the smallest other non-zero cell."""
    if isinstance(whole, Hidden) or sum(isinstance(v, Hidden) for v in cells.values()) != 1:
        return False
    shown = [key for key, v in cells.items() if not isinstance(v, Hidden) and v]
    if not shown:
        return False
    cells[min(shown, key=lambda key: cells[key])] = NOT_SHOWN
    return True


def _across(whole: dict[str, Any], groups: list[dict[str, Any]]) -> bool:
    """For each count shown in the whole, no group's hidden count may be its one unknown."""
    changed = False
    for path, shown in _leaves(whole):
        cells = {i: _get(g, path) for i, g in enumerate(groups)}
        present = {i: v for i, v in cells.items() if v is not None}
        if _complement(present, shown):
            for i, v in present.items():
                if v is NOT_SHOWN and cells[i] is not NOT_SHOWN:
                    _set(groups[i], path, v)
            changed = True
    return changed


def _leaves(tree: dict[str, Any], path: Path = ()) -> Iterable[tuple[Path, Any]]:
    for key, v in tree.items():
        if isinstance(v, dict):
            yield from _leaves(v, (*path, key))
        elif isinstance(v, int | Hidden) and not isinstance(v, bool):
            yield (*path, key), v


def _get(tree: dict[str, Any], path: Path) -> Any:
    for key in path:
        if not isinstance(tree, dict) or key not in tree:
            return None
        tree = tree[key]
    return tree


def _set(tree: dict[str, Any], path: Path, value: Any) -> None:
    for key in path[:-1]:
        tree = tree[key]
    tree[path[-1]] = value


def total(values: Iterable[int | Hidden]) -> int | Hidden:
    """The sum of ``values``; hidden when any of them is."""
    items = list(values)
    if any(isinstance(v, Hidden) for v in items):
        return NOT_SHOWN
    return sum(v for v in items if isinstance(v, int))


def merge_small(counts: Mapping[str, int], k: int, other: str) -> dict[str, int | Hidden]:
    """Counts of owners by name, every name of fewer than ``k`` (and "") merged into
    ``other``; the merged count hidden while still under ``k`` (and then the smallest shown
    count too, as a total of them all is shown elsewhere)."""
    kept: dict[str, int | Hidden] = {n: c for n, c in counts.items() if c >= k and n}
    rest = sum(c for n, c in counts.items() if n not in kept)
    if rest:
        kept[other] = rest if rest >= k else small(k)
    if isinstance(kept.get(other), Hidden):
        _complement(kept, sum(counts.values()))  # their total is shown elsewhere
    return kept


def nulls(tree: Any) -> Any:
    """``tree`` with every hidden count as ``None`` (JSON's null)."""
    if isinstance(tree, dict):
        return {key: nulls(v) for key, v in tree.items()}
    if isinstance(tree, list):
        return [nulls(v) for v in tree]
    return None if isinstance(tree, Hidden) else tree


def count_of(n: int, k: int | None, reach: int | None = None) -> int | Hidden:
    """``n`` as an anonymised output may show it (``k`` None: not anonymised): hidden when
    ``reach`` owners (by default ``n`` itself: a count of owners) are fewer than ``k``."""
    return small(k) if k is not None and n and (n if reach is None else reach) < k else n

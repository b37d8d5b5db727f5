"""`sclearn collate`: every pledge of a county summarised for the training team.

Speed at county scale comes from three things:

* each file is reduced to a small typed summary (numbers, plus the texts the reports list),
  read by the fast parser where it is faithful, else libyaml's C parser, never ruamel's
  round-trip loader (``summary``);
* summaries are built in worker processes and streamed back in file order, so memory does not
  grow with the number of files when only figures are wanted (``services.workers``);
* summaries are cached in the user's cache folder (``cache``).

The figures are added up in ``figures``; the outputs are in ``sclearn.services.collate.outputs``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from sclearn.core.examples import Selection
from sclearn.files.discover import pledge_file_names
from sclearn.files.frameworks import Catalogue
from sclearn.services.collate.anonymise import (
    MIN_GROUP,
    Place,
    Places,
    remember_names,
)
from sclearn.services.collate.cache import RACY_NS, Cache, cache_key
from sclearn.services.collate.figures import Edition
from sclearn.services.collate.summary import Item, Reader, Summary, Unreadable
from sclearn.services.workers import each

__all__ = [
    "GROUP_BY",
    "MIN_GROUP",
    "RACY_NS",
    "ROW_COLUMNS",
    "Collation",
    "Options",
    "collate",
    "printable",
]
from sclearn.services.collate.model import GROUP_BY, ROW_COLUMNS, Collation, Options, printable

SIGNS_CAP = 5_000  # different wordings of signs of success kept per point (see core.themes)


def _pseudonym(collation: Collation, kind: str) -> str:
    collation.pseudonyms[kind] += 1
    return f"{kind} {collation.pseudonyms[kind]}"


def _owner_label(s: Summary, collation: Collation) -> str:
    if collation.options.anonymise:
        return _pseudonym(collation, "Team" if s.kind == "team" else "Individual")
    return collation.masked(s.owner)


def _attribution(s: Summary, owner: str, role: str, place: Place) -> str:
    where = ", ".join(x for x in place[1:] if x)
    who = owner + (f" ({role})" if role else "")
    return f"{who}, {where}" if where else who


def _group_name(s: Summary, group_by: str, place: Place) -> str:
    value = dict(zip(("team", "agency", "district"), place, strict=True)).get(group_by)
    return str(value if value is not None else getattr(s, group_by)) or "(not given)"


def _add(
    collation: Collation,
    catalogue: Catalogue,
    path: str,
    summary: Summary | Unreadable,
    items: list[Item],
) -> None:
    collation.files += 1
    path = printable(path)
    opts = collation.options
    if isinstance(summary, Unreadable):
        if opts.anonymise:  # a file's name can be its owner's name
            path = _pseudonym(collation, "Unreadable file")
        collation.invalid.append({"path": path, "error": printable(summary.error)})
        return
    collation.valid += 1
    remember_names(collation.people, collation.team_names, summary)
    owner = _owner_label(summary, collation)
    if opts.anonymise:
        path = owner
    if summary.privacy:
        collation.privacy.append(path)
    ref = summary.framework
    collation.counts[ref] += 1
    edition = collation.editions.get(ref)
    if edition is None:
        fid, _, version = ref.partition("@")
        edition = Edition(
            catalogue.get(fid, version), opts.detail, opts.table, reach=opts.anonymise
        )
        collation.editions[ref] = edition
    place = (
        collation.masked(summary.team),
        collation.masked(summary.agency),
        collation.masked(summary.district),
    )
    places = collation.places.get(ref)
    if places is None:
        places = collation.places[ref] = Places()
    places.add(place)
    edition.figures.add(summary, opts.as_of)
    if opts.group_by:
        name = _group_name(summary, opts.group_by, place)
        if name not in edition.groups:
            edition.groups[name] = edition.new_figures()
        edition.groups[name].add(summary, opts.as_of)
    team, agency, district = place
    due = dt.date.fromisoformat(summary.review_due)
    if not summary.reviewed and due < opts.as_of:
        edition.overdue.append(
            {
                "owner": owner,
                "kind": summary.kind,
                "team": team,
                "agency": agency,
                "district": district,
                "review_due": due.isoformat(),
                "days_overdue": (opts.as_of - due).days,
            }
        )
    if not opts.detail:
        return
    titles = edition.titles
    if opts.anonymise:  # generalised once every file is counted (see Collation.attribution)
        collation.anonymous[owner] = (summary.kind, place)
        who = owner
    else:
        who = _attribution(summary, owner, collation.masked(summary.role), place)
    mask = collation.mask
    rows = edition.rows
    for number, pid, name, text, source, progress, verdict in items:
        if mask is not None:
            text = mask(text)
        if opts.report and (pid in titles or name in ("helps", "hinders")):
            _for_report(edition, pid, name, text, source or "", (who, agency, district))
        if rows is None:
            continue
        row = [
            owner,
            summary.kind,
            agency,
            district,
            team,
            number,
            pid,
            titles.get(pid, ""),
            name,
            text,
            source or "",
            progress or "",
            summary.started,
            summary.review_due,
            summary.reviewed or "",
            path,
            verdict or "",
        ]
        rows.write(json.dumps(row, ensure_ascii=False) + "\n")


def _for_report(
    edition: Edition, pid: str, name: str, text: str, source: str, by: tuple[str, str, str]
) -> None:
    """Keep what the summary report shows of one item: examples, and counts by theme."""
    who, agency, district = by
    if name == "good_practice":
        _selection(edition.good_practice, pid).add(text, who, agency, district)
    elif name in ("helps", "hinders"):
        (edition.helps if name == "helps" else edition.hinders).add(text, who=(who,))
    elif name == "signs_of_success":
        signs = edition.signs.get(pid)
        if signs is None:
            signs = edition.signs[pid] = edition.new_themes(cap=SIGNS_CAP)
        signs.add(text, who=(who,))
    elif name == "evidence":
        _selection(edition.evidence, pid).add(text, "", agency, district, source)


def _selection(selections: dict[str, Selection], pid: str) -> Selection:
    found = selections.get(pid)
    if found is None:
        found = selections[pid] = Selection()
    return found


def _unchanged(entry: tuple[str, int], path: str) -> bool:
    """Whether ``path``'s cached entry may be used: a file that vanished is read (and listed)."""
    try:
        return Cache.usable(entry, os.stat(path))
    except OSError:
        return False


def _summaries(
    paths: list[str],
    catalogue: Catalogue,
    options: Options,
    progress: Callable[[int], None],
    notes: list[str],
) -> Iterator[tuple[str, Summary | Unreadable, list[Item]]]:
    """(path, summary, texts) for each file, in order: from the cache, a pool, or in-process."""
    cache = Cache(cache_key(catalogue, options.case_patterns)) if options.use_cache else None
    known = cache.fresh(options.detail) if cache else {}
    hits: list[tuple[bytes, tuple[str, int]]] = []  # (path, its entry) for each file cached
    misses: list[str] = []
    from_cache: list[bool] = []  # for each path
    for path in paths:
        name = os.fsencode(path)
        entry = known.get(name)
        if entry is not None and _unchanged(entry, path):
            hits.append((name, entry))
            from_cache.append(True)
        else:
            misses.append(path)
            from_cache.append(False)
    del known
    reader = Reader(catalogue, options.detail, [re.compile(p) for p in options.case_patterns])
    # In worker processes when there are many to read; closing it stops them (see workers).
    computed = each(reader.read, misses, workers=options.workers)
    stored = cache.summaries(hits, options.detail) if cache else iter(())
    try:
        for path, hit in zip(paths, from_cache, strict=True):
            cached = next(stored) if hit else None
            summary: Summary | Unreadable
            if cached is not None:
                summary, items = cached
            else:
                if not hit:
                    result = next(computed)
                    assert result.path == path
                else:  # an entry the cache could not give back after all
                    result = reader.read(path)
                summary = result.summary
                if cache and (isinstance(summary, Summary) or summary.lasting):
                    # Stat after reading: a file changed since looks "racy" and is read again.
                    with contextlib.suppress(OSError):
                        cache.put(path, os.stat(path), result.read_at, summary, result.items)
                items = result.items or []
            progress(1)
            yield path, summary, items
    finally:
        computed.close()  # stops the workers if we stopped early (Ctrl-C, an error)
        if cache:
            cache.close()
            if cache.problem:
                notes.append(f"the cache could not be used ({cache.problem}); collating without it")


def collate(
    paths: Iterable[Path],
    catalogue: Catalogue,
    options: Options,
    *,
    on_start: Callable[[int], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> Collation:
    """Collate every ``*.pledge.yaml`` under ``paths``. An unreadable file never stops it.

    ``on_progress`` is called after each file; an exception it raises (KeyboardInterrupt, for
    one) stops the collation at once, with the workers stopped and nothing left behind.
    """
    found = list(pledge_file_names(paths))
    if on_start:
        on_start(len(found))
    collation = Collation(options)
    try:
        for path, summary, items in _summaries(
            found, catalogue, options, on_progress or (lambda n: None), collation.notes
        ):
            _add(collation, catalogue, path, summary, items)
    except BaseException:
        collation.close()
        raise
    if options.framework:
        fid, _, version = options.framework.partition("@")
        wanted = catalogue.get(fid, version or None).ref
        collation.chosen = collation.editions.get(wanted) or Edition(
            catalogue.get(fid, version or None),
            options.detail,
            options.table,
            reach=options.anonymise,
        )
    elif collation.counts:
        # The edition most files use; ties go to the newest edition.
        best = max(collation.counts.items(), key=lambda kv: (kv[1], kv[0]))[0]
        collation.chosen = collation.editions[best]
    return collation

"""`sclearn collate`: every pledge of a county summarised for the training team.

Speed at county scale comes from three things:

* each file is reduced to a small summary (numbers, plus the texts the reports list), built from
  libyaml's C parser, never ruamel's round-trip loader;
* summaries are built in worker processes and streamed back in file order, so memory does not
  grow with the number of files when only figures are wanted;
* summaries are cached in the user's cache folder (never beside the pledges: that may be a
  shared drive), keyed by path, size, modification time and inode, and trusted only when the
  file was last modified safely before the summary was made, so a changed file is always
  read again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import sqlite3
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from sclearn import __version__
from sclearn.core.completeness import check_loaded, review_due
from sclearn.core.errors import InvalidFileError, UsageError
from sclearn.core.framework import Framework
from sclearn.core.pledge import BALANCE, LIST_FIELDS, PROGRESS, LoadedPledge, PointEntry
from sclearn.core.privacy import any_found, redactor
from sclearn.files.decode import read_source
from sclearn.files.discover import find_pledge_files
from sclearn.files.frameworks import Catalogue
from sclearn.files.pledges import parse_pledge

SUMMARY_VERSION = 1
GROUP_BY = ("agency", "district", "team", "kind")
# Below this many files a process pool costs more than it saves.
POOL_THRESHOLD = 200
# A cached summary is trusted only if the file was last changed at least this long before the
# summary was made: a same-size edit inside the file system's timestamp granularity (2 s on
# FAT and some network drives) could otherwise go unnoticed.
RACY_NS = 3_000_000_000

ROW_COLUMNS = ("owner", "kind", "agency", "district", "team", "point_number", "point_id",
               "point_title", "field", "text", "evidence_source", "progress", "started",
               "review_due", "reviewed", "file")


# --- one file ---------------------------------------------------------------------------------


def _first_error(exc: InvalidFileError) -> str:
    p = exc.problems[0]
    where = f"line {p.line}: " if p.line else ""
    more = f" (and {len(exc.problems) - 1} more)" if len(exc.problems) > 1 else ""
    return f"{where}{p.message}{more}"


def summarise(lp: LoadedPledge) -> dict[str, Any]:
    """The figures of one valid pledge file: small, JSON-able, cacheable."""
    p, fw = lp.pledge, lp.framework
    report = check_loaded(lp, "auto")
    points: dict[str, list[Any]] = {}
    point_sources: dict[str, dict[str, int]] = {}
    for pt in fw.points:
        e = p.points.get(pt.id)
        if e is None:
            continue
        progress = e.review.progress if e.review else None
        points[pt.id] = [sum(bool(x.strip()) for x in e.pledges),
                         sum(bool(x.strip()) for x in e.good_practice), progress]
        if e.review and e.review.evidence:
            point_sources[pt.id] = dict(Counter(ev.source for ev in e.review.evidence))
    extra_sources = Counter(ev.source for e in p.extra_points if e.review
                            for ev in e.review.evidence)
    o = p.owner
    return {
        "framework": fw.ref, "kind": o.kind, "owner": o.name, "members": o.members,
        "role": o.role, "agency": o.agency, "district": o.district, "team": o.team,
        "contact": [x for x in (o.work_base, o.phone, o.email) if x],
        "line_manager": [x for x in (p.line_manager.name, p.line_manager.email) if x],
        "stage1": report.stage1_complete, "stage2": report.stage2_complete,
        "started": p.dates.started.isoformat(), "review_due": review_due(lp).isoformat(),
        "reviewed": p.dates.reviewed.isoformat() if p.dates.reviewed else None,
        "points": points, "point_sources": point_sources, "extra_sources": dict(extra_sources),
        "extra_points": len(p.extra_points),
        "extra_pledges": sum(len([x for x in e.pledges if x.strip()]) for e in p.extra_points),
        "reflection": {dom: {dim: r.balance for dim, r in (dims or {}).items()
                             if r is not None and r.balance}
                       for dom, dims in p.reflection.items()},
    }


def summarise_items(lp: LoadedPledge) -> list[list[Any]]:
    """Every text in the file, one row each: [number, id, field, text, source, progress]."""
    rows: list[list[Any]] = []

    def entry_rows(number: Any, pid: str, e: PointEntry) -> None:
        progress = e.review.progress if e.review else None
        for name in ("discussion", "skip"):
            if getattr(e, name).strip():
                rows.append([number, pid, name, getattr(e, name), None, None])
        for name in LIST_FIELDS:
            rows.extend([number, pid, name, x, None, None] for x in getattr(e, name)
                        if x.strip())
        if e.review:
            rows.extend([number, pid, "evidence", ev.text, ev.source, progress]
                        for ev in e.review.evidence)
            if e.review.notes.strip():
                rows.append([number, pid, "review_notes", e.review.notes, None, progress])
            if progress and not e.review.evidence:
                rows.append([number, pid, "progress", "", None, progress])

    for pt in lp.framework.points:
        e = lp.pledge.points.get(pt.id)
        if e is not None:
            entry_rows(pt.number, pt.id, e)
    for i, extra in enumerate(lp.pledge.extra_points):
        if extra.finding.strip():
            rows.append(["", f"extra-{i + 1}", "finding", extra.finding, None, None])
        entry_rows("", f"extra-{i + 1}", extra)
    return rows


# A worker's catalogue, whether texts are wanted, and the case reference patterns.
_WORKER: tuple[Catalogue, bool, list[re.Pattern[str]]] | None = None


def _init_worker(catalogue: Catalogue, detail: bool, case_patterns: tuple[str, ...]) -> None:
    global _WORKER
    _WORKER = (catalogue, detail, [re.compile(p) for p in case_patterns])


def _summarise_path(path: str) -> tuple[str, int, dict[str, Any], list[list[Any]] | None]:
    """Runs in a worker: (path, when it was read, summary, text rows or None)."""
    assert _WORKER is not None
    catalogue, detail, case_patterns = _WORKER
    read_at = time.time_ns()
    try:
        lp = parse_pledge(read_source(Path(path)), catalogue)
    except InvalidFileError as exc:
        return path, read_at, {"error": _first_error(exc)}, []
    except OSError as exc:  # vanished or unreadable between listing and reading
        return path, read_at, {"error": f"cannot be read: {exc.strerror or exc}"}, []
    summary = summarise(lp)
    summary["privacy"] = any_found(lp, case_patterns)
    return path, read_at, summary, summarise_items(lp) if detail else None


# --- the cache --------------------------------------------------------------------------------


def cache_dir() -> Path:
    from platformdirs import user_cache_dir

    return Path(os.environ.get("SCLEARN_CACHE_DIR") or user_cache_dir("sclearn", False))


class Cache:
    """Per-file summaries in a SQLite file in the user's cache folder."""

    def __init__(self, fingerprint: str, folder: Path | None = None) -> None:
        folder = folder or cache_dir()
        folder.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(folder / f"collate-v{SUMMARY_VERSION}.sqlite")
        self.db.execute("CREATE TABLE IF NOT EXISTS summaries (path TEXT PRIMARY KEY, "
                        "stat TEXT, fingerprint TEXT, read_at INTEGER, summary TEXT, "
                        "items TEXT)")
        self.fingerprint = fingerprint
        self.pending: list[tuple[Any, ...]] = []

    @staticmethod
    def stat_key(st: os.stat_result) -> str:
        return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ino}:{st.st_dev}"

    def fresh(self, want_items: bool) -> dict[str, tuple[str, int]]:
        """Each cached path's stat key and read time, for entries this run can use."""
        rows = self.db.execute(
            "SELECT path, stat, read_at FROM summaries WHERE fingerprint = ?"
            + (" AND items IS NOT NULL" if want_items else ""), (self.fingerprint,))
        return {path: (stat, read_at) for path, stat, read_at in rows}

    @staticmethod
    def usable(entry: tuple[str, int] | None, st: os.stat_result) -> bool:
        if entry is None or entry[0] != Cache.stat_key(st):
            return False
        # Changed too close to when it was read: a same-size edit could hide; read it again.
        return st.st_mtime_ns + RACY_NS <= entry[1]

    def get(self, path: str, want_items: bool) -> tuple[dict[str, Any], list[list[Any]]]:
        row = self.db.execute("SELECT summary, items FROM summaries WHERE path = ?",
                              (path,)).fetchone()
        return json.loads(row[0]), json.loads(row[1]) if want_items else []

    def put(self, path: str, st: os.stat_result, read_at: int, summary: dict[str, Any],
            items: list[list[Any]] | None) -> None:
        self.pending.append((path, self.stat_key(st), self.fingerprint, read_at,
                             json.dumps(summary), None if items is None else json.dumps(items)))
        if len(self.pending) >= 500:
            self.flush()

    def flush(self) -> None:
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO summaries VALUES (?, ?, ?, ?, ?, ?)",
                                self.pending)
        self.pending.clear()

    def close(self) -> None:
        self.flush()
        self.db.close()


def fingerprint(catalogue: Catalogue, case_patterns: tuple[str, ...] = ()) -> str:
    """Changes whenever a framework file, the privacy patterns or sclearn itself change."""
    h = hashlib.sha256(f"{__version__}:{SUMMARY_VERSION}:{case_patterns!r}".encode())
    for ref in sorted(catalogue.sources):
        h.update(ref.encode() + catalogue.sources[ref].read_bytes())
    return h.hexdigest()


# --- figures ------------------------------------------------------------------------------------


@dataclass
class Figures:
    """The contract's figures for one framework edition (or one group within it)."""

    fw: Framework
    valid: int = 0
    owners: Counter[str] = field(default_factory=Counter)
    stage1: int = 0
    stage2: int = 0
    completed: int = 0
    overdue: int = 0
    due_soon: int = 0
    sources: Counter[str] = field(default_factory=Counter)
    points: dict[str, dict[str, Any]] = field(default_factory=dict)
    point_sources: dict[str, Counter[str]] = field(default_factory=dict)
    reflection: dict[str, dict[str, Counter[str]]] = field(default_factory=dict)
    extra_points: int = 0
    extra_pledges: int = 0

    def __post_init__(self) -> None:
        self.owners.update({"individual": 0, "team": 0})
        self.sources.update(dict.fromkeys(self.fw.evidence_sources, 0))
        for pt in self.fw.points:
            self.points[pt.id] = {"pledges": 0, "good_practice": 0, "owners_pledging": 0,
                                  "progress": dict.fromkeys(PROGRESS, 0)}
            self.point_sources[pt.id] = Counter()

    def add(self, s: dict[str, Any], as_of: dt.date) -> None:
        self.valid += 1
        self.owners[s["kind"]] += 1
        self.stage1 += s["stage1"]
        self.stage2 += s["stage2"]
        due = dt.date.fromisoformat(s["review_due"])
        if s["reviewed"]:
            self.completed += 1
        elif due < as_of:
            self.overdue += 1
        elif due <= as_of + dt.timedelta(days=30):
            self.due_soon += 1
        for pid, (pledges, good, progress) in s["points"].items():
            figures = self.points[pid]
            figures["pledges"] += pledges
            figures["good_practice"] += good
            figures["owners_pledging"] += pledges > 0
            if progress:
                figures["progress"][progress] += 1
        for pid, counts in s["point_sources"].items():
            self.point_sources[pid].update(counts)
            self.sources.update(counts)
        self.sources.update(s["extra_sources"])
        self.extra_points += s["extra_points"]
        self.extra_pledges += s["extra_pledges"]
        for dom, dims in s["reflection"].items():
            for dim, balance in dims.items():
                self.reflection.setdefault(dom, {}).setdefault(dim, Counter())[balance] += 1

    def as_json(self) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "owners": dict(self.owners),
            "stage1_complete": self.stage1,
            "stage2_complete": self.stage2,
            "reviews": {"completed": self.completed, "overdue": self.overdue,
                        "due_within_30_days": self.due_soon},
            "points": self.points,
            "evidence_sources": dict(self.sources),
            "point_evidence_sources": {pid: dict(c) for pid, c in self.point_sources.items()},
            "self_report_only": self.self_report_only(),
            "extra_points": {"count": self.extra_points, "pledges": self.extra_pledges},
            "reflection": {dom: {dim: {b: c[b] for b in BALANCE} for dim, c in dims.items()}
                           for dom, dims in self.reflection.items()},
        }

    def self_report_only(self) -> list[str]:
        """Points whose evidence, where there is any, is all self report (the first code)."""
        own = next(iter(self.fw.evidence_sources))
        return [pid for pid, c in self.point_sources.items()
                if sum(c.values()) and set(+c) == {own}]


@dataclass
class Edition:
    """Everything gathered for one framework edition."""

    fw: Framework
    detail: bool
    figures: Figures = field(init=False)
    groups: dict[str, Figures] = field(default_factory=dict)
    good_practice: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    helps: Counter[str] = field(default_factory=Counter)
    hinders: Counter[str] = field(default_factory=Counter)
    wording: dict[str, str] = field(default_factory=dict)  # most recent wording of a factor
    signs: dict[str, list[str]] = field(default_factory=dict)
    evidence: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    overdue: list[dict[str, Any]] = field(default_factory=list)
    rows: IO[str] | None = None
    titles: dict[str, str] = field(init=False)  # point id: title

    def __post_init__(self) -> None:
        self.figures = Figures(self.fw)
        self.titles = {p.id: p.title for p in self.fw.points}
        if self.detail:
            # Closed by Collation.close(); rows can outgrow memory at county scale.
            self.rows = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115


def _factor_key(text: str) -> str:
    return " ".join("".join(ch for ch in text.casefold() if ch.isalnum() or ch.isspace())
                    .split())


# --- the collation ------------------------------------------------------------------------------


@dataclass
class Options:
    as_of: dt.date
    framework: str | None = None  # ID@VERSION to collate; default: the one most files use
    group_by: str | None = None
    anonymise: bool = False
    detail: bool = True  # texts for the catalogue and the item table
    use_cache: bool = True
    workers: int | None = None
    redact: bool = False  # mask personal data in the texts written (implied by anonymise)
    case_patterns: tuple[str, ...] = ()  # a board's case reference formats


@dataclass
class Collation:
    options: Options
    files: int = 0
    valid: int = 0
    invalid: list[dict[str, str]] = field(default_factory=list)
    editions: dict[str, Edition] = field(default_factory=dict)
    chosen: Edition | None = None
    counts: Counter[str] = field(default_factory=Counter)  # valid files per edition
    pseudonyms: Counter[str] = field(default_factory=Counter)
    privacy: list[str] = field(default_factory=list)  # files whose text looks like personal data
    mask: Callable[[str], str] | None = None  # set when texts are to be redacted

    def __post_init__(self) -> None:
        if self.options.redact:
            self.mask = redactor([re.compile(p) for p in self.options.case_patterns])

    @property
    def other_frameworks(self) -> dict[str, int]:
        chosen = self.chosen.fw.ref if self.chosen else None
        return {ref: n for ref, n in sorted(self.counts.items()) if ref != chosen}

    def as_json(self) -> dict[str, Any]:
        if self.chosen is None:
            raise UsageError("no valid pledge files were found to collate")
        fw = self.chosen.fw
        figures = self.chosen.figures.as_json()
        out: dict[str, Any] = {
            "framework": {"id": fw.id, "version": fw.version},
            "as_of": self.options.as_of.isoformat(),
            "files": self.files,
            "valid": self.valid,
            "collated": figures.pop("valid"),
            "invalid": self.invalid,
            "other_frameworks": self.other_frameworks,
            **figures,
            "overdue_reviews": self.chosen.overdue,
            "anonymised": self.options.anonymise,
            "redacted": self.options.redact,
            "privacy_warnings": self.privacy,
        }
        if self.options.group_by:
            out["group_by"] = self.options.group_by
            out["groups"] = {name: g.as_json() for name, g in sorted(self.chosen.groups.items())}
        return out

    def rows(self) -> Iterator[list[Any]]:
        """The long, tidy item table of the chosen edition."""
        if self.chosen is None or self.chosen.rows is None:
            return
        self.chosen.rows.seek(0)
        for line in self.chosen.rows:
            yield json.loads(line)

    def close(self) -> None:
        for edition in self.editions.values():
            if edition.rows is not None:
                edition.rows.close()


def _owner_label(s: dict[str, Any], collation: Collation) -> str:
    if collation.options.anonymise:
        kind = "Team" if s["kind"] == "team" else "Individual"
        collation.pseudonyms[kind] += 1
        return f"{kind} {collation.pseudonyms[kind]}"
    return str(s["owner"])


def _attribution(s: dict[str, Any], owner: str, anonymise: bool) -> str:
    place = ", ".join(x for x in (s["agency"], s["district"]) if x)
    if anonymise:
        who = "a team" if s["kind"] == "team" else "an individual"
    else:
        who = owner + (f" ({s['role']})" if s["role"] else "")
    return f"{who}, {place}" if place else who


def _group_name(s: dict[str, Any], group_by: str) -> str:
    return str(s.get(group_by) or "(not given)")


def _add(collation: Collation, catalogue: Catalogue, path: str, summary: dict[str, Any],
         items: list[list[Any]]) -> None:
    collation.files += 1
    if "error" in summary:
        collation.invalid.append({"path": path, "error": summary["error"]})
        return
    collation.valid += 1
    if summary.get("privacy"):
        collation.privacy.append(path)
    ref = summary["framework"]
    collation.counts[ref] += 1
    edition = collation.editions.get(ref)
    if edition is None:
        fid, _, version = ref.partition("@")
        edition = Edition(catalogue.get(fid, version), collation.options.detail)
        collation.editions[ref] = edition
    opts = collation.options
    edition.figures.add(summary, opts.as_of)
    if opts.group_by:
        name = _group_name(summary, opts.group_by)
        if name not in edition.groups:
            edition.groups[name] = Figures(edition.fw)
        edition.groups[name].add(summary, opts.as_of)
    owner = _owner_label(summary, collation)
    due = dt.date.fromisoformat(summary["review_due"])
    if not summary["reviewed"] and due < opts.as_of:
        edition.overdue.append({"owner": owner, "kind": summary["kind"],
                                "team": summary["team"], "agency": summary["agency"],
                                "district": summary["district"], "review_due": due.isoformat(),
                                "days_overdue": (opts.as_of - due).days})
    if not opts.detail or edition.rows is None:
        return
    titles = edition.titles
    who = _attribution(summary, owner, opts.anonymise)
    mask = collation.mask
    for number, pid, name, text, source, progress in items:
        if mask is not None:
            text = mask(text)
        if name == "good_practice" and pid in titles:
            edition.good_practice.setdefault(pid, []).append((text, who))
        elif name in ("helps", "hinders"):
            key = _factor_key(text)
            if key:
                (edition.helps if name == "helps" else edition.hinders)[key] += 1
                edition.wording.setdefault(key, " ".join(text.split()))
        elif name == "signs_of_success" and pid in titles:
            edition.signs.setdefault(pid, []).append(text)
        elif name == "evidence" and pid in titles:
            edition.evidence.setdefault(pid, []).append((text, source))
        row = [owner, summary["kind"], summary["agency"], summary["district"], summary["team"],
               number, pid, titles.get(pid, ""), name, text, source or "", progress or "",
               summary["started"], summary["review_due"], summary["reviewed"] or "", path]
        edition.rows.write(json.dumps(row, ensure_ascii=False) + "\n")


def _summaries(paths: list[str], catalogue: Catalogue, options: Options,
               progress: Callable[[int], None]
               ) -> Iterator[tuple[str, dict[str, Any], list[list[Any]]]]:
    """(path, summary, rows) for each file, in order: from the cache, a pool, or in-process."""
    cache = Cache(fingerprint(catalogue, options.case_patterns)) if options.use_cache else None
    known = cache.fresh(options.detail) if cache else {}
    misses: list[str] = []
    for path in paths:
        try:
            st = os.stat(path)
        except OSError:
            misses.append(path)
            continue
        if not (cache and cache.usable(known.get(path), st)):
            misses.append(path)
    del known
    computed = _compute(misses, catalogue, options)
    to_read = set(misses)
    try:
        for path in paths:
            if cache and path not in to_read:
                summary, items = cache.get(path, options.detail)
            else:
                got, read_at, summary, maybe_items = next(computed)
                assert got == path
                if cache and "error" not in summary:
                    # Stat after reading: a file changed since looks "racy" and is read again.
                    with contextlib.suppress(OSError):
                        cache.put(path, os.stat(path), read_at, summary, maybe_items)
                items = maybe_items or []
            progress(1)
            yield path, summary, items
    finally:
        if cache:
            cache.close()


def _compute(todo: list[str], catalogue: Catalogue, options: Options
             ) -> Iterator[tuple[str, int, dict[str, Any], list[list[Any]] | None]]:
    workers = options.workers if options.workers is not None else (os.cpu_count() or 1)
    if len(todo) < POOL_THRESHOLD or workers < 2:
        _init_worker(catalogue, options.detail, options.case_patterns)
        for path in todo:
            yield _summarise_path(path)
        return
    import multiprocessing

    ctx = multiprocessing.get_context("spawn" if os.name == "nt" else "forkserver")
    with ctx.Pool(workers, _init_worker,
                  (catalogue, options.detail, options.case_patterns)) as pool:
        yield from pool.imap(_summarise_path, todo, chunksize=16)


def collate(paths: Iterable[Path], catalogue: Catalogue, options: Options, *,
            on_start: Callable[[int], None] | None = None,
            on_progress: Callable[[int], None] | None = None) -> Collation:
    """Collate every ``*.pledge.yaml`` under ``paths``. An unreadable file never stops it."""
    found = [str(p) for p in find_pledge_files(paths)]
    if on_start:
        on_start(len(found))
    collation = Collation(options)
    for path, summary, items in _summaries(found, catalogue, options,
                                           on_progress or (lambda n: None)):
        _add(collation, catalogue, path, summary, items)
    if options.framework:
        fid, _, version = options.framework.partition("@")
        wanted = catalogue.get(fid, version or None).ref
        collation.chosen = collation.editions.get(wanted) or Edition(
            catalogue.get(fid, version or None), options.detail)
    elif collation.counts:
        # The edition most files use; ties go to the newest edition.
        best = max(collation.counts.items(), key=lambda kv: (kv[1], kv[0]))[0]
        collation.chosen = collation.editions[best]
    return collation


# --- outputs ------------------------------------------------------------------------------------

LIST_LIMIT = 10  # signs of success and evidence shown per point in the summary reports


def _bars(items: list[tuple[str, int]]) -> dict[str, Any]:
    top = max((v for _, v in items), default=0) or 1
    return {"max": top, "bars": [{"label": label, "value": value,
                                  "pct": round(100 * value / top, 1)} for label, value in items]}


def report_data(collation: Collation) -> dict[str, Any]:
    """The summary report's content, shaped for the templates (which only lay it out)."""
    from sclearn.exports.render import BALANCE_LABELS, PROGRESS_LABELS, uk_date

    data = collation.as_json()
    ed = collation.chosen
    assert ed is not None
    fw, fig = ed.fw, ed.figures
    sources = fw.evidence_sources
    sr_only = set(fig.self_report_only())
    areas = []
    for area in fw.areas:
        points = []
        for pt in area.points:
            f = fig.points[pt.id]
            signs = ed.signs.get(pt.id, [])
            evidence = ed.evidence.get(pt.id, [])
            points.append({
                "number": pt.number, "id": pt.id, "title": pt.title,
                "owners_pledging": f["owners_pledging"], "pledges": f["pledges"],
                "good_practice_count": f["good_practice"],
                "progress": [(PROGRESS_LABELS[k], v) for k, v in f["progress"].items()],
                "sources": [(code, fig.point_sources[pt.id][code]) for code in sources],
                "self_report_only": pt.id in sr_only,
                "catalogue": [{"text": t, "who": w} for t, w in ed.good_practice.get(pt.id, [])],
                "signs": signs[:LIST_LIMIT], "signs_more": max(0, len(signs) - LIST_LIMIT),
                "evidence": [{"text": t, "source": f"{c} — {sources.get(c, c)}"}
                             for t, c in evidence[:LIST_LIMIT]],
                "evidence_more": max(0, len(evidence) - LIST_LIMIT),
            })
        areas.append({"number": area.number, "title": area.title, "points": points})
    progress_total = Counter[str]()
    for f in fig.points.values():
        progress_total.update(f["progress"])
    headline = [("Pledge files found", collation.files),
                ("Collated (valid, this framework edition)", fig.valid),
                ("Individuals", fig.owners["individual"]), ("Teams", fig.owners["team"]),
                ("Stage 1 complete", fig.stage1), ("Stage 2 complete", fig.stage2),
                ("Reviews completed", fig.completed), ("Reviews overdue", fig.overdue),
                ("Reviews due within 30 days", fig.due_soon),
                ("Files that could not be read", len(collation.invalid))]
    domains = fw.professional_dimension.domains if fw.professional_dimension else []
    reflection = [{"title": d.title, "rows": [
        {"title": dim.title, **{b: fig.reflection.get(d.id, {}).get(dim.id, Counter())[b]
                                for b in BALANCE}}
        for dim in d.dimensions if fig.reflection.get(d.id, {}).get(dim.id)]}
        for d in domains if fig.reflection.get(d.id)]
    groups = [{"name": name, "headline": [
        ("Collated", g.valid), ("Individuals", g.owners["individual"]),
        ("Teams", g.owners["team"]), ("Stage 1 complete", g.stage1),
        ("Stage 2 complete", g.stage2), ("Reviews overdue", g.overdue)]}
        for name, g in sorted(ed.groups.items())]

    def top(counter: Counter[str]) -> list[tuple[str, int]]:
        return [(ed.wording[k], n) for k, n in counter.most_common(15)]

    return {
        "title": "Developing and Improving Practice Pledges: collated summary",
        "as_of": uk_date(collation.options.as_of),
        "framework": {"title": fw.title, "publisher": fw.publisher, "edition": fw.edition,
                      "version": fw.version, "id": fw.id},
        "anonymised": collation.options.anonymise,
        "group_by": collation.options.group_by,
        "headline": headline,
        "groups": groups,
        "areas": areas,
        "charts": {
            "pledging": _bars([(f"{p.number}) {p.title}", fig.points[p.id]["owners_pledging"])
                               for p in fw.points]),
            "progress": _bars([(PROGRESS_LABELS[k], progress_total[k]) for k in PROGRESS]),
            "sources": _bars([(f"{c} — {m}", fig.sources[c]) for c, m in sources.items()]),
        },
        "helps": top(ed.helps), "hinders": top(ed.hinders),
        "overdue": [{**o, "review_due": uk_date(dt.date.fromisoformat(o["review_due"]))}
                    for o in sorted(ed.overdue, key=lambda o: str(o["review_due"]))],
        "reflection": reflection,
        "balance_labels": BALANCE_LABELS,
        "invalid": data["invalid"],
        "other_frameworks": data["other_frameworks"],
        "extra_points": data["extra_points"],
    }


def write_csv(collation: Collation, stream: IO[str]) -> int:
    """The item table as CSV; returns the number of rows."""
    import csv

    from sclearn.exports.safety import spreadsheet_cell

    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(ROW_COLUMNS)
    count = 0
    for row in collation.rows():
        writer.writerow([spreadsheet_cell(v) for v in row])
        count += 1
    return count


def write_xlsx(collation: Collation, path: Path) -> None:
    """Items, summary, overdue reviews and unreadable files, one sheet each."""
    from openpyxl import Workbook

    from sclearn.exports.safety import spreadsheet_cell
    from sclearn.files.write import output_file

    wb = Workbook(write_only=True)

    def sheet(title: str, header: Iterable[str], rows: Iterable[Iterable[Any]]) -> None:
        ws = wb.create_sheet(title)
        ws.append(list(header))
        for row in rows:
            # openpyxl writes a string starting with "=" as a live formula; neutralised text
            # never starts with one.
            ws.append([spreadsheet_cell(v) for v in row])

    data = collation.as_json()
    sheet("Items", ROW_COLUMNS, collation.rows())
    summary: list[list[Any]] = [["framework", f"{data['framework']['id']}@"
                                 f"{data['framework']['version']}"],
                                ["as of", data["as_of"]], ["files", data["files"]],
                                ["valid", data["valid"]], ["collated", data["collated"]],
                                ["individuals", data["owners"]["individual"]],
                                ["teams", data["owners"]["team"]],
                                ["stage 1 complete", data["stage1_complete"]],
                                ["stage 2 complete", data["stage2_complete"]],
                                *[[f"reviews {k}", v] for k, v in data["reviews"].items()],
                                *[[f"evidence {k}", v]
                                  for k, v in data["evidence_sources"].items()]]
    sheet("Summary", ["figure", "value"], summary)
    sheet("Points", ["point", "pledges", "good practice", "owners pledging", *PROGRESS],
          [[pid, f["pledges"], f["good_practice"], f["owners_pledging"],
            *f["progress"].values()] for pid, f in data["points"].items()])
    sheet("Overdue", ["owner", "kind", "team", "agency", "district", "review due",
                      "days overdue"], [list(o.values()) for o in data["overdue_reviews"]])
    sheet("Unreadable files", ["file", "error"],
          [[x["path"], x["error"]] for x in data["invalid"]])
    # Saved beside the target and renamed, so a half-written workbook never replaces one.
    with output_file(path) as handle:
        wb.save(handle)

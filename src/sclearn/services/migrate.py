"""`sclearn migrate`: move pledges (and their reviews) onto a new framework edition.

The new edition's file says how the earlier edition's points map onto its own
(``migrates_from``). Nothing a user wrote is dropped: merged points are combined, a split point's
text goes to the first of its successors, and the text of a removed point moves to
``extra_points`` with a note. The edit goes through the round-trip layer, so comments and the
rest of the file are kept, and a comment records the migration.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.scalarstring import DoubleQuotedScalarString
from ruamel.yaml.tokens import CommentToken

from sclearn.core.errors import InvalidFileError, Problem, SclearnError, UsageError
from sclearn.core.framework import Framework
from sclearn.core.pledge import LIST_FIELDS, LoadedPledge
from sclearn.files.decode import decode_source, read_source
from sclearn.files.discover import find_pledge_files
from sclearn.files.frameworks import Catalogue
from sclearn.files.pledges import parse_pledge
from sclearn.files.roundtrip import (
    Document,
    append_key,
    extend_seq,
    load_document,
    put_trailing,
    render,
    save_document,
    take_trailing,
)
from sclearn.services.workspace import Workspace


@dataclass
class Result:
    """What a migration did (notes for the user, the diff), or that it had nothing to do."""

    notes: list[str] = field(default_factory=list)
    diff: str = ""
    already: bool = False  # the file was on the target edition already: nothing changed
    path: Path | None = None
    version: str = ""  # the edition the file was on
    problems: list[Problem] = field(default_factory=list)  # why the file was not moved
    exit_code: int = 0  # of the error that stopped this file, if one did


def _remove(points: CommentedMap, key: str) -> object:
    """Delete a point without losing the comments below it (they go to the one above)."""
    keys = list(points)
    index = keys.index(key)
    value = points[key]
    token = take_trailing(value)
    del points[key]
    if index > 0:
        put_trailing(points[keys[index - 1]], token)
    return value


def _comment_lines(node: object) -> list[str]:
    """Every comment line written inside a node, in order."""
    lines: list[str] = []

    def tokens(value: object) -> list[CommentToken]:
        if isinstance(value, CommentToken):
            return [value]
        if isinstance(value, list):
            return [t for v in value for t in tokens(v)]
        return []

    if isinstance(node, (CommentedMap, CommentedSeq)):
        lines += [ln for t in tokens(node.ca.comment) for ln in t.value.split("\n")]
        for slot in node.ca.items.values():
            lines += [ln for t in tokens(slot) for ln in t.value.split("\n")]
        children = node.values() if isinstance(node, CommentedMap) else node
        for child in children:
            lines += _comment_lines(child)
    return [ln.strip() for ln in lines if ln.strip().startswith("#")]


def _keep_comments(entry: CommentedMap, lines: list[str]) -> None:
    """Put comment lines (from a merged-away point) below a point, so none is lost."""
    if lines:
        text = "".join(f"    {ln}\n" for ln in lines)
        put_trailing(entry, CommentToken("\n" + text, CommentMark(0)))


def _rename(points: CommentedMap, old: str, new: str) -> None:
    index = list(points).index(old)
    value = points[old]
    own = points.ca.items.pop(old, None)
    del points[old]
    points.insert(index, new, value)
    if own is not None:
        points.ca.items[new] = own


def _verdicts(node: CommentedMap) -> tuple[list[str], list[str] | None]:
    """A point's signs of success and its review's verdicts on them (None: not aligned)."""
    signs = [str(x) for x in node.get("signs_of_success") or []]
    review = node.get("review")
    given = list(review.get("signs") or []) if isinstance(review, CommentedMap) else []
    return signs, [str(x) for x in given] if len(given) == len(signs) else None


def _combine_verdicts(
    into: CommentedMap,
    mine: tuple[list[str], list[str] | None],
    theirs: tuple[list[str], list[str] | None],
    note: str,
    notes: list[str],
) -> None:
    """Keep one verdict per merged sign of success, in order, or drop them and say so."""
    review = into.get("review")
    if not isinstance(review, CommentedMap):
        return
    (signs, verdicts), (other_signs, other_verdicts) = mine, theirs
    added = [i for i, x in enumerate(other_signs) if x not in signs]
    if not (verdicts or other_verdicts) and "signs" not in review:
        return
    if verdicts is not None and other_verdicts is not None:
        merged = verdicts + [other_verdicts[i] for i in added]
        seq = CommentedSeq(merged)
        seq.fa.set_flow_style()
        review["signs"] = seq
    elif "signs" in review:
        del review["signs"]
        notes.append(
            f"{note}: the verdicts on the signs of success could not be matched to "
            "the merged signs, so they were left out; judge them again"
        )


def _combine(into: CommentedMap, other: object, note: str, notes: list[str]) -> None:
    if not isinstance(other, CommentedMap):
        return
    before = (_verdicts(into), _verdicts(other))
    _combine_columns(into, other, note, notes)
    _combine_verdicts(into, *before, note, notes)


def _combine_columns(into: CommentedMap, other: CommentedMap, note: str, notes: list[str]) -> None:
    for name in LIST_FIELDS:
        extra = [x for x in other.get(name) or [] if x not in (into.get(name) or [])]
        if extra:
            seq = into.get(name)
            if not isinstance(seq, CommentedSeq):
                seq = CommentedSeq(list(seq or []))
                into[name] = seq
            extend_seq(seq, extra)
    for name in ("discussion", "skip"):
        theirs = str(other.get(name) or "").strip()
        if theirs:
            mine = str(into.get(name) or "").strip()
            into[name] = f"{mine}\n{theirs}" if mine else theirs
    review = other.get("review")
    if isinstance(review, CommentedMap):
        mine = into.get("review")
        if not isinstance(mine, CommentedMap):
            append_key(into, "review", review)
        else:
            evidence = mine.get("evidence")
            if not isinstance(evidence, CommentedSeq):
                evidence = CommentedSeq(list(evidence or []))
                mine["evidence"] = evidence
            extend_seq(evidence, list(review.get("evidence") or []))
            if review.get("progress") and review.get("progress") != mine.get("progress"):
                notes.append(
                    f"{note}: the merged points had different progress "
                    f"({mine.get('progress')} and {review.get('progress')}); "
                    "the first was kept, check it"
                )
            if review.get("notes"):
                mine["notes"] = "\n".join(x for x in (mine.get("notes"), review["notes"]) if x)


def migrate_document(doc: Document, old: Framework, new: Framework, day: dt.date) -> list[str]:
    """Change the document in place from edition ``old`` to ``new``; notes on what changed."""
    mapping = new.migrates_from.get(old.version)
    if mapping is None:
        raise UsageError(
            f"{new.ref} does not say how to migrate from version {old.version}",
            hint=f"its framework file needs a migrates_from entry for '{old.version}'",
        )
    points = doc.data.get("points")
    if not isinstance(points, CommentedMap):
        points = CommentedMap()
        doc.data["points"] = points
    notes: list[str] = []
    for before, after in mapping.renamed.items():
        if before in points:
            _rename(points, before, after)
            notes.append(f"point {before} is now {after}")
    for after, befores in mapping.merged.items():
        present = [b for b in befores if b in points]
        if not present:
            continue
        first = present[0]
        _rename(points, first, after)
        target = points[after]
        if not isinstance(target, CommentedMap):
            target = CommentedMap()
            points[after] = target
        for other in present[1:]:
            removed = _remove(points, other)  # the heading below it stays with the points
            # The form's prompts are the same in both; anything else the user wrote is kept.
            have = set(_comment_lines(target))
            own = [ln for ln in _comment_lines(removed) if ln not in have]
            _combine(target, removed, f"point {after}", notes)
            _keep_comments(target, own)
        notes.append(f"points {', '.join(present)} merged into {after}")
    for before, afters in mapping.split.items():
        if before not in points:
            continue
        _rename(points, before, afters[0])
        for extra_id in afters[1:]:
            if extra_id not in points:
                append_key(points, extra_id, CommentedMap())
        notes.append(
            f"point {before} split into {', '.join(afters)}: its text is under "
            f"{afters[0]}; the others start empty"
        )
    for gone in mapping.removed:
        if gone not in points:
            continue
        entry = _remove(points, gone)
        extras = doc.data.get("extra_points")
        if not isinstance(extras, CommentedSeq):
            extras = CommentedSeq(list(extras or []))
            doc.data["extra_points"] = extras
        title = old.point(gone).title if gone in {p.id for p in old.points} else gone
        finding = f"{title} (point {gone} of {old.ref}, not in {new.ref})"
        # The point's own mapping moves, so its comments travel with it.
        moved = entry if isinstance(entry, CommentedMap) else CommentedMap()
        moved.insert(0, "finding", finding)
        extend_seq(extras, [moved])
        notes.append(f"point {gone} is not in {new.ref}: its text moved to extra_points")
    for added in mapping.added:
        if added not in points:
            append_key(
                points, added, CommentedMap([(name, CommentedSeq()) for name in LIST_FIELDS])
            )
            notes.append(f"point {added} is new: added, empty")
    framework = doc.data["framework"]
    framework["version"] = DoubleQuotedScalarString(new.version)
    doc.data.yaml_set_comment_before_after_key(
        "framework",
        before=f"Migrated from {old.ref} to {new.ref} on {day.isoformat()} by sclearn migrate",
        indent=0,
    )
    return notes


def migrate(
    lp: LoadedPledge, doc: Document, catalogue: Catalogue, to_version: str, day: dt.date
) -> Result:
    """Move one loaded pledge (and its round-trip document) onto ``to_version``.

    A file already on that edition is left alone (``Result.already``), so a folder where some
    files were moved earlier can be migrated again.
    """
    new = catalogue.get(lp.framework.id, to_version)
    if new.version == lp.framework.version:
        return Result([f"already on version {new.version}"], already=True)
    notes = migrate_document(doc, lp.framework, new, day)
    text, layout = render(doc)  # exactly what save_document will write
    notes += layout
    # The result must be a valid pledge of the new edition before anything is written.
    try:
        parse_pledge(decode_source(lp.path, text.encode("utf-8")), catalogue)
    except InvalidFileError as exc:
        raise UsageError(
            f"the migrated file would not be valid: {exc.problems[0].message}",
            hint="the framework's migrates_from entry may be incomplete",
        ) from exc
    diff = "".join(
        difflib.unified_diff(
            doc.source.text.splitlines(True),
            text.replace("\r\n", "\n").splitlines(True),
            str(lp.path),
            f"{lp.path} ({new.ref})",
        )
    )
    return Result(notes, diff)


def migrate_paths(
    ws: Workspace,
    paths: Sequence[Path],
    to_version: str,
    *,
    dry_run: bool = False,
    day: dt.date | None = None,
) -> Iterator[Result]:
    """Migrate every pledge named or found below ``paths``, one result per file.

    One file's problem never stops the batch: it is reported in its result and the rest go
    on. With ``dry_run`` nothing is written.
    """
    for path in find_pledge_files(paths):
        try:
            source = read_source(path)
            lp = parse_pledge(source, ws.catalogue)  # located messages before ruamel sees it
            doc = load_document(path, source)
            result = migrate(lp, doc, ws.catalogue, to_version, day or dt.date.today())
            if not result.already and not dry_run:
                save_document(doc)
        except SclearnError as exc:
            problems = (
                exc.problems
                if isinstance(exc, InvalidFileError)
                # A write conflict's message names the file already.
                else [
                    Problem(exc.message, None if str(path) in exc.message else path, hint=exc.hint)
                ]
            )
            yield Result(path=path, problems=problems, exit_code=exc.exit_code)
            continue
        result.path, result.version = path, lp.framework.version
        yield result

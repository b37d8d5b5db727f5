"""Sign-off: recording that a line manager agreed a stage, with a digest of what was agreed.

The change goes through the round-trip layer (only the sign-off lines change) under the
pledge's lock, and the digest is computed from the file exactly as it is written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from sclearn.core.completeness import stage1_problems, stage2_problems
from sclearn.core.errors import InvalidFileError, UsageError
from sclearn.core.pledge import LoadedPledge
from sclearn.core.signoff import digest, fingerprints, signoffs
from sclearn.core.source import SourceText
from sclearn.files.decode import read_source
from sclearn.files.frameworks import Catalogue
from sclearn.files.pledges import parse_pledge
from sclearn.files.roundtrip import Document, append_key, load_document, save_document
from sclearn.files.write import pledge_lock, refuse_read_only


@dataclass
class Signed:
    """What signing one file did."""

    path: Path
    stage: int
    replaced: str = ""  # "signed off on ... by ..." that this sign-off replaced
    incomplete: bool = False  # signed with --incomplete although the stage is not complete
    unchanged: bool = False  # the same sign-off was there already


def missing(lp: LoadedPledge, stage: int) -> list[str]:
    """What stops the stage being complete, one line each ("line 12, point 4: no pledge")."""
    problems = stage1_problems(lp) + (stage2_problems(lp) if stage == 2 else [])
    lines = []
    for p in problems:
        if p.severity != "error":
            continue
        where = ", ".join(x for x in (f"line {p.line}" if p.line else "", p.point or "") if x)
        lines.append(f"{where}: {p.message}" if where else p.message)
    return lines


def _entry(by: str, role: str, day: dt.date, lp: LoadedPledge, stage: int) -> CommentedMap:
    entry = CommentedMap([("by", by)])
    if role:
        entry["role"] = role
    # Quoted: YAML 1.1 readers (PyYAML, yamllint, some editors) would read a bare on as true.
    entry[DoubleQuotedScalarString("on")] = day
    entry["digest"] = digest(lp.pledge, stage)
    entry["x-fields"] = CommentedMap(fingerprints(lp.pledge, stage))
    entry.yaml_set_comment_before_after_key(
        "x-fields",
        before="sclearn's fingerprints, to say what changed since: leave as they are",
        indent=4,
    )
    return entry


def _place(doc: Document, stage: int, entry: CommentedMap) -> None:
    section = doc.data.get("signoff")
    if not isinstance(section, CommentedMap):
        section = CommentedMap()
        if "signoff" in doc.data:
            doc.data["signoff"] = section
        else:
            append_key(doc.data, "signoff", section)
    key = f"stage{stage}"
    if key in section:
        section[key] = entry
    else:
        append_key(section, key, entry)


def sign(
    path: Path,
    catalogue: Catalogue,
    stage: int,
    by: str,
    role: str = "",
    day: dt.date | None = None,
    *,
    incomplete: bool = False,
) -> Signed:
    """Record the sign-off of ``stage`` by ``by`` on ``day`` (default today).

    An incomplete stage is refused, saying what is missing, unless ``incomplete``."""
    if stage not in (1, 2):
        raise UsageError(f"there is no stage {stage}", hint="use --stage 1 or --stage 2")
    if not by.strip():
        raise UsageError("--by is empty", hint="give the name of the person who agreed it")
    day = day or dt.date.today()
    refuse_read_only(path)
    with pledge_lock(path):
        source = read_source(path)
        lp = parse_pledge(source, catalogue)
        gaps = missing(lp, stage)
        if gaps and not incomplete:
            shown = gaps[:10] + ([f"and {len(gaps) - 10} more"] if len(gaps) > 10 else [])
            raise UsageError(
                f"{path}: stage {stage} is not complete, so it was not signed off:\n  "
                + "\n  ".join(shown),
                hint=f"complete it first (see `sclearn check {path}`), or sign it off as it "
                "is with --incomplete",
            )
        done = Signed(path, stage, incomplete=bool(gaps))
        before = signoffs(lp.pledge).get(stage)
        if before is not None:
            if (before.by, before.role, before.on, before.digest) == (
                by,
                role,
                day,
                digest(lp.pledge, stage),
            ):
                done.unchanged = True
                return done
            done.replaced = f"signed off on {before.on.day} {before.on:%B %Y} by {before.by}"
        doc = load_document(path, source)
        _place(doc, stage, _entry(by, role, day, lp, stage))

        def validate(new: SourceText) -> None:
            try:
                written = parse_pledge(new, catalogue)
            except InvalidFileError as exc:
                raise UsageError(
                    f"{path} was not changed: the sign-off would make it "
                    f"unreadable ({exc.problems[0].message})"
                ) from None
            # What was signed must be what is in the file.
            if digest(written.pledge, stage) != digest(lp.pledge, stage):
                raise UsageError(
                    f"{path} was not changed: signing it would change what is signed",
                    hint="please report this",
                )

        save_document(doc, validate)
    return done

"""`sclearn new`: write a pledge file that is a pleasure to fill in by hand.

The text is built here rather than dumped from data, because its value is in the comments: the
form's prompts above each field, the point's number and title above each point, the stage 1
steps at the top. Every file it writes passes yamllint's default rules and validates at once.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import textwrap
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sclearn.core.completeness import add_months
from sclearn.core.errors import InvalidFileError, Problem, UsageError
from sclearn.core.framework import Bullet, Framework, Point
from sclearn.core.pledge import LIST_FIELDS, OWNER_FIELDS
from sclearn.exports.schema import MODELINE, ensure_schema, schema_name
from sclearn.files.decode import decode_source, read_source
from sclearn.files.write import WriteError, atomic_write
from sclearn.services.names import FileNames, slugify
from sclearn.services.sheets import (
    QUOTE_HINT,
    column_key,
    parse_day,
    quote_problem,
    records,
    sniff_delimiter,
    swallowed_rows,
)

WIDTH = 78  # yamllint's default line limit is 80


@dataclass
class NewPledge:
    """What `sclearn new` needs to know; everything but kind and name is optional."""

    kind: str
    name: str
    members: list[str] = field(default_factory=list)
    role: str = ""
    agency: str = ""
    team: str = ""
    district: str = ""
    work_base: str = ""
    phone: str = ""
    email: str = ""
    line_manager: str = ""
    line_manager_email: str = ""
    started: dt.date = field(default_factory=dt.date.today)
    reflection: bool = False
    review_after_months: int | None = None  # the folder's setting; default: the framework's

    def problems(self) -> list[str]:
        """What stops the pledge being written, in words."""
        out = []
        if self.kind not in ("individual", "team"):
            out.append(f"kind must be 'individual' or 'team', not '{self.kind}'")
        if not self.name.strip():
            out.append("a name is needed (your name, or your team's name)")
        return out

    def warnings(self) -> list[str]:
        """Details given that this kind of pledge has no place for (they are left out)."""
        out = []
        if self.kind == "team" and self.role.strip():
            out.append("a role is for individuals; it was ignored for the team")
        if self.kind == "individual" and self.members:
            out.append("members are for teams; they were ignored for an individual")
        return out


def quote(text: str) -> str:
    """A YAML double-quoted scalar (JSON string syntax is a subset of it)."""
    return json.dumps(text, ensure_ascii=False)


def _comment(text: str, indent: int, prefix: str = "") -> list[str]:
    pad = " " * indent
    lines = textwrap.wrap(
        text,
        width=WIDTH - indent - 2,
        initial_indent=prefix,
        subsequent_indent=" " * len(prefix),
        break_on_hyphens=False,
    ) or [""]
    return [f"{pad}# {line}".rstrip() for line in lines]


def _first_words(bullets: list[Bullet], limit: int = 150) -> str:
    texts = [b if isinstance(b, str) else b.text for b in bullets]
    joined = "; ".join(t.rstrip(" ;,:") for t in texts)
    return joined if len(joined) <= limit else joined[: limit - 1].rsplit(" ", 1)[0] + "…"


def _point_block(fw: Framework, pt: Point, indent: int) -> list[str]:
    pad = " " * indent
    pr = fw.prompts
    fields = [("discussion", "Stage 1 (i): how this point relates to my/our practice", '""')]
    fields += [(name, getattr(pr, name), "[]") for name in LIST_FIELDS]
    fields += [("skip", "Only if you make no pledge for this point: say why", '""')]
    lines = _comment(f"{pt.number}) {pt.title}", indent)
    lines += _comment(f"(the key points: sclearn framework show {pt.number})", indent)
    lines.append(f"{pad}{pt.id}:")
    for name, prompt, empty in fields:
        lines += _comment(prompt[:1].upper() + prompt[1:], indent + 2)
        lines.append(f"{pad}  {name}: {empty}")
    return lines


def render_new(fw: Framework, info: NewPledge) -> str:
    """The text of a new pledge file."""
    months = info.review_after_months or fw.review_after_months
    due = add_months(info.started, months)
    steps = fw.exercise.stage_1.steps
    out = ["---", MODELINE.format(schema_name(fw))]
    out += _comment("Developing and Improving Practice Pledge", 0)
    out += _comment(f"{fw.title} ({fw.publisher}, {fw.edition}, version {fw.version})", 0)
    out.append("#")
    out += _comment("Stage 1, now:", 0)
    for s in steps:
        out += _comment(s.text, 0, f"  {s.step}) ")
    out += _comment(
        f"Stage 2, about {months} months on (due {due:%d %B %Y}): with your "
        "line manager, record the evidence of improved practice for each pledge, and where "
        "it came from ("
        + ", ".join(f"{c} {m}" for c, m in fw.evidence_sources.items())
        + "). `sclearn review` walks you through it.",
        0,
    )
    out.append("#")
    out += _comment(
        "How to fill in a list: replace [] with one line per item, each starting "
        "'- ' and indented under its key. Put text in double quotes when it "
        "contains ': ' or ' #' or starts with a special character.",
        0,
    )
    out += _comment("Check your file at any time: sclearn check FILE", 0)
    out.append(f"sclearn: {1}")
    out.append(f"framework: {{id: {fw.id}, version: {quote(fw.version)}}}")
    out.append("owner:")
    out += _comment("individual or team", 2)
    out.append(f"  kind: {info.kind}")
    out.append(f"  name: {quote(info.name)}")
    if info.kind == "team":
        out += _comment("the team's members, one per line, or []", 2)
        if info.members:
            out.append("  members:")
            out += [f"    - {quote(m)}" for m in info.members]
        else:
            out.append("  members: []")
    else:
        out += _comment("your job title", 2)
        out.append(f"  role: {quote(info.role)}")
    for name in ("agency", "team", "district"):
        out.append(f"  {name}: {quote(getattr(info, name))}")
    out += _comment("contact: full address of work base, telephone, e-mail (at least one)", 2)
    for name in ("work_base", "phone", "email"):
        out.append(f"  {name}: {quote(getattr(info, name))}")
    out.append("line_manager:")
    out.append(f"  name: {quote(info.line_manager)}")
    out.append(f"  email: {quote(info.line_manager_email)}")
    out.append("dates:")
    out.append(f"  started: {info.started.isoformat()}")
    out += _comment(f"{months} months after started; change it if you agree another date", 2)
    out.append(f"  review_due: {due.isoformat()}")
    out += _comment("set at the six-month review (sclearn review)", 2)
    out.append("  reviewed: null")
    out.append("points:")
    for area in fw.areas:
        out.append("")
        out.append("  # " + "-" * (WIDTH - 4))
        out += _comment(f"Area {area.number}: {area.title}", 2)
        out.append("  # " + "-" * (WIDTH - 4))
        for pt in area.points:
            out.append("")
            out += _point_block(fw, pt, 2)
    out.append("")
    out += _comment(fw.prompts.extra_points or "Other relevant findings of your own", 0)
    out += _comment("Add one per finding, for example:", 0)
    example = ['- finding: "..."', *(f"  {n}: []" for n in LIST_FIELDS)]
    out += [f"#   {line}" for line in example]
    out.append("extra_points: []")
    if info.reflection:
        out += _reflection(fw)
    return "\n".join(out) + "\n"


def _reflection(fw: Framework) -> list[str]:
    pd = fw.professional_dimension
    if pd is None:
        raise UsageError(f"{fw.ref} has no professional dimension to reflect on")
    out = [""]
    out += _comment(f"Optional reflection: {pd.title}", 0)
    out += _comment(
        "For each dimension, does it tip the balance towards-safety, is it "
        "balanced, or does it tip towards-danger? Leave null if not discussed.",
        0,
    )
    out.append("reflection:")
    for domain in pd.domains:
        out.append(f"  {domain.id}:")
        out += _comment(domain.title, 4)
        for dim in domain.dimensions:
            out += _comment(f"{dim.title}: {_first_words(dim.considerations)}", 4)
            out.append(f"    {dim.id}:")
            out.append("      balance: null")
            out.append('      notes: ""')
    return out


def target_path(info: NewPledge, output: Path | None) -> Path:
    """Where the new file goes: ``output`` itself when it names a .yaml file, otherwise
    ``<slug>.pledge.yaml`` inside the folder ``output`` (created if need be)."""
    name = slugify(info.name) + ".pledge.yaml"
    if output is None:
        return Path.cwd() / name
    if output.is_dir() or output.suffix.lower() not in (".yaml", ".yml"):
        folder = output
        path = folder / name
        if path.resolve().parent != folder.resolve():
            raise UsageError(f"refusing to write outside {folder}")
        return path
    return output


def write_new(fw: Framework, info: NewPledge, output: Path | None = None) -> Path:
    """Create the pledge file; never overwrites an existing one."""
    wrong = info.problems()
    if wrong:
        raise UsageError("; ".join(wrong))
    text = render_new(fw, info)
    path = target_path(info, output)
    path.parent.mkdir(parents=True, exist_ok=True)
    # The new file must parse and validate before it is written (a built-in self check).
    from sclearn.files.frameworks import Catalogue
    from sclearn.files.pledges import parse_pledge

    catalogue = Catalogue(frameworks=[fw])
    parse_pledge(decode_source(path, text.encode("utf-8")), catalogue)
    atomic_write(path, text.encode("utf-8"), expected_digest=None)
    # The editor line at the top points at this file, beside the pledge.
    ensure_schema(fw, path.parent)
    return path


# --- many at once, from a spreadsheet ---------------------------------------------------------

CSV_COLUMNS = (*OWNER_FIELDS, "line_manager", "line_manager_email", "started")
# The columns that are one piece of text each, as NewPledge takes them.
TEXT_COLUMNS = tuple(c for c in CSV_COLUMNS if c not in ("kind", "members", "started"))


def read_people_csv(path: Path) -> tuple[list[tuple[int, dict[str, str]]], list[Problem]]:
    """Rows (with their spreadsheet row numbers) and problems with the header."""
    try:
        # The same careful reading as pledge files: missing, folder, binary, encoding, size.
        text = read_source(path).text
    except InvalidFileError as exc:
        first = exc.problems[0]
        if "UTF" in first.message:
            raise InvalidFileError(
                [
                    Problem(
                        first.message,
                        path,
                        first.line,
                        first.column,
                        hint="in Excel: File > Save as > 'CSV UTF-8 (Comma delimited)'",
                    )
                ]
            ) from None
        raise
    delimiter = sniff_delimiter(text, CSV_COLUMNS)
    rows_in = records(text, delimiter)
    header = next(rows_in, None)
    if header is not None and swallowed_rows(header, [None] * len(header.cells or []), delimiter):
        raise InvalidFileError(
            [Problem('the header row has a quote (") that is not closed', path, 1, hint=QUOTE_HINT)]
        )
    names = header.cells if header and header.cells else []
    keys = [column_key(h) for h in names]
    used: list[str | None] = [k if k in CSV_COLUMNS else None for k in keys]
    problems = [
        Problem(
            f"column '{h}' is not used",
            path,
            1,
            severity="warning",
            hint="known columns: " + ", ".join(CSV_COLUMNS),
        )
        for h, k in zip(names, used, strict=True)
        if k is None
    ]
    if "name" not in used:
        raise InvalidFileError(
            [
                Problem(
                    "has no 'name' column", path, 1, hint="known columns: " + ", ".join(CSV_COLUMNS)
                )
            ]
        )
    rows = []
    for record in rows_in:
        if swallowed_rows(record, used, delimiter):
            problems.append(Problem(quote_problem(record), path, record.row, hint=QUOTE_HINT))
            continue
        clean = {
            k: v.replace("\r\n", "\n").strip()
            for k, v in zip(used, record.cells or [], strict=False)
            if k is not None
        }
        if any(clean.values()):
            rows.append((record.row, clean))
    return rows, problems


def info_from_row(row: Mapping[str, str], defaults: Mapping[str, str] | None = None) -> NewPledge:
    """The details of one spreadsheet row (or of `new`'s options) as a NewPledge."""
    values = {**(defaults or {}), **{k: v for k, v in row.items() if v}}
    started = values.get("started", "").strip()
    day = parse_day(started) if started else dt.date.today()
    # One name per line is how a spreadsheet cell holds a list, as well as "Ann; Bob".
    members = [m.strip() for m in re.split(r"[;\n]", values.get("members", "")) if m.strip()]
    kind = values.get("kind", "") or ("team" if members else "individual")
    text: dict[str, Any] = {name: values.get(name, "") for name in TEXT_COLUMNS}
    return NewPledge(kind=kind.lower(), members=members, started=day, **text)


@dataclass
class BatchResult:
    """What `new --from` wrote, and the rows it could not use."""

    written: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def write_from_csv(
    fw: Framework,
    csv_path: Path,
    folder: Path,
    *,
    reflection: bool = False,
    defaults: Mapping[str, str] | None = None,
    review_after_months: int | None = None,
    on_write: Callable[[Path], None] | None = None,
) -> BatchResult:
    """One pledge file per row; a bad row is reported with its row number, the rest written."""
    from sclearn.core.errors import SclearnError

    rows, problems = read_people_csv(csv_path)
    result = BatchResult(problems=problems)
    folder.mkdir(parents=True, exist_ok=True)
    names = FileNames(folder)
    numbers: list[int] = []  # the spreadsheet row of each file written
    for number, row in rows:
        try:
            info = info_from_row(row, defaults)
            info.reflection = reflection
            info.review_after_months = review_after_months
            path, notes = names.choose(info.name, number)
            path = write_new(fw, info, path)
        except WriteError as exc:
            # A full disk or a read-only folder stops every later row too: stop, and say
            # exactly which rows are safely written, so the rest can be run again.
            done = (
                "; ".join(f"row {n}: {p}" for n, p in zip(numbers, result.written, strict=True))
                or "none"
            )
            raise WriteError(
                f"stopped at row {number}: {exc.message}",
                hint=f"pledge files written before it stopped: {done}. {exc.hint or ''}".strip(),
            ) from exc
        except SclearnError as exc:
            result.problems.append(
                Problem(f"row {number}: {exc.message}", csv_path, number, hint=exc.hint)
            )
            continue
        names.take(path, number)
        result.problems += [
            Problem(f"row {number}: {note}", csv_path, number, severity="warning")
            for note in notes + info.warnings()
        ]
        result.written.append(path)
        numbers.append(number)
        if on_write:
            on_write(path)
    return result

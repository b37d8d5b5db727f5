"""Putting what a form changed into a pledge file's round-trip document, item by item.

Each field of each row (a list, a text, the stage 2 evidence) is compared three ways when the
form carries the pledge as exported: form == file: nothing to do; form == exported: the form
did not change it; file == exported: the form's change is written; otherwise a clash. Items
are compared by what they mean on the form (``item_key``), and an item the form kept is
written back with the file's own text, so nothing changes that the form did not change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString

from sclearn.core.pledge import (
    LIST_FIELDS,
    ExtraPoint,
    LoadedPledge,
    Pledge,
    PointEntry,
    Review,
)
from sclearn.files.roundtrip import (
    Document,
    append_key,
    extend_seq,
    put_trailing,
    seq_at,
    take_trailing,
)
from sclearn.imports.form import ReadForm, item_key
from sclearn.services.review_edit import review_indent, review_map

SCALARS = ("discussion", "skip")


@dataclass(frozen=True)
class Clash:
    """One item changed both in the form and in the file since the form was exported."""

    where: str  # "point 4 (Assessment), pledges"


def yaml_text(value: str) -> Any:
    """Text as it is written into the file: several plain lines as a | block, anything else
    double-quoted (escapes keep tabs and spaces at the ends of lines exactly)."""
    lines = value.split("\n")
    if len(lines) > 1 and all(ln and ln == ln.strip() for ln in lines):
        return LiteralScalarString(value)
    return DoubleQuotedScalarString(value)


def _value(entry: PointEntry | None, name: str) -> Any:
    """A field as the form shows it, for comparing."""
    if entry is None:
        return () if name in (*LIST_FIELDS, "evidence") else None if name == "progress" else ""
    if name in LIST_FIELDS:
        return tuple(k for k in (item_key(x) for x in getattr(entry, name)) if k)
    if name in (*SCALARS, "finding"):
        return item_key(getattr(entry, name, ""))
    review = entry.review
    if name == "evidence":
        return tuple((item_key(e.text), e.source) for e in review.evidence) if review else ()
    if name == "progress":
        return review.progress if review else None
    return item_key(review.notes) if review else ""


def _fields(extra: bool) -> tuple[str, ...]:
    return (
        *(("finding",) if extra else ()),
        *SCALARS,
        *LIST_FIELDS,
        "evidence",
        "progress",
        "notes",
    )


def _new_items(seq: Any, wanted: list[str]) -> list[Any]:
    """The list to write: the file's own item wherever the form kept it."""
    pool: dict[str, list[Any]] = {}
    for x in seq if isinstance(seq, CommentedSeq) else []:
        pool.setdefault(item_key(str(x)), []).append(x)
    return [pool[k].pop(0) if pool.get(k := item_key(t)) else yaml_text(t) for t in wanted]


def _set_list(node: CommentedMap, name: str, wanted: list[Any]) -> None:
    seq = seq_at(node, name)
    old = list(seq)
    if (
        wanted
        and len(wanted) >= len(old)
        and all(a is b for a, b in zip(old, wanted, strict=False))
    ):
        extend_seq(seq, wanted[len(old) :])
        return
    trailing = take_trailing(seq)
    while len(seq):
        seq.pop()
    if wanted:
        seq.fa.set_block_style()
        seq.extend(wanted)
        put_trailing(seq, trailing)
    else:
        seq.fa.set_flow_style()
        if trailing is not None:  # the comment below the old last item stays in the file
            slot = node.ca.items.setdefault(name, [None, None, None, None])
            slot[2] = trailing


@dataclass
class _Merge:
    doc: Document
    lp: LoadedPledge
    clashes: list[Clash]

    def node(self, loc: tuple[str, str | int], create: bool) -> CommentedMap | None:
        section, key = loc
        data = self.doc.data
        holder = data.get(section)
        if isinstance(key, str):
            if not isinstance(holder, CommentedMap):
                if not create:
                    return None
                holder = CommentedMap()
                data[section] = holder
            node = holder.get(key)
            if not isinstance(node, CommentedMap) and create:
                node = CommentedMap()
                if key in holder:
                    holder[key] = node
                else:
                    append_key(holder, key, node)
            return node if isinstance(node, CommentedMap) else None
        if not isinstance(holder, CommentedSeq):
            if not create:
                return None
            holder = seq_at(data, section)
        while create and len(holder) <= key:
            extend_seq(holder, [CommentedMap()])
        node = holder[key] if key < len(holder) else None
        return node if isinstance(node, CommentedMap) else None

    def row(
        self,
        loc: tuple[str, str | int],
        label: str,
        form: PointEntry | None,
        base: PointEntry | None,
        file: PointEntry | None,
        have_base: bool,
    ) -> None:
        for name in _fields(loc[0] == "extra_points"):
            f, b, c = _value(form, name), _value(base, name), _value(file, name)
            if f == c:
                continue
            if have_base:
                if f == b:
                    continue
                if c != b:
                    self.clashes.append(Clash(f"{label}, {name.replace('_', ' ')}"))
                    continue
                target = form
            elif not f:
                continue  # a hand-made form's empty cell says nothing
            elif name in (*LIST_FIELDS, "evidence"):
                target = _union(form, file, name)
            elif c:
                self.clashes.append(
                    Clash(
                        f"{label}, {name.replace('_', ' ')} (the form and "
                        "the file say different things)"
                    )
                )
                continue
            else:
                target = form
            if not self.clashes:
                self.apply(loc, name, target)

    def apply(self, loc: tuple[str, str | int], name: str, entry: PointEntry | None) -> None:
        node = self.node(loc, create=True)
        assert node is not None
        if name in LIST_FIELDS:
            _set_list(node, name, _new_items(node.get(name), list(getattr(entry, name, []))))
        elif name in (*SCALARS, "finding"):
            value = getattr(entry, name, "") if entry else ""
            if value or name in node:
                node[name] = yaml_text(value)
        else:
            self.review(loc, node, name, entry)

    def review(
        self, loc: tuple[str, str | int], node: CommentedMap, name: str, entry: PointEntry | None
    ) -> None:
        fw = self.lp.framework
        review = entry.review if entry else None
        target = review_map(node, fw, review_indent(self.doc, loc))
        if name == "progress":
            target["progress"] = review.progress if review else None
        elif name == "notes":
            target["notes"] = yaml_text(review.notes if review else "")
        else:
            old = target.get("evidence")
            pool = (
                {
                    (item_key(str(x.get("text", ""))), str(x.get("source", ""))): x
                    for x in old
                    if isinstance(x, dict)
                }
                if isinstance(old, CommentedSeq)
                else {}
            )
            wanted = []
            for ev in review.evidence if review else []:
                item = pool.get((item_key(ev.text), ev.source))
                if item is None:
                    item = CommentedMap([("text", ev.text), ("source", ev.source)])
                    item.fa.set_flow_style()
                wanted.append(item)
            _set_list(target, "evidence", wanted)


def _union(form: PointEntry | None, file: PointEntry | None, name: str) -> PointEntry:
    """The file's items, then the form's that the file lacks (a hand-made form adds only)."""
    out = (file or PointEntry()).model_copy(deep=True)
    if name == "evidence":
        have = _value(out, "evidence")
        for ev in form.review.evidence if form and form.review else []:
            if (item_key(ev.text), ev.source) not in have:
                out.review = out.review or Review()
                out.review.evidence.append(ev)
        return out
    have = set(_value(out, name))
    setattr(
        out,
        name,
        [*getattr(out, name), *(x for x in getattr(form, name, []) if item_key(x) not in have)],
    )
    return out


def merge(doc: Document, lp: LoadedPledge, form: ReadForm, base: Pledge | None) -> list[Clash]:
    """Change ``doc`` to hold what the form changed; the clashes (then ``doc`` is not to be
    saved)."""
    fw = lp.framework
    m = _Merge(doc, lp, [])
    have_base = base is not None
    for pid, entry in form.entries.items():
        m.row(
            ("points", pid),
            fw.point_label(pid),
            entry,
            base.entry(pid) if base else None,
            lp.pledge.entry(pid),
            have_base,
        )
    file_extras = lp.pledge.extra_points
    base_extras = base.extra_points if base else []
    if have_base:
        count = max(len(form.extras), len(base_extras))
    else:
        known = {_value(e, "finding") for e in file_extras}
        fresh = [e for e in form.extras if _value(e, "finding") not in known]
        form_extras = list(file_extras) + fresh
        count = len(form_extras)
    for i in range(count):

        def at(items: list[ExtraPoint], i: int = i) -> ExtraPoint | None:
            return items[i] if i < len(items) else None

        form_row = at(form.extras if have_base else form_extras)
        m.row(
            ("extra_points", i),
            f"extra point {i + 1}",
            form_row,
            at(base_extras),
            at(file_extras),
            have_base,
        )
    _drop_empty_extras(doc, form, base_extras, file_extras, m.clashes)
    return m.clashes


def _drop_empty_extras(
    doc: Document,
    form: ReadForm,
    base: list[ExtraPoint],
    file: list[ExtraPoint],
    clashes: list[Clash],
) -> None:
    """Extra points the form deleted (and the file kept as exported) leave the file."""
    seq = doc.data.get("extra_points")
    if clashes or not isinstance(seq, CommentedSeq) or not base:
        return

    def empty(n: Any) -> bool:
        return isinstance(n, CommentedMap) and not any(
            v for k, v in n.items() if k in _fields(True)
        )

    for i in reversed(range(len(form.extras), min(len(base), len(file), len(seq)))):
        if empty(seq[i]):
            del seq[i]

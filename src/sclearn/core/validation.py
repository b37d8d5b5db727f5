"""Turn pydantic's errors into located, plain-English problems a practitioner can act on."""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from sclearn.core.errors import Problem
from sclearn.core.source import Locations

Loc = tuple[str | int, ...]


def dotted(loc: Loc) -> str:
    """A location as people read it: ``points.assessment.pledges[2]``."""
    out = ""
    for part in loc:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out or "the file"


def suggest(name: str, choices: typing.Iterable[str]) -> str | None:
    """The choice closest to a mistyped ``name``, if one is close enough."""
    found = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    return found[0] if found else None


def did_you_mean(name: str, choices: typing.Iterable[str]) -> str:
    """`` — did you mean 'x'?`` for the closest choice, or nothing."""
    near = suggest(name, choices)
    return f" — did you mean '{near}'?" if near else ""


def _model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The model class that holds the last element of ``loc`` (for 'did you mean' hints)."""
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        if isinstance(part, int) or current is None:
            current = _item_type(current)
            continue
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(part)
            if field is None:
                return None
            current = field.annotation
        else:
            current = _item_type(current)
    current = _unwrap(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap(tp: Any) -> Any:
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(tp)[0])
    if origin in (typing.Union, types.UnionType):
        models = [a for a in typing.get_args(tp) if a is not type(None)]
        return _unwrap(models[0]) if len(models) == 1 else tp
    return tp


def _item_type(tp: Any) -> Any:
    args = typing.get_args(tp)
    origin = typing.get_origin(tp)
    if origin in (list, tuple) and args:
        return args[0]
    if origin is dict and len(args) == 2:
        return args[1]
    return None


_PATTERN_HINTS = {
    r"^[a-z0-9]+(-[a-z0-9]+)*$": "use lower-case words joined by hyphens, like 'child-focus'",
    r"^[A-Z][A-Z0-9]{0,9}$": "use a short code in capital letters, like SR",
    r"^\d+(\.\d+)*$": 'use a version number in quotes, like "1.0"',
}


def _text_hint(value: Any, name: str) -> str | None:
    """What to do when text was wanted and something else was written."""
    if isinstance(value, dict) and len(value) == 1:
        key, inner = next(iter(value.items()))
        said = f"{key}: {inner}" if inner is not None else f"{key}:"
        return (
            "the ': ' in it makes it read as a name and a value; put the whole text in "
            f'quotes, like "{said}"'
        )
    if isinstance(value, dict):
        return "write it as one line of text; put it in quotes if it contains ': '"
    if isinstance(value, list):
        return f"write {name} as one line of text, not a list: remove the '- ' or the [ ] brackets"
    return None


def _plain_value(value: Any) -> str:
    if isinstance(value, dict):
        return "a set of 'name: value' lines"
    if isinstance(value, list):
        return "a list"
    return f"'{value}'"


def _describe(err: Any, model: type[BaseModel]) -> tuple[str, str | None]:
    kind = err["type"]
    loc: Loc = tuple(err["loc"])
    value = err.get("input")
    if loc and loc[-1] == "[key]":  # pydantic's marker for a mapping key that is wrong
        loc = loc[:-1]
    name = str(loc[-1]) if loc and isinstance(loc[-1], str) else "this item"
    if kind == "extra_forbidden":
        holder = _model_at(model, loc[:-1])
        valid = [f for f in (holder.model_fields if holder else {}) if f != name]
        near = suggest(name, valid)
        msg = f"unknown key '{name}'" + did_you_mean(name, valid)
        if near:
            return msg, f"rename it to '{near}' (check the spelling and the underscores)"
        listed = ("the keys allowed here are " + ", ".join(valid) + "; ") if valid else ""
        return msg, (listed + f"for a note of your own, start the key with 'x-' (x-{name})")
    if kind == "missing":
        return (
            f"'{name}' is missing",
            f"add a line '{name}: ...' here (see the examples folder for the layout)",
        )
    if kind in ("string_type", "str_type"):
        if isinstance(value, (int, float, bool)):
            return "should be text", f'put it in quotes, for example "{value}"'
        hint = _text_hint(value, name)
        if isinstance(value, dict) and len(value) == 1:
            return "should be one piece of text, but a ': ' split it in two", hint
        return f"should be text, not {_plain_value(value)}", hint
    if kind == "list_type":
        if isinstance(value, str) and ("," in value or " and " in value):
            return (
                f"should be a list, but is one line of text ('{value}')",
                "write each item on its own line, indented, starting '- '",
            )
        return "should be a list", "write each item on its own line, indented, starting '- '"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return (
            f"should hold 'name: value' lines, not {_plain_value(value)}",
            "see the examples folder for what goes here",
        )
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"should be a whole number, not {_plain_value(value)}", None
    if kind == "literal_error":
        expected = str(err.get("ctx", {}).get("expected", "")).replace("'", "")
        return f"'{value}' is not one of the allowed words", f"use one of: {expected}"
    if kind.startswith("date") or kind.startswith("datetime"):
        what = "a date" if kind == "date_format" else "a real date"  # date_format: pledge.Day
        return f"{_plain_value(value)} is not {what}", "write dates as 2026-11-26 (year-month-day)"
    if kind == "string_pattern_mismatch":
        pattern = str(err.get("ctx", {}).get("pattern", ""))
        return f"'{value}' is not in the expected form", _PATTERN_HINTS.get(
            pattern, "see the examples folder for the form used here"
        )
    if kind == "value_error":
        return str(err.get("ctx", {}).get("error", err["msg"])), None
    if kind.endswith(("too_short", "too_long")):
        short = kind.endswith("too_short")
        return (
            "is empty" if short and not value else "is too short" if short else "is too long"
        ), ("write something here, or remove the line" if short else None)
    return "is not what is expected here", "see the examples folder for what goes here"


Labeller = Callable[[Loc], str | None]


def problems_from(
    exc: ValidationError,
    model: type[BaseModel],
    locs: Locations,
    path: Path,
    label: Labeller | None = None,
) -> list[Problem]:
    """Each of pydantic's errors as a located problem with a plain message and hint."""
    problems = []
    for err in exc.errors(include_url=False):
        loc: Loc = tuple(err["loc"])
        message, hint = _describe(err, model)
        line, column = locs.find(loc)
        problems.append(
            Problem(
                message, path, line, column, hint=hint, point=label(loc) if label else None, loc=loc
            )
        )
    return sorted(problems, key=lambda p: (p.line or 0, p.column or 0))


def validate(
    model: type[BaseModel],
    data: Any,
    locs: Locations,
    path: Path,
    what: str,
    label: Labeller | None = None,
) -> BaseModel:
    """Validate ``data`` against ``model``; raise InvalidFileError with located problems.

    ``label`` names the part of the form a location belongs to ("point 4 (Assessment)")."""
    from sclearn.core.errors import InvalidFileError

    if not isinstance(data, dict):
        kind = (
            "empty"
            if data is None
            else ("a list" if isinstance(data, list) else "a single piece of text")
        )
        raise InvalidFileError(
            [
                Problem(
                    f"is {kind}, not {what}",
                    path,
                    1,
                    1,
                    hint="see the examples folder for the layout",
                )
            ]
        )
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InvalidFileError(problems_from(exc, model, locs, path, label)) from None

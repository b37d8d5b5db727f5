"""A JSON Schema of the pledge file for one framework edition, for editors that validate as
people type (the YAML language server in VS Code and others)."""

from __future__ import annotations

import contextlib
import copy
import json
from pathlib import Path
from typing import Any

from sclearn.core.framework import Framework
from sclearn.core.pledge import BALANCE, PROGRESS, Pledge

# What editors read from the file's first lines (`sclearn new` writes it).
MODELINE = "# yaml-language-server: $schema={}"


def schema_name(fw: Framework) -> str:
    """The file name of a framework edition's schema, written beside the pledges."""
    return f"{fw.id}-{fw.version}.schema.json"


def _nullable(prop: dict[str, Any]) -> None:
    # People leave a key empty while filling a form in; sclearn reads that as "nothing yet".
    if prop.get("type") in ("string", "array", "integer"):
        prop["type"] = [prop["type"], "null"]


# What editors show on hover for each part of the file: words, not class names.
_TITLES = {
    "Dates": "Dates",
    "Evidence": "Evidence",
    "ExtraPoint": "Extra point",
    "FrameworkRef": "Framework",
    "LineManager": "Line manager",
    "Owner": "Owner",
    "PointEntry": "Point",
    "ReflectionEntry": "Reflection",
    "Review": "Six-month review",
    "SignOff": "Sign-off",
    "SignOffs": "Sign-offs",
}
# sclearn reads every plain value as text (`phone: 01629 533190`, `name: Yes`), while an editor
# reads `01629533190` as a number and `yes` as true: text fields take those too, so that the
# editor agrees with `sclearn check`.
_AS_TEXT = ["string", "number", "boolean"]


def _agree(node: Any, key: str | None = None) -> None:
    """Make text fields take what `sclearn check` takes, and titles read as words."""
    if isinstance(node, list):
        for item in node:
            _agree(item)
        return
    if not isinstance(node, dict):
        return
    kind = node.get("type")
    if (
        "format" not in node
        and "enum" not in node
        and "const" not in node
        and "pattern" not in node
    ):
        if kind == "string":
            node["type"] = list(_AS_TEXT)
        elif isinstance(kind, list) and "string" in kind:
            node["type"] = [*_AS_TEXT, *(t for t in kind if t not in _AS_TEXT)]
    for name, value in node.items():
        if name == "properties" and isinstance(value, dict):
            for prop, sub in value.items():
                # pydantic's "Review Due" (from the key), not a title given here
                if isinstance(sub, dict) and sub.get("title") == prop.replace("_", " ").title():
                    sub["title"] = prop.replace("_", " ").capitalize()
                _agree(sub, prop)
        elif name != "title":
            _agree(value, name)


def _version(version: str) -> dict[str, Any]:
    """The edition's version as text, or as the number an editor reads `version: 1.0` as."""
    try:
        number = float(version)
    except ValueError:
        return {"const": version}
    if repr(number) != version:  # "1.10" is not the number 1.1 to `sclearn check`
        return {"const": version}
    return {"anyOf": [{"const": version}, {"const": number}]}


def _plain_refs(node: Any) -> Any:
    """``{"allOf": [{"$ref": X}], ...}`` as ``{"$ref": X, ...}``: older pydantic wraps a
    reference with a default that way, newer ones do not; the schema is the same either way."""
    if isinstance(node, list):
        return [_plain_refs(x) for x in node]
    if not isinstance(node, dict):
        return node
    out = {k: _plain_refs(v) for k, v in node.items()}
    wrapped = out.get("allOf")
    if isinstance(wrapped, list) and len(wrapped) == 1 and set(wrapped[0]) == {"$ref"}:
        del out["allOf"]
        out = {"$ref": wrapped[0]["$ref"], **out}
    return out


def pledge_schema(fw: Framework) -> dict[str, Any]:
    """The pledge model's schema, made specific to ``fw``: point ids, codes, descriptions."""
    schema: dict[str, Any] = _plain_refs(copy.deepcopy(Pledge.model_json_schema()))
    defs = schema["$defs"]
    for holder in (schema, *defs.values()):
        if holder.get("type") == "object" and "properties" in holder:
            holder["patternProperties"] = {"^x-": {"description": "your own notes: kept"}}
            holder["additionalProperties"] = False
            for prop in holder["properties"].values():
                _nullable(prop)
    pr = fw.prompts
    entry = defs["PointEntry"]["properties"]
    for name in ("good_practice", "pledges", "helps", "hinders", "signs_of_success"):
        entry[name]["description"] = getattr(pr, name)
        defs["ExtraPoint"]["properties"][name]["description"] = getattr(pr, name)
    entry["skip"]["description"] = "Only if you make no pledge for this point: say why"
    defs["Review"]["properties"]["progress"] = {
        "enum": [*PROGRESS, None],
        "description": " / ".join(PROGRESS),
    }
    defs["Evidence"]["properties"]["source"] = {
        "enum": list(fw.evidence_sources),
        "description": "; ".join(f"{c} = {m}" for c, m in fw.evidence_sources.items()),
    }
    defs["Review"]["description"] = pr.review
    defs["ReflectionEntry"]["properties"]["balance"] = {"enum": [*BALANCE, None]}
    props = schema["properties"]
    props["sclearn"] = {
        "enum": [1, "1"],
        "title": "Format",
        "description": "the pledge file format",
    }
    props["framework"] = {
        "type": "object",
        "additionalProperties": False,
        "title": "Framework",
        "properties": {
            "id": {"const": fw.id, "title": "Id"},
            "version": {**_version(fw.version), "title": "Version"},
        },
        "required": ["id", "version"],
        "description": f"{fw.title} ({fw.edition})",
    }
    point = {"anyOf": [{"$ref": "#/$defs/PointEntry"}, {"type": "null"}]}
    props["points"] = {
        "type": ["object", "null"],
        "additionalProperties": False,
        "patternProperties": {"^x-": {}},
        "properties": {p.id: {**point, "description": f"{p.number}) {p.title}"} for p in fw.points},
    }
    if fw.professional_dimension:
        domains = {}
        for d in fw.professional_dimension.domains:
            domains[d.id] = {
                "type": ["object", "null"],
                "additionalProperties": False,
                "description": d.title,
                "properties": {
                    x.id: {
                        "anyOf": [{"$ref": "#/$defs/ReflectionEntry"}, {"type": "null"}],
                        "description": x.title,
                    }
                    for x in d.dimensions
                },
            }
        props["reflection"] = {
            "type": ["object", "null"],
            "additionalProperties": False,
            "properties": domains,
            "description": fw.professional_dimension.title,
        }
    for name, definition in defs.items():
        definition["title"] = _TITLES.get(name, name)
    _agree(schema)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"Developing and Improving Practice Pledge ({fw.ref})"
    return schema


def schema_text(fw: Framework) -> str:
    """The JSON Schema of the pledge file for a framework edition, as text."""
    return json.dumps(pledge_schema(fw), indent=2, ensure_ascii=False) + "\n"


def ensure_schema(fw: Framework, folder: Path) -> Path:
    """Write the edition's schema beside the pledges unless it is there already."""
    from sclearn.core.errors import ConflictError
    from sclearn.files.write import atomic_write

    path = folder / schema_name(fw)
    # Another `sclearn new` may write it at the same moment: either copy is the same.
    with contextlib.suppress(ConflictError):
        atomic_write(path, schema_text(fw).encode("utf-8"), expected_digest=None)
    return path

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


def pledge_schema(fw: Framework) -> dict[str, Any]:
    """The pledge model's schema, made specific to ``fw``: point ids, codes, descriptions."""
    schema = copy.deepcopy(Pledge.model_json_schema())
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
        "enum": [*PROGRESS, None], "description": " / ".join(PROGRESS)}
    defs["Evidence"]["properties"]["source"] = {
        "enum": list(fw.evidence_sources),
        "description": "; ".join(f"{c} = {m}" for c, m in fw.evidence_sources.items())}
    defs["Review"]["description"] = pr.review
    defs["ReflectionEntry"]["properties"]["balance"] = {"enum": [*BALANCE, None]}
    props = schema["properties"]
    props["sclearn"] = {"const": 1, "description": "the pledge file format"}
    props["framework"] = {
        "type": "object", "additionalProperties": False,
        "properties": {"id": {"const": fw.id}, "version": {"const": fw.version}},
        "required": ["id", "version"], "description": f"{fw.title} ({fw.edition})"}
    point = {"anyOf": [{"$ref": "#/$defs/PointEntry"}, {"type": "null"}]}
    props["points"] = {
        "type": ["object", "null"], "additionalProperties": False,
        "patternProperties": {"^x-": {}},
        "properties": {p.id: {**point, "description": f"{p.number}) {p.title}"}
                       for p in fw.points}}
    if fw.professional_dimension:
        domains = {}
        for d in fw.professional_dimension.domains:
            domains[d.id] = {
                "type": ["object", "null"], "additionalProperties": False,
                "description": d.title,
                "properties": {x.id: {"anyOf": [{"$ref": "#/$defs/ReflectionEntry"},
                                                {"type": "null"}], "description": x.title}
                               for x in d.dimensions}}
        props["reflection"] = {"type": ["object", "null"], "additionalProperties": False,
                               "properties": domains,
                               "description": fw.professional_dimension.title}
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

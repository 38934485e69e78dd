"""JSON schemas for the model: OpenAI's strict form, and parsing what comes back."""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import BaseModel

__all__ = [
    "OutputProblem",
    "OutputSchema",
    "compact_schema",
    "extract_json",
    "looks_like_schema",
    "output_schema",
    "strict_schema",
]

# Keywords OpenAI's strict mode rejects; local validation still enforces them.
_STRICT_UNSUPPORTED = frozenset({"default", "minLength", "maxLength", "uniqueItems", "examples", "format"})
_FENCE = re.compile(r"^\s*```(?:json)?\s*\n(.*?)\n\s*```\s*$", re.DOTALL)


class OutputProblem(ValueError):
    """The model's text is not the JSON object asked for; the message is fed back to it."""


@dataclass(frozen=True)
class OutputSchema:
    """An output model's JSON schema in the three forms requests carry; shared, so never mutate them.

    ``strict`` (json_schema mode) is the shape only: types, fields and bounds. Providers that enforce it show it
    to the model as part of the prompt, and the prompt already says in words what each field holds, so the
    descriptions would be paid for twice. ``schema`` (json_object mode, which llama.cpp's server turns into a
    grammar the model never reads) and ``compact`` (written into the instructions when nothing enforces the
    schema) keep them.
    """

    schema: dict[str, Any]
    strict: dict[str, Any]
    compact: str


@cache
def output_schema(output_type: type[BaseModel]) -> OutputSchema:
    """The schemas of ``output_type``, built once per class (pydantic rebuilds them on every call)."""
    schema = output_type.model_json_schema()
    shape = _without(schema, ("title", "description"))
    return OutputSchema(schema=schema, strict=strict_schema(shape), compact=compact_schema(schema))


def compact_schema(schema: dict[str, Any]) -> str:
    """The schema as written into instructions: compact JSON, without pydantic's titles."""
    return json.dumps(_without(schema, ("title",)), separators=(",", ":"), ensure_ascii=False)


def _without(node: Any, annotations: tuple[str, ...]) -> Any:
    """``node`` without the given annotation keywords (a field that happens to be named so is a dict, and stays)."""
    if isinstance(node, dict):
        return {k: _without(v, annotations) for k, v in node.items() if not (k in annotations and isinstance(v, str))}
    if isinstance(node, list):
        return [_without(item, annotations) for item in node]
    return node


def strict_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """Return a copy of ``schema`` that OpenAI's strict ``json_schema`` mode accepts.

    Every object lists all its properties as required and forbids others; optional fields stay
    nullable (pydantic already writes ``anyOf [..., null]`` for them); defaults and keywords strict
    mode does not support are removed.
    """
    strict: dict[str, Any] = _strict_node(copy.deepcopy(schema))
    return strict


def _strict_node(node: Any) -> Any:
    if isinstance(node, list):
        return [_strict_node(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _strict_node(value) for key, value in node.items() if key not in _STRICT_UNSUPPORTED}
    if "properties" in out:
        out["properties"] = {name: _strict_node(sub) for name, sub in node["properties"].items()}
        out["required"] = list(out["properties"])
        out["additionalProperties"] = False
    if "$ref" in out and len(out) > 1:
        # strict mode does not allow siblings next to $ref; the description lives on the definition.
        out = {"$ref": out["$ref"]}
    return out


def looks_like_schema(data: Any) -> bool:
    """True when a model echoed a JSON Schema instead of data that matches it (small models do)."""
    if not isinstance(data, dict):
        return False
    schema_keys = {"$defs", "properties", "$schema", "required"}
    return len(schema_keys & data.keys()) >= 2 or (data.get("type") == "object" and "properties" in data)


def extract_json(text: str) -> Any:
    """Parse the JSON a model wrote, allowing a code fence or prose around one object."""
    stripped = text.strip()
    fenced = _FENCE.match(stripped)
    if fenced:
        stripped = fenced.group(1)
    try:
        return json.loads(stripped)
    except json.JSONDecodeError:
        pass
    start, end = stripped.find("{"), stripped.rfind("}")
    if start == -1 or end <= start:
        raise OutputProblem("the answer holds no JSON object")
    try:
        return json.loads(stripped[start : end + 1])
    except json.JSONDecodeError as exc:
        raise OutputProblem(f"the answer is not valid JSON ({exc.msg} at char {exc.pos})") from exc

"""The strict-schema transform and parsing of what models write."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, Field

from briefer._llm.schema import OutputProblem, extract_json, looks_like_schema, output_schema, strict_schema
from briefer._models import DraftBriefing


def walk(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from walk(item)


def test_every_object_requires_all_properties_and_forbids_others() -> None:
    schema = strict_schema(DraftBriefing.model_json_schema())
    objects = [node for node in walk(schema) if "properties" in node]
    assert len(objects) == 4  # the briefing, a claim, an actor, a question
    for node in objects:
        assert node["additionalProperties"] is False
        assert sorted(node["required"]) == sorted(node["properties"])


def test_optional_field_becomes_required_and_nullable() -> None:
    actor = strict_schema(DraftBriefing.model_json_schema())["$defs"]["DraftActor"]
    assert "role" in actor["required"]
    assert {"type": "null"} in actor["properties"]["role"]["anyOf"]


def test_unsupported_keywords_and_defaults_are_removed_but_list_bounds_kept() -> None:
    schema = strict_schema(DraftBriefing.model_json_schema())
    keys = {key for node in walk(schema) for key in node}
    assert not keys & {"default", "maxLength", "minLength", "format"}
    assert schema["properties"]["key_claims"]["maxItems"] == 10


def test_the_strict_schema_is_the_shape_only_and_the_instructions_keep_the_descriptions() -> None:
    schemas = output_schema(DraftBriefing)
    keys = {key for node in walk(schemas.strict) for key in node}
    assert not keys & {"title", "description"}
    assert schemas.strict["properties"]["key_claims"]["maxItems"] == 10  # bounds are shape, and stay
    assert '"description":' in schemas.compact  # nothing enforces it there: the words help the model


def test_fields_named_like_annotations_stay_in_the_shape() -> None:
    class Page(BaseModel):
        title: str = Field(description="The page's title.")
        description: str

    strict = output_schema(Page).strict
    assert set(strict["properties"]) == {"title", "description"}
    assert strict["properties"]["title"] == {"type": "string"}
    assert set(strict["required"]) == {"title", "description"}


def test_ref_siblings_are_dropped() -> None:
    schema = {"type": "object", "properties": {"a": {"$ref": "#/$defs/A", "description": "x", "default": None}}}
    assert strict_schema(schema)["properties"]["a"] == {"$ref": "#/$defs/A"}


def test_transform_does_not_touch_its_input() -> None:
    original = DraftBriefing.model_json_schema()
    snapshot = repr(original)
    strict_schema(original)
    assert repr(original) == snapshot


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"a": 1}', {"a": 1}),
        ('```json\n{"a": 1}\n```', {"a": 1}),
        ('Sure! Here it is: {"a": {"b": 2}} Hope that helps.', {"a": {"b": 2}}),
    ],
)
def test_extract_json(text: str, expected: object) -> None:
    assert extract_json(text) == expected


@pytest.mark.parametrize("text", ["", "no json here", '{"a": 1', '{"a": }'])
def test_extract_json_rejects(text: str) -> None:
    with pytest.raises(OutputProblem):
        extract_json(text)


def test_schema_echo_detection() -> None:
    assert looks_like_schema(DraftBriefing.model_json_schema())
    assert looks_like_schema({"type": "object", "properties": {}})
    assert not looks_like_schema({"headline": "x", "summary": "y", "key_claims": []})

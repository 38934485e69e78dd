"""Every recording is honest: real provenance, no secrets, none orphaned, matching on request bodies."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from briefer._replay import match_json_body
from tests.conftest import CASSETTES, EXAMPLES, ROOT

RECORDINGS = sorted([*CASSETTES.rglob("*.yaml"), *EXAMPLES.rglob("*.recording.yaml")])
SECRET = re.compile(
    r"sk-(?!no-key|replay|local-no-key)[A-Za-z0-9_-]{16,}|Bearer\s+[A-Za-z0-9._-]{12,}|org-[A-Za-z0-9]{16,}"
    r"|set-cookie|__cf_bm|openai-organization|openai-project|x-api-key",
    re.IGNORECASE,
)


def test_there_are_recordings() -> None:
    assert len(RECORDINGS) >= 2


@pytest.mark.parametrize("path", RECORDINGS, ids=lambda p: str(p.relative_to(ROOT)))
def test_recording_is_clean_and_names_its_model(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert not SECRET.search(text), f"{path} holds what looks like a secret: {SECRET.search(text)}"
    assert "authorization" not in text.lower()
    header = text.splitlines()[0]
    assert re.match(r"# Recorded \d{4}-\d{2}-\d{2} from model \S+ at https?://\S+\.", header), header
    data = yaml.safe_load(text)
    assert data["interactions"], f"{path} holds no interaction"
    for interaction in data["interactions"]:
        assert "json" in interaction["request"]["body"], "request bodies are stored as parsed JSON"


@pytest.mark.parametrize("path", sorted(CASSETTES.rglob("*.yaml")), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_orphan_cassettes(path: Path) -> None:
    module = ROOT / "tests" / f"{path.parent.name}.py"
    assert module.exists(), f"{path} belongs to no test module"
    assert f"def {path.stem}(" in module.read_text(encoding="utf-8"), f"{path} belongs to no test; delete it"


def test_the_example_recording_shows_the_ladder_stepping_down() -> None:
    data = yaml.safe_load((EXAMPLES / "us-skeptical-of-russian-promises.recording.yaml").read_text(encoding="utf-8"))
    # --update keeps the answers it had and appends what it recorded, so the order in the file is not the run's
    kinds = [
        (i["request"]["body"]["json"]["response_format"]["type"], i["response"]["status"]["code"])
        for i in data["interactions"]
    ]
    assert kinds.count(("json_schema", 500)) == 1
    assert [kind for kind in kinds if kind[0] != "json_schema"] == [("json_object", 200)] * (len(kinds) - 1)


class _Request:
    def __init__(self, body: str) -> None:
        self.body = body.encode()


def test_body_matcher_ignores_formatting_and_shows_a_diff() -> None:
    match_json_body(_Request('{"a": 1, "b": [1, 2]}'), _Request('{"b":[1,2],"a":1}'))
    with pytest.raises(AssertionError, match=r"(?s)-.*\"max_tokens\": 100.*\+.*\"max_tokens\": 200.*re-record"):
        match_json_body(_Request('{"max_tokens": 200}'), _Request('{"max_tokens": 100}'))

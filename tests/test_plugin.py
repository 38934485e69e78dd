"""briefer's pytest plugin, run the way a user's test suite runs it (pytester): record, replay, fail loudly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tests.conftest import PLUGIN_INSTALLED
from tests.fake_openai import FakeOpenAI, completion

USERS_TEST = """
import os

import openai
import pytest


@pytest.mark.briefer_recording("recordings/ask.yaml")
def test_ask(briefer_recording):
    client = openai.OpenAI(base_url=briefer_recording.base_url, api_key=briefer_recording.api_key, max_retries=0)
    for question in os.environ["QUESTIONS"].split(","):
        answer = client.chat.completions.create(
            model=briefer_recording.model, messages=[{"role": "user", "content": question}]
        )
        assert answer.choices[0].message.content == os.environ.get("EXPECT", question.upper())
"""
PLUGIN_ARGS = () if PLUGIN_INSTALLED else ("-p", "briefer.pytest_plugin")


@pytest.fixture
def users_project(pytester: pytest.Pytester, fake_openai: FakeOpenAI, monkeypatch: pytest.MonkeyPatch) -> Path:
    fake_openai.responder = lambda body: completion(body["messages"][-1]["content"].upper())
    monkeypatch.setenv("QUESTIONS", "one")
    pytester.makepyfile(test_ask=USERS_TEST)
    return pytester.path


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest(*PLUGIN_ARGS, "-p", "no:cacheprovider", *args)


def record(pytester: pytest.Pytester, fake_openai: FakeOpenAI, monkeypatch: pytest.MonkeyPatch) -> pytest.RunResult:
    with monkeypatch.context() as env:
        env.setenv("OPENAI_BASE_URL", fake_openai.base_url)
        env.setenv("BRIEFER_MODEL", "fake-model")
        return run(pytester, "--briefer-record")


def test_records_then_replays_with_no_endpoint(
    pytester: pytest.Pytester, users_project: Path, fake_openai: FakeOpenAI, monkeypatch: pytest.MonkeyPatch
) -> None:
    record(pytester, fake_openai, monkeypatch).assert_outcomes(passed=1)
    cassette = users_project / "recordings" / "ask.yaml"
    text = cassette.read_text(encoding="utf-8")
    assert text.startswith("# Recorded ") and "fake-model" in text
    assert yaml.safe_load(text)["interactions"][0]["request"]["body"]["json"]["messages"][0]["content"] == "one"
    asked = len(fake_openai.requests)
    run(pytester).assert_outcomes(passed=1)
    assert len(fake_openai.requests) == asked  # replayed, not asked


def test_a_changed_request_fails_with_its_diff_and_the_command_that_rerecords(
    pytester: pytest.Pytester, users_project: Path, fake_openai: FakeOpenAI, monkeypatch: pytest.MonkeyPatch
) -> None:
    record(pytester, fake_openai, monkeypatch)
    monkeypatch.setenv("QUESTIONS", "One")
    result = run(pytester)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            '*-*"content": "one"*',
            '*+*"content": "One"*',
            "*re-record with a model running: pytest test_ask.py::test_ask --briefer-record*",
        ]
    )


def test_a_response_never_asked_for_fails_the_test(
    pytester: pytest.Pytester, users_project: Path, fake_openai: FakeOpenAI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUESTIONS", "one,two")
    record(pytester, fake_openai, monkeypatch)
    monkeypatch.setenv("QUESTIONS", "one")
    result = run(pytester)
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*1 recorded response(s) were never asked for: the recording is stale*"])


def test_a_failing_test_keeps_the_old_recording(
    pytester: pytest.Pytester, users_project: Path, fake_openai: FakeOpenAI, monkeypatch: pytest.MonkeyPatch
) -> None:
    record(pytester, fake_openai, monkeypatch)
    cassette = users_project / "recordings" / "ask.yaml"
    before = cassette.read_text(encoding="utf-8")
    monkeypatch.setenv("QUESTIONS", "three")
    monkeypatch.setenv("EXPECT", "wrong")
    record(pytester, fake_openai, monkeypatch).assert_outcomes(failed=1)
    assert cassette.read_text(encoding="utf-8") == before
    assert sorted(path.name for path in cassette.parent.iterdir()) == ["ask.yaml"]


def test_no_recording_fails_with_the_command_and_recording_needs_an_endpoint(
    pytester: pytest.Pytester, users_project: Path
) -> None:
    result = run(pytester)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*no recording at *recordings/ask.yaml*--briefer-record*"])
    result = run(pytester, "--briefer-record")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*--briefer-record needs a model: set OPENAI_BASE_URL*"])


def test_the_plugin_is_declared_and_cheap_to_import() -> None:
    import subprocess
    import sys

    pyproject = (Path(__file__).parent.parent / "pyproject.toml").read_text(encoding="utf-8")
    assert '[project.entry-points.pytest11]\nbriefer = "briefer.pytest_plugin"' in pyproject
    code = (
        "import json, sys, briefer.pytest_plugin; "
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith(('briefer.', 'openai', 'vcr')))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == ["briefer._version", "briefer.pytest_plugin"]

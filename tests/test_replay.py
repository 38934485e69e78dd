"""Recording and replaying: a recording updated in place pays only for the requests it lacks."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel

from briefer._config import Settings
from briefer._errors import ReplayError
from briefer._llm import LLM, ModeMemory
from briefer._replay import recording, replaying
from tests.fake_openai import FakeOpenAI, completion


class Answer(BaseModel):
    text: str


def ask(settings: Settings, question: str) -> str:
    async def once() -> str:
        llm = LLM(settings, memory=ModeMemory())
        try:
            messages = [{"role": "user", "content": question}]
            return (await llm.structured(messages, Answer, name="answer")).value.text
        finally:
            await llm.aclose()

    return asyncio.run(once())


def questions_in(path: Path) -> list[str]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [i["request"]["body"]["json"]["messages"][-1]["content"] for i in data["interactions"]]


@pytest.fixture
def settings(fake_openai: FakeOpenAI) -> Settings:
    fake_openai.responder = lambda body: completion(json.dumps({"text": body["messages"][-1]["content"].upper()}))
    return Settings(base_url=fake_openai.base_url, api_key="sk-test", model="fake", remember_modes=False)


def test_update_replays_what_is_held_records_what_is_new_and_drops_the_unused(
    fake_openai: FakeOpenAI, settings: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "run.yaml"
    with recording(path):
        assert ask(settings, "one") == "ONE"
        ask(settings, "two")
    assert len(fake_openai.requests) == 2
    with recording(path, update=True):
        assert ask(settings, "one") == "ONE"  # answered from the recording
    assert len(fake_openai.requests) == 2
    assert questions_in(path) == ["one"]  # "two" was not used by this run
    with recording(path, update=True):
        ask(settings, "one")
        ask(settings, "three")
    assert len(fake_openai.requests) == 3
    assert questions_in(path) == ["one", "three"]
    with replaying(path) as recorded:
        assert ask(recorded, "three") == "THREE"


def test_recording_never_overwrites_without_update(settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "run.yaml"
    path.write_text("kept", encoding="utf-8")
    with pytest.raises(ReplayError, match="--update"), recording(path):
        pass
    assert path.read_text(encoding="utf-8") == "kept"

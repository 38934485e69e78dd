"""The API key never reaches a message: error bodies that echo the Authorization header are scrubbed."""

from __future__ import annotations

import asyncio

import pytest
from pydantic import BaseModel

from briefer._config import Settings
from briefer._errors import EndpointError
from briefer._llm import LLM, ModeMemory
from briefer._llm.secrets import scrub_secrets
from tests.fake_openai import FakeOpenAI, Reply, error

KEY = "sk-live-0123456789abcdefSECRET"


class Answer(BaseModel):
    answer: str


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"bad key {KEY}", "bad key [redacted]"),
        ("Authorization: Bearer tok_abc.def-123", "Authorization: Bearer [redacted]"),
        ('{"auth": "bearer  xyz"}', '{"auth": "bearer  [redacted]"}'),
        ("nothing secret here", "nothing secret here"),
    ],
)
def test_scrub_secrets(text: str, expected: str) -> None:
    assert scrub_secrets(text, KEY) == expected


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422, 500])
def test_an_error_body_echoing_the_key_is_scrubbed(fake_openai: FakeOpenAI, status: int) -> None:
    def responder(request: dict) -> Reply:
        sent = fake_openai.request_headers[-1]["authorization"]
        return error(status, f"bad request; you sent Authorization: {sent} and key={KEY}")

    fake_openai.responder = responder
    settings = Settings(base_url=fake_openai.base_url, api_key=KEY, model="m", timeout=5, retry_seconds=0.5)
    llm = LLM(settings, memory=ModeMemory())

    async def ask() -> None:
        try:
            await llm.structured([{"role": "user", "content": "hi"}], Answer, name="answer")
        finally:
            await llm.aclose()

    with pytest.raises(EndpointError) as caught:
        asyncio.run(ask())
    assert "SECRET" not in str(caught.value), str(caught.value)
    assert fake_openai.request_headers[0]["authorization"] == f"Bearer {KEY}"  # the server did see it

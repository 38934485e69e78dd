"""The LLM layer against a scripted fake server: retries, the mode ladder, re-asks, usage.

The fake server tests briefer's own logic; its answers are scripted by these tests, never a model's.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import replace

import pytest
from pydantic import BaseModel, Field

from briefer._config import Settings
from briefer._errors import EndpointError, InvalidOutputError, RefusalError, TruncatedOutputError
from briefer._llm import LLM, ModeMemory, OutputMode
from tests.fake_openai import FakeOpenAI, Reply, completion, error, hang, rate_limited


class Verdict(BaseModel):
    answer: str
    confidence: int = Field(ge=0, le=100)


GOOD = json.dumps({"answer": "yes", "confidence": 90})
MESSAGES = [{"role": "system", "content": "Answer in JSON."}, {"role": "user", "content": "Is it?"}]
REJECT_SCHEMA = error(500, "Input should be 'text' or 'json_object' (loc: body.response_format.type)")


def make_llm(server: FakeOpenAI, memory: ModeMemory | None = None, **overrides: object) -> LLM:
    settings = Settings(base_url=server.base_url, api_key="sk-test", model="fake-model", timeout=5, retry_seconds=20)
    settings = replace(settings, **overrides)
    return LLM(settings, memory=memory or ModeMemory())


def ask(llm: LLM, messages: list[dict[str, str]] | None = None):
    async def once():
        try:
            return await llm.structured(messages or MESSAGES, Verdict, name="verdict")
        finally:
            await llm.aclose()

    return asyncio.run(once())


def test_valid_answer_first_time(fake_openai: FakeOpenAI) -> None:
    fake_openai.push(completion(GOOD, prompt_tokens=40, completion_tokens=7))
    result = ask(make_llm(fake_openai))
    assert result.value == Verdict(answer="yes", confidence=90)
    assert result.mode is OutputMode.JSON_SCHEMA
    assert (result.usage.requests, result.usage.prompt_tokens, result.usage.completion_tokens) == (1, 40, 7)
    sent = fake_openai.requests[0]
    assert sent["response_format"]["type"] == "json_schema"
    assert sent["response_format"]["json_schema"]["schema"]["additionalProperties"] is False
    assert sent["max_tokens"] == 2048


def test_mode_ladder_steps_down_and_remembers(fake_openai: FakeOpenAI) -> None:
    fake_openai.push(REJECT_SCHEMA, completion(GOOD))
    memory = ModeMemory()
    result = ask(make_llm(fake_openai, memory))
    assert result.mode is OutputMode.JSON_OBJECT
    assert fake_openai.requests[1]["response_format"] == {"type": "json_object", "schema": Verdict.model_json_schema()}
    fake_openai.push(completion(GOOD))
    ask(make_llm(fake_openai, memory))  # a new client with the same memory starts where the last one ended
    assert fake_openai.requests[2]["response_format"]["type"] == "json_object"
    assert len(fake_openai.requests) == 3


def test_ladder_reaches_prompt_only_mode(fake_openai: FakeOpenAI) -> None:
    fake_openai.push(REJECT_SCHEMA, error(400, "response_format json_object is not supported"), completion(GOOD))
    result = ask(make_llm(fake_openai))
    assert result.mode is OutputMode.PROMPT
    assert "response_format" not in fake_openai.requests[2]
    # the schema travels once: in response_format while the endpoint enforces it, else in the instructions
    assert all('"confidence"' not in m["content"] for r in fake_openai.requests[:2] for m in r["messages"])
    assert '"confidence"' in fake_openai.requests[2]["messages"][0]["content"]


def test_mode_memory_persists_in_a_file(tmp_path) -> None:
    path = tmp_path / "modes.json"
    ModeMemory(path).remember("http://x/v1", "m", OutputMode.PROMPT)
    assert ModeMemory(path).get("http://x/v1", "m") is OutputMode.PROMPT
    path.write_text("{broken", encoding="utf-8")
    assert ModeMemory(path).get("http://x/v1", "m") is None


def test_429_honours_retry_after(fake_openai: FakeOpenAI) -> None:
    fake_openai.push(rate_limited(1.5), completion(GOOD))
    started = time.monotonic()
    result = ask(make_llm(fake_openai))
    assert time.monotonic() - started >= 1.5
    assert result.usage.requests == 2


def test_500_is_retried(fake_openai: FakeOpenAI) -> None:
    fake_openai.push(error(502, "bad gateway", type_="server_error"), completion(GOOD))
    assert ask(make_llm(fake_openai)).value.answer == "yes"
    assert len(fake_openai.requests) == 2


def test_hang_past_timeout_retries_then_gives_up_within_budget(fake_openai: FakeOpenAI) -> None:
    fake_openai.push(*[hang(5) for _ in range(6)])
    llm = make_llm(fake_openai, timeout=0.5, retry_seconds=3)
    started = time.monotonic()
    with pytest.raises(EndpointError, match="timed out") as caught:
        ask(llm)
    assert time.monotonic() - started < 8
    assert caught.value.usage is not None and caught.value.usage.requests >= 2


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (error(400, "bad request body"), "answered 400"),
        (error(401, "invalid key", type_="invalid_request_error", code="invalid_api_key"), "refused the API key"),
        (error(403, "forbidden"), "denied access"),
        (rate_limited(0, code="insufficient_quota"), "out of quota"),
    ],
    ids=["400", "401", "403", "insufficient_quota"],
)
def test_client_errors_are_not_retried(fake_openai: FakeOpenAI, reply, message: str) -> None:
    fake_openai.push(reply)
    with pytest.raises(EndpointError, match=message):
        ask(make_llm(fake_openai))
    assert len(fake_openai.requests) == 1


def test_invalid_json_is_reasked_with_errors_and_only_the_latest_answer(fake_openai: FakeOpenAI) -> None:
    fake_openai.push(
        completion('{"answer": "yes", "confid'),  # cut off mid-JSON although finish_reason says stop
        completion('{"answer": "yes", "confidence": 300}'),
        completion(GOOD),
    )
    result = ask(make_llm(fake_openai))
    assert result.value.confidence == 90
    assert result.usage.requests == 3
    second, third = fake_openai.requests[1]["messages"], fake_openai.requests[2]["messages"]
    assert len(second) == len(third) == 4  # the conversation does not grow with each re-ask
    assert third[2] == {"role": "assistant", "content": '{"answer": "yes", "confidence": 300}'}
    assert "confidence: Input should be less than or equal to 100" in third[3]["content"]


def test_gives_up_after_two_reasks_with_usage(fake_openai: FakeOpenAI) -> None:
    fake_openai.push(*[completion("not json at all", prompt_tokens=10, completion_tokens=3) for _ in range(3)])
    with pytest.raises(InvalidOutputError, match="after 2 re-asks") as caught:
        ask(make_llm(fake_openai))
    assert caught.value.usage is not None
    assert (caught.value.usage.requests, caught.value.usage.prompt_tokens) == (3, 30)
    assert fake_openai.exhausted_calls == 0


def test_schema_echo_is_caught(fake_openai: FakeOpenAI) -> None:
    fake_openai.push(completion(json.dumps(Verdict.model_json_schema())), completion(GOOD))
    ask(make_llm(fake_openai))
    assert "JSON Schema itself" in fake_openai.requests[1]["messages"][3]["content"]


def test_code_fenced_answer_is_accepted(fake_openai: FakeOpenAI) -> None:
    fake_openai.push(completion(f"Here you go:\n```json\n{GOOD}\n```"))
    assert ask(make_llm(fake_openai)).value.answer == "yes"


def test_truncation_is_its_own_error_and_not_retried(fake_openai: FakeOpenAI) -> None:
    fake_openai.push(completion('{"answer": "ye', finish_reason="length", completion_tokens=2048))
    with pytest.raises(TruncatedOutputError, match="max_tokens=2048") as caught:
        ask(make_llm(fake_openai))
    assert len(fake_openai.requests) == 1
    assert caught.value.usage is not None and caught.value.usage.completion_tokens == 2048


def test_refusal_and_content_filter(fake_openai: FakeOpenAI) -> None:
    fake_openai.push(completion("", refusal="I can't help with that."), completion("", finish_reason="content_filter"))
    with pytest.raises(RefusalError, match="refused"):
        ask(make_llm(fake_openai))
    with pytest.raises(RefusalError, match="content filter"):
        ask(make_llm(fake_openai))
    assert len(fake_openai.requests) == 2


@pytest.mark.parametrize(
    ("reply", "message"),
    [(Reply(body="<html>proxy error</html>"), "not JSON"), (Reply(body={"foo": 1}), "without any choices")],
    ids=["html-body", "no-choices"],
)
def test_malformed_success_is_an_endpoint_error(fake_openai: FakeOpenAI, reply: Reply, message: str) -> None:
    fake_openai.push(reply)
    with pytest.raises(EndpointError, match=message):
        ask(make_llm(fake_openai))


def test_callers_messages_are_not_mutated(fake_openai: FakeOpenAI) -> None:
    fake_openai.push(completion("nope"), completion(GOOD))
    messages = [dict(message) for message in MESSAGES]
    ask(make_llm(fake_openai), messages)
    assert messages == MESSAGES


def test_unreachable_endpoint_is_one_line() -> None:
    settings = Settings(base_url="http://127.0.0.1:9/v1", api_key="k", timeout=1, retry_seconds=1)
    with pytest.raises(EndpointError, match=r"cannot reach http://127.0.0.1:9/v1") as caught:
        asyncio.run(LLM(settings).structured(MESSAGES, Verdict, name="verdict"))
    assert "\n" not in str(caught.value)


def test_a_ready_sync_client_is_accepted(fake_openai: FakeOpenAI) -> None:
    import openai  # noqa: TID251  (the test hands briefer a client of its own, as a user would)

    fake_openai.push(completion(GOOD))
    client = openai.OpenAI(base_url=fake_openai.base_url, api_key="sk-user")
    result = asyncio.run(LLM(Settings(model="fake-model"), client=client).structured(MESSAGES, Verdict, name="v"))
    assert result.value.answer == "yes"
    assert fake_openai.request_headers[0]["authorization"] == "Bearer sk-user"


def test_rate_limits_meter_each_attempt_by_estimated_tokens(fake_openai: FakeOpenAI, monkeypatch) -> None:
    from briefer._llm.limits import Pacer

    reserved: list[float] = []
    original = Pacer.reserve

    def reserve(self: Pacer, units: float = 1.0) -> float:
        reserved.append(units)
        return original(self, units)

    monkeypatch.setattr(Pacer, "reserve", reserve)
    fake_openai.push(rate_limited(0), completion(GOOD))
    ask(make_llm(fake_openai, requests_per_minute=6000, tokens_per_minute=100_000, max_tokens=500))
    # two attempts, each: one request, then its tokens (prompt estimate + max_tokens)
    assert reserved == [1, 507, 1, 507]  # (15 + 6 characters) / 3.2, rounded up, + 500

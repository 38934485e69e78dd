"""The fake OpenAI server itself, driven by plain httpx2 and by the real openai client."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx2
import openai  # noqa: TID251  (checks the fake against the real client; briefer's code still goes through llm/)
import pytest
from openai.types.chat import ChatCompletion  # noqa: TID251

from tests.fake_openai import FakeOpenAI, Reply, completion, error, hang, rate_limited

MESSAGES = [{"role": "user", "content": "Hi"}]


@pytest.fixture
def client(fake_openai: FakeOpenAI) -> Iterator[openai.OpenAI]:
    with openai.OpenAI(base_url=fake_openai.base_url, api_key="x", max_retries=0, timeout=5) as made:
        yield made


def chat(url: str, **body: object) -> httpx2.Response:
    return httpx2.post(f"{url}/chat/completions", json={"model": "m", "messages": MESSAGES, **body}, timeout=5)


def ask(client: openai.OpenAI) -> ChatCompletion:
    return client.chat.completions.create(model="fake-model", messages=MESSAGES)  # type: ignore[arg-type]


def test_completion_parsed_by_openai_client(fake_openai: FakeOpenAI, client: openai.OpenAI) -> None:
    fake_openai.push(completion('{"a": 1}', finish_reason="length", prompt_tokens=12, completion_tokens=3))
    answer = ask(client)
    assert answer.choices[0].message.content == '{"a": 1}'
    assert answer.choices[0].message.refusal is None
    assert answer.choices[0].finish_reason == "length"
    assert answer.usage is not None
    assert (answer.usage.prompt_tokens, answer.usage.completion_tokens, answer.usage.total_tokens) == (12, 3, 15)
    assert answer.model == "fake-model"
    assert fake_openai.requests == [{"model": "fake-model", "messages": MESSAGES}]
    assert fake_openai.request_headers[0]["authorization"] == "Bearer x"
    assert fake_openai.exhausted_calls == 0


def test_refusal_is_passed_through(fake_openai: FakeOpenAI, client: openai.OpenAI) -> None:
    fake_openai.push(completion("", refusal="I can't help with that."))
    answer = ask(client)
    assert answer.choices[0].message.refusal == "I can't help with that."


def test_error_raises_bad_request(fake_openai: FakeOpenAI, client: openai.OpenAI) -> None:
    fake_openai.push(error(400, "bad schema", code="invalid_schema"))
    with pytest.raises(openai.BadRequestError) as caught:
        ask(client)
    assert caught.value.status_code == 400
    assert caught.value.code == "invalid_schema"
    assert caught.value.body == {
        "message": "bad schema",
        "type": "invalid_request_error",
        "param": None,
        "code": "invalid_schema",
    }


def test_rate_limited_sends_retry_after(fake_openai: FakeOpenAI, client: openai.OpenAI) -> None:
    fake_openai.push(rate_limited(2), rate_limited(1.5, code="insufficient_quota"))
    response = chat(fake_openai.base_url)
    assert response.status_code == 429
    assert response.headers["retry-after"] == "2"
    with pytest.raises(openai.RateLimitError) as caught:
        ask(client)
    assert caught.value.response.headers["retry-after"] == "1.5"
    assert caught.value.code == "insufficient_quota"


def test_hang_times_out_and_stop_is_prompt() -> None:
    server = FakeOpenAI([hang(3)]).start()
    with openai.OpenAI(base_url=server.base_url, api_key="x", max_retries=0, timeout=0.5) as client:
        began = time.monotonic()
        with pytest.raises(openai.APITimeoutError):
            ask(client)
        assert 0.4 < time.monotonic() - began < 2
    began = time.monotonic()
    server.stop()
    assert time.monotonic() - began < 1
    with pytest.raises(httpx2.ConnectError):
        chat(server.base_url)


def test_a_hang_does_not_block_other_requests(fake_openai: FakeOpenAI) -> None:
    fake_openai.push(hang(1), completion("quick"))
    with ThreadPoolExecutor(1) as pool:
        slow = pool.submit(chat, fake_openai.base_url, n=1)
        deadline = time.monotonic() + 2
        while not fake_openai.requests and time.monotonic() < deadline:
            time.sleep(0.01)
        began = time.monotonic()
        quick = chat(fake_openai.base_url, n=2)
        assert time.monotonic() - began < 0.5
        assert quick.json()["choices"][0]["message"]["content"] == "quick"
        assert not slow.done()  # still hanging
        assert slow.result(timeout=3).json()["choices"][0]["message"]["content"] == "late answer"
    assert [sent["n"] for sent in fake_openai.requests] == [1, 2]


def test_requests_recorded_in_order_and_exhaustion_counted(fake_openai: FakeOpenAI) -> None:
    fake_openai.push(completion("one"), Reply(status=200, body='{"choices": [tru'))
    assert fake_openai.remaining == 2
    assert chat(fake_openai.base_url, seed=1).json()["choices"][0]["message"]["content"] == "one"
    assert chat(fake_openai.base_url, seed=2).text == '{"choices": [tru'
    exhausted = chat(fake_openai.base_url, seed=3)
    assert exhausted.status_code == 500
    assert exhausted.json()["error"]["message"] == "fake script exhausted"
    assert [sent["seed"] for sent in fake_openai.requests] == [1, 2, 3]
    assert (fake_openai.remaining, fake_openai.exhausted_calls) == (0, 1)


def test_models_and_unknown_paths(fake_openai: FakeOpenAI, client: openai.OpenAI) -> None:
    assert [model.id for model in client.models.list()] == ["fake-model"]
    assert httpx2.get(f"{fake_openai.base_url}/nope", timeout=5).status_code == 404
    assert httpx2.post(f"{fake_openai.base_url}/completions", json={}, timeout=5).status_code == 404
    assert fake_openai.requests == []

"""A scripted, fault-injecting OpenAI-compatible server on 127.0.0.1 for testing briefer's own logic.

Every answer is scripted by a test (a :class:`Reply`): it exercises retries, timeouts and broken output,
and is never presented as a model's output.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

__all__ = ["FakeOpenAI", "Reply", "completion", "error", "fake_openai", "hang", "rate_limited"]

_ids = itertools.count(1)


@dataclass
class Reply:
    """One scripted answer: a dict body is sent as JSON, a str body raw (for broken bodies), None as empty."""

    status: int = 200
    body: dict[str, Any] | str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering (a hang); cut short, unanswered, by stop()


def completion(
    content: str,
    *,
    finish_reason: str = "stop",
    prompt_tokens: int = 100,
    completion_tokens: int = 50,
    model: str = "fake-model",
    refusal: str | None = None,
) -> Reply:
    """A valid ``chat.completion`` answer."""
    message = {"role": "assistant", "content": content, "refusal": refusal}
    return Reply(
        body={
            "id": f"chatcmpl-fake-{next(_ids)}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": model,
            "choices": [{"index": 0, "message": message, "finish_reason": finish_reason, "logprobs": None}],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
            },
        }
    )


def error(
    status: int,
    message: str,
    *,
    code: str | None = None,
    type_: str = "invalid_request_error",
    headers: dict[str, str] | None = None,
) -> Reply:
    """An OpenAI-style error answer."""
    body = {"error": {"message": message, "type": type_, "param": None, "code": code}}
    return Reply(status=status, body=body, headers=dict(headers or {}))


def rate_limited(retry_after: float, *, code: str | None = None) -> Reply:
    """A 429 asking the client to wait ``retry_after`` seconds (``Retry-After: 2`` for 2, ``1.5`` for 1.5)."""
    return error(
        429, "Rate limit reached (fake).", code=code, type_="requests", headers={"Retry-After": f"{retry_after:g}"}
    )


def hang(seconds: float) -> Reply:
    """A valid completion sent only after ``seconds``."""
    reply = completion("late answer")
    reply.delay = seconds
    return reply


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    fake: FakeOpenAI

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Stay quiet: a client that gave up and hung up is an expected event here."""


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        """No request log on stderr."""

    def do_GET(self) -> None:
        if self.path.rstrip("/") == "/v1/models":
            model = {"id": "fake-model", "object": "model", "created": 0, "owned_by": "fake"}
            self._send(Reply(body={"object": "list", "data": [model]}))
        else:
            self._send(error(404, f"no route {self.path}", type_="not_found_error"))

    def do_POST(self) -> None:
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path != "/v1/chat/completions":
            self._send(error(404, f"no route {self.path}", type_="not_found_error"))
            return
        try:
            body = json.loads(raw)
        except ValueError:
            body = {"_unparsed": raw.decode("utf-8", "replace")}
        reply = self.server.fake._take(body, {name.lower(): value for name, value in self.headers.items()})
        if reply.delay and self.server.fake._stopping.wait(reply.delay):
            self.close_connection = True  # stopped while hanging: hang up without an answer
            return
        self._send(reply)

    def _send(self, reply: Reply) -> None:
        payload = json.dumps(reply.body).encode() if isinstance(reply.body, dict) else (reply.body or "").encode()
        headers = {"Content-Type": "application/json", "Content-Length": str(len(payload)), **reply.headers}
        try:
            self.send_response(reply.status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client timed out and went away


class FakeOpenAI:
    """A scripted OpenAI-compatible server on 127.0.0.1 (random free port).

    Each ``POST /v1/chat/completions`` takes the next :class:`Reply` (FIFO); with the script empty it answers
    500 "fake script exhausted" and counts ``exhausted_calls``. ``GET /v1/models`` lists one model.
    """

    def __init__(self, script: Iterable[Reply] = ()) -> None:
        self._script: deque[Reply] = deque(script)
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._port: int | None = None
        self.requests: list[dict[str, Any]] = []
        self.request_headers: list[dict[str, str]] = []
        self.exhausted_calls = 0
        self.responder: Callable[[dict[str, Any]], Reply] | None = None

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>/v1``; still the same after stop() (then connections are refused)."""
        if self._port is None:
            raise RuntimeError("FakeOpenAI was never started")
        return f"http://127.0.0.1:{self._port}/v1"

    @property
    def remaining(self) -> int:
        """Scripted replies not yet taken."""
        with self._lock:
            return len(self._script)

    def push(self, *replies: Reply) -> None:
        with self._lock:
            self._script.extend(replies)

    def _take(self, body: dict[str, Any], headers: dict[str, str]) -> Reply:
        with self._lock:
            self.requests.append(body)
            self.request_headers.append(headers)
            if self._script:
                return self._script.popleft()
            if self.responder is not None:  # answers computed from the request, once the script is used up
                return self.responder(body)
            self.exhausted_calls += 1
        return error(500, "fake script exhausted", type_="server_error")

    def start(self) -> FakeOpenAI:
        if self._server is not None:
            raise RuntimeError("FakeOpenAI is already started")
        self._stopping.clear()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.fake = self
        self._port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-openai", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop at once: hanging handlers wake up and hang up without answering."""
        server, thread, self._server, self._thread = self._server, self._thread, None, None
        if server is None or thread is None:  # never started, or stopped already
            return
        self._stopping.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=1)

    def __enter__(self) -> FakeOpenAI:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


@pytest.fixture
def fake_openai() -> Iterator[FakeOpenAI]:
    """A started :class:`FakeOpenAI` with an empty script, stopped after the test."""
    with FakeOpenAI() as server:
        yield server

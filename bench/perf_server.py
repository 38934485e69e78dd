"""A simulated OpenAI-compatible server for the performance bench (a fake for timing, not a model).

``POST /v1/chat/completions`` waits ``latency`` seconds and answers with bench/perf_answers.py's JSON, as
message content or, when the request carries ``tools`` (instructor's default), as a tool call. With a
requests-per-minute limit it keeps a token bucket (one second's worth of burst) and answers 429 with
``Retry-After`` when empty; with ``announce`` every answer carries ``x-ratelimit-*`` headers. It counts what
arrives: requests, requests in flight at once, 429s, prompt and schema characters.

Control (JSON): ``POST /_config`` {latency, requests_per_minute, announce} (also resets the counters),
``GET /_stats``. Run: ``python -m bench.perf_server`` prints its base URL on stdout.
"""

from __future__ import annotations

import argparse
import json
import math
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from bench.perf_answers import answer_for

__all__ = ["SimulatedServer", "serve"]


class _Bucket:
    """Requests per minute as a token bucket holding one second's worth (at least one request)."""

    def __init__(self, per_minute: float) -> None:
        self.rate = per_minute / 60.0
        self.capacity = max(1.0, self.rate)
        self.tokens = self.capacity
        self.stamp = time.monotonic()

    def take(self) -> float:
        """0 when a request may go now (and takes its token), else the seconds until it may."""
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return 0.0
        return (1.0 - self.tokens) / self.rate


class SimulatedServer(ThreadingHTTPServer):
    """The server and its settings and counters (guarded by one lock)."""

    daemon_threads = True
    request_queue_size = 128

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Quiet: a client that was stopped and hung up is expected here."""

    def __init__(self, address: tuple[str, int]) -> None:
        super().__init__(address, _Handler)
        self.lock = threading.Lock()
        self.configure({})

    def configure(self, config: dict[str, Any]) -> None:
        """New settings; the counters start again from zero."""
        with self.lock:
            self.latency = float(config.get("latency", 0.0))
            self.per_minute = float(config.get("requests_per_minute", 0) or 0)
            self.announce = bool(config.get("announce", False))
            self.bucket = _Bucket(self.per_minute) if self.per_minute else None
            self.stats: dict[str, Any] = {
                "requests": 0,
                "answered": 0,
                "refused_429": 0,
                "in_flight": 0,
                "most_in_flight": 0,
                "prompt_chars": 0,
                "schema_chars": 0,
                "by_schema": {},
                "chars_by_schema": {},
                "timeline": [],  # [kind, started, finished] per answered request, seconds since the first
            }

    def admit(self) -> float:
        """Count a request in; 0 to serve it, else the Retry-After seconds of a 429."""
        with self.lock:
            self.stats["requests"] += 1
            self.stats.setdefault("first_request_at", time.monotonic())
            wait = self.bucket.take() if self.bucket else 0.0
            if wait:
                self.stats["refused_429"] += 1
                return wait
            self.stats["in_flight"] += 1
            self.stats["most_in_flight"] = max(self.stats["most_in_flight"], self.stats["in_flight"])
            return 0.0

    def done(self, prompt_chars: int, schema_chars: int, kind: str = "", started: float = 0.0) -> None:
        with self.lock:
            first = self.stats["first_request_at"]  # admit() set it before any request is done
            self.stats["timeline"].append([kind, started - first, time.monotonic() - first])
            self.stats["by_schema"][kind] = self.stats["by_schema"].get(kind, 0) + 1
            chars = self.stats["chars_by_schema"]
            chars[kind] = chars.get(kind, 0) + prompt_chars + schema_chars
            self.stats["in_flight"] -= 1
            self.stats["answered"] += 1
            self.stats["prompt_chars"] += prompt_chars
            self.stats["schema_chars"] += schema_chars

    def limit_headers(self) -> dict[str, str]:
        if not (self.announce and self.bucket):
            return {}
        with self.lock:
            remaining = max(0, math.floor(self.bucket.tokens))
        return {
            "x-ratelimit-limit-requests": f"{self.per_minute:g}",
            "x-ratelimit-remaining-requests": str(remaining),
            "x-ratelimit-reset-requests": f"{1.0 / self.bucket.rate:.3f}s",
        }


def _schema_and_prompt(body: dict[str, Any]) -> tuple[dict[str, Any], str, int, int]:
    """The output schema asked for, the user messages' text, and the prompt and schema characters sent."""
    messages = body.get("messages", [])
    prompt_chars = sum(len(str(message.get("content") or "")) for message in messages)
    prompt = "\n".join(str(m.get("content") or "") for m in messages if m.get("role") == "user")
    fmt = body.get("response_format") or {}
    tools = body.get("tools") or []
    schema: dict[str, Any] = {}
    if tools:
        schema = tools[0]["function"]["parameters"]
    elif fmt.get("type") == "json_schema":
        schema = fmt["json_schema"]["schema"]
    elif fmt.get("type") == "json_object":
        schema = fmt.get("schema", {})
    schema_chars = len(json.dumps(fmt)) if fmt else len(json.dumps(tools)) if tools else 0
    return schema, prompt, prompt_chars, schema_chars


def _kind(body: dict[str, Any]) -> str:
    """The name the request gives its output (briefer: the prompt's name)."""
    fmt = body.get("response_format") or {}
    tools = body.get("tools") or []
    if tools:
        return str(tools[0]["function"]["name"])
    return str(fmt.get("json_schema", {}).get("name", fmt.get("type", "none")))


def _completion(body: dict[str, Any], answer: str, prompt_chars: int) -> dict[str, Any]:
    tools = body.get("tools") or []
    message: dict[str, Any] = {"role": "assistant", "content": answer, "refusal": None}
    finish = "stop"
    if tools:
        call = {
            "id": "call_sim",
            "type": "function",
            "function": {"name": tools[0]["function"]["name"], "arguments": answer},
        }
        message = {"role": "assistant", "content": None, "refusal": None, "tool_calls": [call]}
        finish = "tool_calls"
    usage = {"prompt_tokens": prompt_chars // 4, "completion_tokens": len(answer) // 4}
    usage["total_tokens"] = usage["prompt_tokens"] + usage["completion_tokens"]
    return {
        "id": "chatcmpl-sim",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": body.get("model", "simulated"),
        "choices": [{"index": 0, "message": message, "finish_reason": finish, "logprobs": None}],
        "usage": usage,
    }


class _Handler(BaseHTTPRequestHandler):
    server: SimulatedServer
    protocol_version = "HTTP/1.1"
    # headers and body go out in two writes: with Nagle's algorithm the body waits for the client's delayed
    # ACK of the headers (~40 ms on Linux), which was most of every "zero-latency" request's time
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""

    def do_GET(self) -> None:
        if self.path == "/_stats":
            with self.server.lock:
                self._send(200, dict(self.server.stats))
        else:
            self._send(404, {"error": {"message": "no such route", "type": "not_found_error"}})

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
        if self.path == "/_config":
            self.server.configure(body)
            self._send(200, {"ok": True})
            return
        schema, prompt, prompt_chars, schema_chars = _schema_and_prompt(body)
        started = time.monotonic()
        wait = self.server.admit()
        if wait:
            error = {"error": {"message": "Rate limit reached (simulated).", "type": "requests", "code": None}}
            self._send(429, error, {"Retry-After": f"{wait:.3f}", **self.server.limit_headers()})
            return
        try:
            if self.server.latency:
                time.sleep(self.server.latency)
            answer = answer_for(schema, prompt)
        finally:
            self.server.done(prompt_chars, schema_chars, _kind(body), started)
        self._send(200, _completion(body, answer, prompt_chars), self.server.limit_headers())

    def _send(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        payload = json.dumps(body).encode()
        self.send_response(status)
        for name, value in {
            "Content-Type": "application/json",
            "Content-Length": str(len(payload)),
            **(headers or {}),
        }.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)


def serve(port: int = 0) -> SimulatedServer:
    """Start the server on 127.0.0.1 in a background thread."""
    server = SimulatedServer(("127.0.0.1", port))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    server = serve(parser.parse_args().port)
    print(f"http://127.0.0.1:{server.server_address[1]}/v1", flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()

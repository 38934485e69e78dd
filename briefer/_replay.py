"""Recorded model responses (vcrpy cassettes): replaying them, and the rules that keep them honest.

A cassette stores request and response bodies as parsed JSON, so a re-recording reads as a diff, and opens
with a comment naming the model and endpoint that produced it. Replay matches requests on their parsed
JSON bodies: a changed prompt, model or parameter fails loudly with a diff instead of replaying an old answer.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from briefer._config import Settings
from briefer._errors import ReplayError

__all__ = [
    "RERECORD_HINT",
    "SERIALIZER_NAME",
    "configure_vcr",
    "explain_miss",
    "match_json_body",
    "recorded_settings",
    "recording",
    "replayed_recording",
    "replaying",
    "scrub_response",
]

SERIALIZER_NAME = "yaml"  # pytest-recording names cassette files after the serializer
RERECORD_HINT = (
    "if the change is intended, re-record with a model running (README, 'Re-recording cassettes'): "
    "pytest -m llm --record-mode=rewrite, or briefer ... --record NEW.yaml"
)
MAX_DIFF_LINES = 60
# the recording being replayed, and the command that re-records it (set by whoever opened the replay)
_REPLAYING: ContextVar[tuple[Path, str] | None] = ContextVar("briefer_replaying", default=None)
FILTERED_REQUEST_HEADERS = ("authorization", "api-key", "x-api-key", "openai-organization", "openai-project", "cookie")
_KEPT_RESPONSE_HEADERS = ("content-type", "retry-after", "retry-after-ms")


def _json_or_none(body: Any) -> Any:
    if isinstance(body, bytes):
        body = body.decode("utf-8", errors="replace")
    if not isinstance(body, str) or not body.strip():
        return None
    try:
        return json.loads(body)
    except ValueError:
        return None


def match_json_body(r1: Any, r2: Any) -> None:
    """vcrpy matcher: request bodies equal as parsed JSON; raises with a readable diff when not."""
    left, right = _json_or_none(r1.body), _json_or_none(r2.body)
    if left is None or right is None:
        assert r1.body == r2.body, "request bodies differ (not JSON)"
        return
    if left == right:
        return
    old, new = _diffable(right), _diffable(left)
    diff = "\n".join(list(difflib.unified_diff(old, new, "recorded", "now", lineterm="", n=1))[:40])
    active = _REPLAYING.get()
    hint = f"if the change is intended, re-record with a model running: {active[1]}" if active else RERECORD_HINT
    raise AssertionError(f"request body differs from the recording:\n{diff}\n{hint}")


def _diffable(body: Any) -> list[str]:
    """Pretty JSON with multi-line strings (prompts) split into lines, so a diff shows the changed line."""

    def split(node: Any) -> Any:
        if isinstance(node, str) and "\n" in node:
            return node.split("\n")
        if isinstance(node, dict):
            return {key: split(value) for key, value in node.items()}
        if isinstance(node, list):
            return [split(item) for item in node]
        return node

    return json.dumps(split(body), indent=1, sort_keys=True, ensure_ascii=False).splitlines()


def scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    """Keep only response headers that matter for replay; cookies and account ids never reach a cassette."""
    headers = response.get("headers") or {}
    response["headers"] = {k: v for k, v in headers.items() if k.lower() in _KEPT_RESPONSE_HEADERS}
    return response


class _Serializer:
    """YAML with JSON bodies stored parsed, and a header naming the model and endpoint."""

    @staticmethod
    def serialize(cassette: dict[str, Any]) -> str:
        interactions = [_readable(interaction) for interaction in cassette.get("interactions", [])]
        header = _provenance(interactions)
        import yaml  # imported where used: a run that replays nothing never loads it

        body = yaml.safe_dump(
            {"version": cassette.get("version", 1), "interactions": interactions},
            sort_keys=False,
            allow_unicode=True,
            width=120,
        )
        return header + body

    @staticmethod
    def deserialize(text: str) -> dict[str, Any]:
        import yaml

        data = yaml.safe_load(text) or {}
        data["interactions"] = [_raw(interaction) for interaction in data.get("interactions", [])]
        return data


def _readable(interaction: dict[str, Any]) -> dict[str, Any]:
    request, response = dict(interaction["request"]), dict(interaction["response"])
    parsed = _json_or_none(request.get("body"))
    if parsed is not None:
        request["body"] = {"json": parsed}
    body = dict(response.get("body") or {})
    parsed = _json_or_none(body.get("string"))
    if parsed is not None:
        response["body"] = {"json": parsed}
    return {"request": request, "response": response}


def _raw(interaction: dict[str, Any]) -> dict[str, Any]:
    request, response = dict(interaction["request"]), dict(interaction["response"])
    if isinstance(request.get("body"), dict) and "json" in request["body"]:
        request["body"] = json.dumps(request["body"]["json"])
    if isinstance(response.get("body"), dict) and "json" in response["body"]:
        response["body"] = {"string": json.dumps(response["body"]["json"])}
    return {"request": request, "response": response}


def _provenance(interactions: list[dict[str, Any]]) -> str:
    models = sorted(
        {
            str(i["request"]["body"]["json"].get("model"))
            for i in interactions
            if isinstance(i["request"].get("body"), dict)
        }
    )
    endpoints = sorted({i["request"]["uri"].rsplit("/chat/completions", 1)[0] for i in interactions})
    stamp = datetime.now(UTC).strftime("%Y-%m-%d")
    return (
        f"# Recorded {stamp} from model {', '.join(models) or '?'} at {', '.join(endpoints) or '?'}.\n"
        "# Real responses, never edited by hand. Re-record instead (README: 'Re-recording cassettes').\n"
    )


def configure_vcr(vcr: Any) -> None:
    """Register briefer's serializer and JSON-body matcher on a vcrpy ``VCR``."""
    vcr.register_serializer(SERIALIZER_NAME, _Serializer)
    vcr.register_matcher("json_body", match_json_body)


def recorded_settings(cassette: Path, base: Settings | None = None) -> Settings:
    """``base`` (default: the defaults) with what reproduces the recorded requests: endpoint, model, max_tokens."""
    import yaml

    try:
        data = _Serializer.deserialize(cassette.read_text(encoding="utf-8"))
        first = data["interactions"][0]["request"]
        body = json.loads(first["body"])
    except FileNotFoundError:
        raise ReplayError(f"no recording at {cassette}") from None
    except (OSError, ValueError, KeyError, IndexError, TypeError, yaml.YAMLError) as exc:
        raise ReplayError(f"{cassette} is not a briefer recording: {exc}") from exc
    return replace(
        base or Settings(),
        api_key="sk-replay",
        base_url=first["uri"].rsplit("/chat/completions", 1)[0],
        model=body["model"],
        max_tokens=body.get("max_tokens", Settings.max_tokens),
        remember_modes=False,  # a remembered mode would skip the recorded step down the ladder
        concurrency=1,  # requests in the recorded order, so each finds the answer recorded for it
    )


def _recorder(record_mode: str) -> Any:
    import vcr

    recorder = vcr.VCR(
        record_mode=record_mode,
        serializer=SERIALIZER_NAME,
        match_on=["method", "scheme", "host", "port", "path", "json_body"],
        filter_headers=list(FILTERED_REQUEST_HEADERS),
        before_record_response=scrub_response,
        decode_compressed_response=True,
    )
    configure_vcr(recorder)
    return recorder


@contextmanager
def recording(cassette: str | Path, *, update: bool = False) -> Iterator[None]:
    """Record every model request and response into a new ``cassette`` (keys and cookies filtered out).

    With ``update``, an existing cassette answers the requests it holds, only the requests it lacks go to the
    model, and interactions this run did not use are removed: a re-recording after a small change pays only
    for what changed, and the result replays exactly this run.
    """
    path = Path(cassette)
    if path.exists() and not update:
        raise ReplayError(f"{path} exists; remove it to record afresh, or update it (--update)")
    if not path.exists():
        with _recorder("all").use_cassette(str(path)):
            yield
        return
    with _recorder("new_episodes").use_cassette(str(path)) as recorded:
        held = len(recorded.data)
        yield
        used = [i for i in range(len(recorded.data)) if i >= held or recorded.play_counts[i]]
    _keep_only(path, used)


def _keep_only(path: Path, indexes: list[int]) -> None:
    """Rewrite a cassette with only the interactions at ``indexes``, in their order."""
    data = _Serializer.deserialize(path.read_text(encoding="utf-8"))
    interactions = data.get("interactions", [])
    data["interactions"] = [interactions[i] for i in indexes if i < len(interactions)]
    path.write_text(_Serializer.serialize(data), encoding="utf-8")


@contextmanager
def replaying(
    cassette: str | Path,
    *,
    settings: Settings | None = None,
    strict: bool = False,
    rerecord: str | None = None,
) -> Iterator[Settings]:
    """Serve model requests from ``cassette`` (no key, no network); yields the Settings to brief with.

    ``settings``: yours, with the recording's endpoint, model and max_tokens put in. ``strict``: a recorded
    response the block never asked for is an error too (a stale recording). ``rerecord``: the command a
    mismatch tells the user to run.
    """
    path = Path(cassette)
    run_settings = recorded_settings(path, settings)
    hint = rerecord or f"with briefer.recording({str(path)!r}, update=True): ... (CLI: --record {path} --update)"
    token = _REPLAYING.set((path, hint))
    try:
        with _recorder("none").use_cassette(str(path)) as played:
            yield run_settings
            unplayed = len(played.data) - played.play_count
    finally:
        _REPLAYING.reset(token)
    if strict and unplayed:
        raise ReplayError(
            f"{path}: {unplayed} recorded response(s) were never asked for: the recording is stale.\nRe-record: {hint}"
        )


def replayed_recording() -> Path | None:
    """The recording being replayed in this context, if any."""
    active = _REPLAYING.get()
    return active[0] if active else None


def explain_miss(miss: Any) -> str:
    """Why the recording has no answer: the request diff against its closest unplayed recorded request."""
    active = _REPLAYING.get()
    path, hint = active if active else (Path(str(getattr(getattr(miss, "cassette", None), "_path", "?"))), "")
    cassette, request = getattr(miss, "cassette", None), getattr(miss, "failed_request", None)
    if cassette is None or request is None:
        return f"{path}: the recording holds no response for this request: {' '.join(str(miss).split())[:300]}"
    now = _json_or_none(request.body)
    unplayed = [stored for i, (stored, _) in enumerate(cassette.data) if not cassette.play_counts[i]]
    lines = [f"{path}: the recording holds no response for this request."]
    if not unplayed:
        lines.append("Every recorded response was already used: this run asks more than was recorded.")
    elif now is not None:
        closest = min(unplayed[:20], key=lambda stored: len(_diff(_json_or_none(stored.body), now)))
        lines.extend(_what_changed(_json_or_none(closest.body), now))
    if hint:
        lines.append(f"If the change is intended, re-record with a model running: {hint}")
    return "\n".join(lines)


def _diff(recorded: Any, now: Any) -> list[str]:
    if recorded is None:
        return ["(the recorded request is not JSON)"]
    return list(difflib.unified_diff(_diffable(recorded), _diffable(now), "recorded", "now", lineterm="", n=1))


def _what_changed(recorded: Any, now: Any) -> list[str]:
    """A line naming what differs (templates, model, parameters), then the diff of the request body."""
    from briefer._prompts import template_of

    named: list[str] = []
    if isinstance(recorded, dict) and isinstance(now, dict):
        old_messages, new_messages = recorded.get("messages") or [], now.get("messages") or []
        for index, message in enumerate(new_messages):
            old = old_messages[index] if index < len(old_messages) else None
            if old == message:
                continue
            template = template_of(str(message.get("content", "")))
            named.append(
                f"prompt template {_shown(template)}" if template else f"message {index} ({message.get('role')})"
            )
        named.extend(
            f"{key}"
            for key in sorted(set(recorded) | set(now))
            if key != "messages" and recorded.get(key) != now.get(key)
        )
    diff = _diff(recorded, now)
    shown = diff[:MAX_DIFF_LINES] + (
        [f"... ({len(diff) - MAX_DIFF_LINES} more diff lines)"] if len(diff) > MAX_DIFF_LINES else []
    )
    return [f"Changed since the recording: {', '.join(named) or 'the request body'}", *shown]


def _shown(template: Path) -> str:
    """A template as ``name/part.j2``, with its full path when it is a user's override."""
    from briefer._prompts import prompts_dir

    short = f"{template.parent.name}/{template.name}"
    shipped = prompts_dir().resolve() in template.resolve().parents
    return short if shipped else f"{short} (override {template})"

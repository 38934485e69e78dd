"""Recordings stay readable and exact: pretty JSON bodies, a provenance header, response text kept to the byte."""

from __future__ import annotations

import json

import yaml

from briefer._replay import SERIALIZER_NAME, configure_vcr

TRICKY = (
    "Quote: \u201cit\u2019s\u00a0done\u201d \u2014 caf\u00e9 \u2028next\ttab  trailing  "
    '\r\nCRLF \U0001f600 \\u0041 "q" '
)


def _serializer() -> object:
    class Recorder:
        def register_serializer(self, name: str, serializer: object) -> None:
            self.serializer = serializer

        def register_matcher(self, name: str, matcher: object) -> None:
            pass

    recorder = Recorder()
    configure_vcr(recorder)
    return recorder.serializer


def test_response_text_survives_a_recording_exactly() -> None:
    body = json.dumps({"choices": [{"message": {"content": TRICKY}}], "usage": {"prompt_tokens": 3}})
    cassette = {
        "version": 1,
        "interactions": [
            {
                "request": {
                    "uri": "http://127.0.0.1:8765/v1/chat/completions",
                    "method": "POST",
                    "body": json.dumps({"model": "m", "messages": [{"role": "user", "content": "line 1\nline 2"}]}),
                    "headers": {},
                },
                "response": {"status": {"code": 200, "message": "OK"}, "headers": {}, "body": {"string": body}},
            }
        ],
    }
    serializer = _serializer()
    text = serializer.serialize(cassette)  # type: ignore[attr-defined]
    assert text.startswith("# Recorded ")
    assert "from model m at http://127.0.0.1:8765/v1." in text.splitlines()[0]
    stored = yaml.safe_load(text)["interactions"][0]
    assert stored["request"]["body"]["json"]["messages"][0]["content"] == "line 1\nline 2"  # readable, parsed
    back = serializer.deserialize(text)["interactions"][0]  # type: ignore[attr-defined]
    assert json.loads(back["response"]["body"]["string"]) == json.loads(body)
    assert json.loads(back["response"]["body"]["string"])["choices"][0]["message"]["content"] == TRICKY
    assert SERIALIZER_NAME == "yaml"

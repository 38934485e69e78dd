"""The output-mode ladder, and the memory of which mode works for which endpoint and model.

strict ``json_schema`` → ``json_object`` carrying the schema (the form llama.cpp's server enforces as a
grammar) → JSON asked for by instruction only. An endpoint that rejects a mode sends us one rung down;
whatever the mode, the answer is validated locally, because many servers accept a mode and ignore it.
"""

from __future__ import annotations

import json
import threading
from enum import StrEnum
from pathlib import Path
from typing import Any

from briefer._llm.schema import OutputSchema

__all__ = ["LADDER", "ModeMemory", "OutputMode", "is_mode_rejection", "response_format"]


class OutputMode(StrEnum):
    """How the model is told to answer in JSON."""

    JSON_SCHEMA = "json_schema"
    JSON_OBJECT = "json_object"
    PROMPT = "prompt"


LADDER = (OutputMode.JSON_SCHEMA, OutputMode.JSON_OBJECT, OutputMode.PROMPT)

_REJECTION_HINTS = ("response_format", "json_schema", "json_object", "schema")


def response_format(mode: OutputMode, name: str, schemas: OutputSchema) -> dict[str, Any] | None:
    """The ``response_format`` request field for ``mode`` (None: leave it out)."""
    if mode is OutputMode.JSON_SCHEMA:
        return {"type": "json_schema", "json_schema": {"name": name, "schema": schemas.strict, "strict": True}}
    if mode is OutputMode.JSON_OBJECT:
        return {"type": "json_object", "schema": schemas.schema}
    return None


def is_mode_rejection(status: int, body: str) -> bool:
    """True when an error answer says the endpoint does not support the requested output mode."""
    # llama.cpp's Python server answers 500 to an unknown response_format type; others use 400 or 422.
    return status in {400, 422, 500} and any(hint in body for hint in _REJECTION_HINTS)


class ModeMemory:
    """Which output mode last worked per endpoint and model, optionally kept in a JSON file."""

    def __init__(self, path: Path | None = None) -> None:
        self._path = path
        self._lock = threading.Lock()
        self._modes: dict[str, str] = self._load()

    def get(self, endpoint: str, model: str) -> OutputMode | None:
        """The mode remembered for this endpoint and model, if any."""
        value = self._modes.get(f"{endpoint}|{model}")
        return OutputMode(value) if value in {mode.value for mode in OutputMode} else None

    def remember(self, endpoint: str, model: str, mode: OutputMode) -> None:
        """Remember ``mode`` as the one that works."""
        key = f"{endpoint}|{model}"
        with self._lock:
            if self._modes.get(key) == mode.value:
                return
            self._modes[key] = mode.value
            self._save()

    def _load(self) -> dict[str, str]:
        if self._path is None or not self._path.exists():
            return {}
        try:
            data = json.loads(self._path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}  # a damaged memory only costs one step down the ladder again
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}

    def _save(self) -> None:
        if self._path is None:
            return
        try:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self._path.with_suffix(".tmp")
            tmp.write_text(json.dumps(self._modes, indent=1, sort_keys=True), encoding="utf-8")
            tmp.replace(self._path)
        except OSError:
            pass  # remembering is an optimisation; a read-only cache dir must not fail a briefing

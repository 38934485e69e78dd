"""The model's answer to "are these two articles about the same event?" (prompts/same_event)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["MAX_REASON_CHARS", "SameEventAnswer"]

MAX_REASON_CHARS = 300


class SameEventAnswer(BaseModel):
    """A verdict on one pair of articles, with the reason first so the verdict follows from it."""

    model_config = ConfigDict(extra="forbid")

    reason: str = Field(max_length=MAX_REASON_CHARS, description="what decides it: when, where, who, figures")
    same_event: bool = Field(description="true only when both articles report the very same event")

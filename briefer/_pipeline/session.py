"""A session of prompts sent to one model: renders a prompt, asks for its output model, sums the usage."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel

from briefer._errors import LLMError
from briefer._llm import LLM, OutputMode
from briefer._models import Usage
from briefer._prompts import load_prompt

__all__ = ["Session"]

T = TypeVar("T", bound=BaseModel)


@dataclass
class Session:
    """Every request of one job, so its usage and output modes can be reported together."""

    llm: LLM
    usage: Usage = field(default_factory=Usage)
    modes: list[OutputMode] = field(default_factory=list)

    async def ask(self, prompt_name: str, output_type: type[T], **variables: Any) -> T:
        """Render ``prompts/<prompt_name>`` and return the validated answer."""
        messages = load_prompt(prompt_name).messages(**variables)
        try:
            answer = await self.llm.structured(messages, output_type, name=prompt_name)
        except LLMError as exc:
            self.usage = self.usage + (exc.usage or Usage())
            exc.usage = self.usage  # the caller sees the whole job's spend, not one call's
            raise
        self.usage = self.usage + answer.usage
        self.modes.append(answer.mode)
        return answer.value

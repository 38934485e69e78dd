"""The only package that imports ``openai``: structured answers from any OpenAI-compatible endpoint."""

from briefer._llm.client import LLM, MAX_REASKS, Structured
from briefer._llm.modes import LADDER, ModeMemory, OutputMode

__all__ = ["LADDER", "LLM", "MAX_REASKS", "ModeMemory", "OutputMode", "Structured"]

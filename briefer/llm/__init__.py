"""The only package that imports ``openai``: structured answers from any OpenAI-compatible endpoint."""

from briefer.llm.client import LLM, MAX_REASKS, Structured
from briefer.llm.modes import LADDER, ModeMemory, OutputMode

__all__ = ["LADDER", "LLM", "MAX_REASKS", "ModeMemory", "OutputMode", "Structured"]

"""Pydantic models: what the model is asked to write (drafts) and what briefer publishes."""

from briefer._models.article import *  # noqa: F403
from briefer._models.article import (
    MAX_ACTORS,
    MAX_CLAIMS,
    MAX_EVIDENCE_SENTENCES,
    MAX_QUESTIONS,
    MAX_SUMMARY_SENTENCES,
    MIN_CLAIMS,
)
from briefer._models.article import __all__ as _article_all
from briefer._models.morning import *  # noqa: F403
from briefer._models.morning import __all__ as _morning_all

__all__ = [  # noqa: PLE0604
    *_article_all,
    *_morning_all,
    "MAX_ACTORS",
    "MAX_CLAIMS",
    "MAX_EVIDENCE_SENTENCES",
    "MAX_QUESTIONS",
    "MAX_SUMMARY_SENTENCES",
    "MIN_CLAIMS",
]

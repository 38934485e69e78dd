"""The versions cached results are stored under: hashes of the prompts' sources and of the checks' version.

Kept apart from the pipeline's code so that a rerun, which finds everything cached, reads them without
importing (or compiling) what would make the results again.
"""

from __future__ import annotations

import hashlib

from briefer._checks_version import CHECKS_VERSION
from briefer._prompts import load_prompt

__all__ = ["PROMPTS", "morning_version", "pipeline_version"]

PROMPTS = (
    "brief_article",
    "restate_claims",
    "revise_claims",
    "revise_headline",
    "merge_chunks",
)  # the single-article prompts


def pipeline_version() -> str:
    """One version for every prompt this pipeline uses: change any template and cached results expire."""
    versions = "+".join(f"{name}@{load_prompt(name).version}" for name in PROMPTS) + f"+checks@{CHECKS_VERSION}"
    return hashlib.sha256(versions.encode()).hexdigest()[:12]


def morning_version() -> str:
    """One version over the article pipeline's prompts and the story prompt."""
    combined = f"{pipeline_version()}+synthesize_story@{load_prompt('synthesize_story').version}"
    return hashlib.sha256(combined.encode()).hexdigest()[:12]

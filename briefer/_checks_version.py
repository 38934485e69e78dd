"""The version of the checks a claim must pass, apart from the checks themselves.

A rerun only needs the versions of what made its cached results, not the code that checks claims, so the
version lives here where the pipeline reads it without importing the checks (see ``_pipeline.versions``).
"""

from __future__ import annotations

__all__ = ["CHECKS_VERSION"]

# Part of every cached briefing's version: bump it when a check changes what gets published.
CHECKS_VERSION = "4"

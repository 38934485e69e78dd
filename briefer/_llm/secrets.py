"""Keeping the API key out of every message briefer shows: an error body may echo the request's headers."""

from __future__ import annotations

import re

__all__ = ["REDACTED", "scrub_secrets"]

REDACTED = "[redacted]"
MIN_SECRET_LENGTH = 4  # shorter "keys" (a placeholder such as "k") would blank out ordinary words
# whatever follows "Bearer" is a credential, whoever's it is
_BEARER = re.compile(r"(?i)\b(bearer)(\s+)[^\s\"',;}\]]+")


def scrub_secrets(text: str, *secrets: str | None) -> str:
    """``text`` with each secret, and any token after ``Bearer``, replaced by ``[redacted]``."""
    for secret in secrets:
        if secret and len(secret) >= MIN_SECRET_LENGTH:
            text = text.replace(secret, REDACTED)
    return _BEARER.sub(rf"\1\2{REDACTED}", text)

"""briefer's own request and token rate limits (aiolimiter leaky buckets), applied before every attempt."""

from __future__ import annotations

import math
from typing import Any

__all__ = ["RateLimits"]

_CHARS_PER_TOKEN = 3.2  # the same deliberately high estimate as briefer.chunking


class RateLimits:
    """Requests and tokens per minute; a limit of 0 is no limit."""

    def __init__(self, requests_per_minute: int = 0, tokens_per_minute: int = 0) -> None:
        from aiolimiter import AsyncLimiter

        self._requests = AsyncLimiter(requests_per_minute, 60) if requests_per_minute else None
        self._tokens = AsyncLimiter(tokens_per_minute, 60) if tokens_per_minute else None
        self._token_capacity = tokens_per_minute

    async def wait(self, request: dict[str, Any]) -> None:
        """Wait until ``request`` fits under both limits."""
        if self._requests is not None:
            await self._requests.acquire()
        if self._tokens is not None:
            chars = sum(len(str(message.get("content", ""))) for message in request["messages"])
            tokens = math.ceil(chars / _CHARS_PER_TOKEN) + int(request.get("max_tokens", 0))
            # a request larger than a minute's budget can never fit; let it through alone, not forever wait
            await self._tokens.acquire(min(tokens, self._token_capacity))

"""How many requests go out, and how fast: one slot pool for requests in flight, and pacers for rate limits.

A pacer spaces requests evenly (one every ``60 / per_minute`` seconds, never a minute's budget at once). Its rate
is the lowest of the one configured, the one the provider announces in its ``x-ratelimit-limit-*`` headers, and
one learnt from 429s: a refusal halves the rate and pauses everyone for the server's ``Retry-After``; every
answer after that wins a little back, until the learnt limit is no longer needed.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from collections.abc import Mapping
from typing import Any

__all__ = ["Pacer", "RateLimits", "Slots", "request_tokens"]

_CHARS_PER_TOKEN = 3.2  # the same deliberately high estimate as briefer._chunking
_RECOVERY = 1.05  # each answer after a 429 raises the learnt rate by this factor
_MOST_YIELDS = 64  # a bound on let_waiting_in's turns, should a waiter never get to take its slot
_LEARNT_FLOOR = 1.0  # per minute: a learnt limit never pauses a run for more than a minute per request


class Slots:
    """Requests in flight, at most ``size`` at once; the size may grow or shrink while requests wait."""

    def __init__(self, size: int) -> None:
        self.size = max(1, size)
        self.in_flight = 0
        self.most_in_flight = 0
        self.waiting = 0
        self._freed: asyncio.Condition | None = None  # made inside the running loop, on first use

    def _condition(self) -> asyncio.Condition:
        if self._freed is None:
            self._freed = asyncio.Condition()
        return self._freed

    async def __aenter__(self) -> Slots:
        freed = self._condition()
        self.waiting += 1
        try:
            async with freed:
                await freed.wait_for(lambda: self.in_flight < self.size)
                self.in_flight += 1
                self.most_in_flight = max(self.most_in_flight, self.in_flight)
        finally:
            self.waiting -= 1
        return self

    async def __aexit__(self, *exc: object) -> None:
        freed = self._condition()
        async with freed:
            self.in_flight -= 1
            freed.notify()

    async def let_waiting_in(self) -> None:
        """Yield until the requests waiting for a slot have taken the free ones.

        A finished request's caller goes on to check the answer, tens of milliseconds of CPU in the event loop's
        one thread; the requests queued behind it go out first, so the server is not left with idle slots.
        """
        for _ in range(_MOST_YIELDS):
            if not self.waiting or self.in_flight >= self.size:
                return
            await asyncio.sleep(0)

    async def resize(self, size: int) -> None:
        """Allow ``size`` requests in flight from now on."""
        freed = self._condition()
        async with freed:
            self.size = max(1, size)
            freed.notify_all()


class Pacer:
    """Units (requests or tokens) per minute, spent evenly; a limit of 0 (or None) is no limit."""

    def __init__(self, configured: float = 0) -> None:
        self.configured = configured or None
        self.announced: float | None = None
        self.learnt: float | None = None
        self._next = 0.0  # monotonic time from which the next unit may go
        self._paused_until = 0.0
        self._cut_at = -1.0  # when a 429 last cut the rate: refusals of requests sent before it cut nothing more

    @property
    def per_minute(self) -> float | None:
        """The rate in force: the lowest known limit, None for no limit."""
        limits = [rate for rate in (self.configured, self.announced, self.learnt) if rate]
        return min(limits) if limits else None

    def reserve(self, units: float = 1.0) -> float:
        """Book ``units`` and return the seconds to wait before sending them."""
        now = time.monotonic()
        start = max(now, self._paused_until)
        rate = self.per_minute
        if rate is None:
            return start - now
        start = max(start, self._next)
        # a request larger than a minute's budget goes alone after a minute, not never
        self._next = start + min(units, rate) * 60.0 / rate
        return start - now

    def announce(self, limit: float | None) -> None:
        """The provider's own limit, as its headers state it."""
        if limit and limit > 0 and limit != self.announced:
            self.announced = limit
            # requests sent before the limit was known were not paced by it: their 429s cut nothing
            self._cut_at = max(self._cut_at, time.monotonic())

    def refused(self, retry_after: float | None, units_sent_per_minute: float, *, sent_at: float = 0.0) -> None:
        """A 429: pause everyone for ``retry_after`` and halve the rate (of what was sent, if no limit is known).

        A burst refused at once halves the rate once: a request sent before the last cut cuts nothing more.
        """
        now = time.monotonic()
        if retry_after:
            self._paused_until = max(self._paused_until, now + retry_after)
        base = self.per_minute or units_sent_per_minute
        if base and sent_at > self._cut_at:
            self.learnt = max(_LEARNT_FLOOR, base / 2)
            self._cut_at = now

    def answered(self) -> None:
        """An answer: win back some of what a 429 took, and drop the learnt limit once it binds no more."""
        if self.learnt is None:
            return
        self.learnt *= _RECOVERY
        others = [rate for rate in (self.configured, self.announced) if rate]
        if others and self.learnt >= min(others):
            self.learnt = None


class RateLimits:
    """The requests and tokens pacers of one endpoint, fed by its answers' headers and 429s."""

    def __init__(self, requests_per_minute: int = 0, tokens_per_minute: int = 0) -> None:
        self.requests = Pacer(requests_per_minute)
        self.tokens = Pacer(tokens_per_minute)
        self._sent: deque[tuple[float, float]] = deque()  # (time, tokens) of recent sends, for the rate before a 429

    async def wait(self, request: dict[str, Any]) -> float:
        """Wait until ``request`` fits under both limits; the time it may go (to tell a later 429 about)."""
        tokens = request_tokens(request)
        delay = max(self.requests.reserve(1.0), self.tokens.reserve(tokens))
        if delay > 0:
            await asyncio.sleep(delay)
        now = time.monotonic()
        while self._sent and now - self._sent[0][0] >= 60.0:  # sends are in time order: the oldest go first
            self._sent.popleft()
        self._sent.append((now, tokens))
        return now

    def observe(self, headers: Mapping[str, str] | None) -> bool:
        """Read the provider's announced limits; True when it announced any."""
        if not headers:
            return False
        requests = _number(headers.get("x-ratelimit-limit-requests"))
        tokens = _number(headers.get("x-ratelimit-limit-tokens"))
        self.requests.announce(requests)
        self.tokens.announce(tokens)
        return bool(requests or tokens)

    def refused(self, retry_after: float | None, *, sent_at: float = 0.0) -> None:
        """A 429 answer to a request sent at ``sent_at``: both pacers slow down."""
        window = max(1.0, time.monotonic() - self._sent[0][0]) if self._sent else 60.0
        per_minute = 60.0 / window
        self.requests.refused(retry_after, len(self._sent) * per_minute, sent_at=sent_at)
        self.tokens.refused(None, sum(tokens for _, tokens in self._sent) * per_minute, sent_at=sent_at)

    def answered(self) -> None:
        """A successful answer."""
        self.requests.answered()
        self.tokens.answered()


def request_tokens(request: dict[str, Any]) -> int:
    """A high estimate of the tokens a request spends: its messages and its completion budget."""
    chars = sum(len(str(message.get("content", ""))) for message in request["messages"])
    return math.ceil(chars / _CHARS_PER_TOKEN) + int(request.get("max_tokens", 0))


def _number(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None

"""Running a run's independent jobs together, at most so many under way at once, results in order."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

__all__ = ["bounded_gather"]

T = TypeVar("T")


async def bounded_gather(jobs: Sequence[Callable[[], Awaitable[T]]], limit: int) -> list[T]:
    """Run ``jobs`` with at most ``limit`` under way at once, started in order; results in order.

    Each job is started only when its turn comes, so a run stopped early leaves no coroutine never awaited.
    """
    gate = asyncio.Semaphore(max(1, limit))

    async def gated(job: Callable[[], Awaitable[T]]) -> T:
        async with gate:
            return await job()

    return list(await asyncio.gather(*(gated(job) for job in jobs)))

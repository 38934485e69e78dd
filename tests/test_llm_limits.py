"""The LLM's pacing and slots: even spacing, announced and learnt limits, resizing (no clock assertions)."""

from __future__ import annotations

import asyncio
import itertools
import time

from briefer._llm.limits import Pacer, RateLimits, Slots, request_tokens


def test_a_pacer_spaces_units_evenly_instead_of_a_minutes_burst() -> None:
    pacer = Pacer(120)  # two a second
    waits = [pacer.reserve() for _ in range(5)]
    gaps = [b - a for a, b in itertools.pairwise(waits)]
    assert waits[0] < 0.01
    assert all(abs(gap - 0.5) < 0.01 for gap in gaps)


def test_no_limit_means_no_wait() -> None:
    pacer = Pacer(0)
    assert all(pacer.reserve() <= 0 for _ in range(100))


def test_a_request_larger_than_a_minutes_budget_waits_a_minute_not_forever() -> None:
    pacer = Pacer(300)
    pacer.reserve(10_000)
    assert 59 < pacer.reserve(1) < 61


def test_announced_limits_come_from_the_headers_and_the_lowest_wins() -> None:
    limits = RateLimits(requests_per_minute=600)
    assert limits.observe({"x-ratelimit-limit-requests": "120", "x-ratelimit-limit-tokens": "40000"})
    assert limits.requests.per_minute == 120
    assert limits.tokens.per_minute == 40000
    assert not limits.observe({"content-type": "application/json"})
    assert not limits.observe({"x-ratelimit-limit-requests": "soon"})


def test_a_429_halves_the_rate_and_answers_win_it_back() -> None:
    pacer = Pacer(0)
    pacer.announce(100)
    pacer.refused(None, units_sent_per_minute=0, sent_at=time.monotonic())
    assert pacer.per_minute == 50
    pacer.refused(None, units_sent_per_minute=0, sent_at=0.0)  # sent before the cut: the same burst
    assert pacer.per_minute == 50
    for _ in range(100):
        pacer.answered()
    assert pacer.learnt is None
    assert pacer.per_minute == 100


def test_with_no_known_limit_a_429_limits_to_half_what_was_sent() -> None:
    pacer = Pacer(0)
    pacer.refused(2.0, units_sent_per_minute=400, sent_at=time.monotonic())
    assert pacer.per_minute == 200
    assert pacer.reserve() > 1.5  # everyone waits out the Retry-After


def test_request_tokens_counts_messages_and_the_completion_budget() -> None:
    request = {"messages": [{"role": "user", "content": "x" * 32}], "max_tokens": 100}
    assert request_tokens(request) == 110


def test_slots_bound_what_is_in_flight_and_can_grow() -> None:
    async def scenario() -> tuple[int, int]:
        slots = Slots(2)

        async def job() -> None:
            async with slots:
                await asyncio.sleep(0.01)

        await asyncio.gather(*(job() for _ in range(10)))
        first = slots.most_in_flight
        await slots.resize(5)
        await asyncio.gather(*(job() for _ in range(10)))
        return first, slots.most_in_flight

    first, grown = asyncio.run(scenario())
    assert first == 2
    assert grown == 5


def test_a_freed_slot_goes_to_a_waiting_request_before_the_finished_one_checks_its_answer() -> None:
    async def scenario() -> list[str]:
        slots = Slots(2)
        events: list[str] = []

        async def finished(name: str) -> None:
            async with slots:
                await asyncio.sleep(0.01)
            await slots.let_waiting_in()
            events.append(f"{name} checks")

        async def waiting(name: str) -> None:
            await asyncio.sleep(0.001)  # queued behind the two in flight
            async with slots:
                events.append(f"{name} sent")

        await asyncio.gather(finished("a"), finished("b"), waiting("c"), waiting("d"))
        return events

    events = asyncio.run(scenario())
    assert events.index("c sent") < events.index("a checks")
    assert events.index("d sent") < events.index("b checks")


def test_letting_waiting_requests_in_returns_at_once_when_none_wait() -> None:
    async def scenario() -> int:
        slots = Slots(1)
        async with slots:
            pass
        await slots.let_waiting_in()
        return slots.waiting

    assert asyncio.run(scenario()) == 0


def test_refusals_of_a_burst_sent_before_the_limit_was_announced_cut_nothing() -> None:
    pacer = Pacer(0)
    sent = time.monotonic()
    pacer.announce(120)
    pacer.refused(0.5, units_sent_per_minute=1000, sent_at=sent)
    assert pacer.per_minute == 120  # paced at the announced limit from now on, not half of it

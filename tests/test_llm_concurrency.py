"""Requests in flight, rate limits and reruns, counted by the bench's simulated server (ratios, no absolute times)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bench.perf_corpus import write_corpus
from bench.perf_server import SimulatedServer, serve
from briefer._api import morning
from briefer._config import Settings


@pytest.fixture
def server() -> Iterator[SimulatedServer]:
    simulated = serve()
    yield simulated
    simulated.shutdown()
    simulated.server_close()


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "news"
    write_corpus(folder, 12, seed=3)
    return folder


def _run(server: SimulatedServer, corpus: Path, state: Path, **settings: Any) -> tuple[Any, dict[str, Any], float]:
    """One morning run against the server, its counters started from zero."""
    with server.lock:
        config = {"latency": server.latency, "requests_per_minute": server.per_minute, "announce": server.announce}
    server.configure(config)
    base_url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    options = {"api_key": "k", "model": "simulated", "remember_modes": False, **settings}
    started = time.perf_counter()
    briefing = morning([str(corpus)], settings=Settings(base_url=base_url, **options), since="3650d", state=state)
    seconds = time.perf_counter() - started
    with server.lock:
        stats = dict(server.stats)
    return briefing, stats, seconds


@pytest.mark.parametrize("concurrency", [1, 3])
def test_requests_in_flight_never_exceed_concurrency(
    server: SimulatedServer, corpus: Path, tmp_path: Path, concurrency: int
) -> None:
    server.configure({"latency": 0.05})
    briefing, stats, _ = _run(server, corpus, tmp_path / "state.db", concurrency=concurrency)
    assert briefing.summary.failed == 0
    assert stats["requests"] > 12  # briefings, then story syntheses
    assert stats["most_in_flight"] == concurrency  # never above the bound, and the bound is used


def test_a_rate_limit_costs_no_article(server: SimulatedServer, corpus: Path, tmp_path: Path) -> None:
    # the server allows 5 a second and says so; 16 at once would otherwise be refused again and again
    server.configure({"requests_per_minute": 300, "announce": True})
    briefing, stats, _ = _run(server, corpus, tmp_path / "state.db", concurrency=16)
    assert briefing.summary.failed == 0
    assert len(briefing.articles) == 12
    assert stats["refused_429"] < stats["answered"] / 2  # refusals are learnt from, not repeated


def test_concurrency_divides_the_wait_for_a_slow_server(server: SimulatedServer, corpus: Path, tmp_path: Path) -> None:
    server.configure({"latency": 0.25})
    _, one, alone = _run(server, corpus, tmp_path / "one.db", concurrency=1)
    _, many, together = _run(server, corpus, tmp_path / "many.db", concurrency=8)
    assert one["answered"] == many["answered"]
    assert together < alone / 2.5


def test_a_rerun_asks_nothing_and_takes_a_fraction_of_the_first(
    server: SimulatedServer, corpus: Path, tmp_path: Path
) -> None:
    server.configure({"latency": 0.05})
    state = tmp_path / "state.db"
    first, _, first_seconds = _run(server, corpus, state, concurrency=2)
    again, stats, rerun_seconds = _run(server, corpus, state, concurrency=2)
    assert stats["requests"] == 0
    assert again.summary.articles_cached == len(first.articles)
    assert [story.headline for story in again.stories] == [story.headline for story in first.stories]
    assert rerun_seconds < first_seconds / 4

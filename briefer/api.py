"""The Python API: ``brief`` and its async twin ``abrief``."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from briefer.config import Settings, cache_dir, database_path, prices_path, resolve_settings
from briefer.costs import load_prices
from briefer.errors import ConfigError, InputError
from briefer.ingest import FetchPolicy, load_article
from briefer.llm import LLM, ModeMemory
from briefer.models import Article, Briefing, MorningBriefing
from briefer.pipeline.article import brief_article
from briefer.pipeline.progress import NO_PROGRESS, Progress

__all__ = ["abrief", "amorning", "brief", "morning", "plan_sources"]


def brief(
    article: str | Article | os.PathLike[str],
    *,
    model: str | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    client: Any | None = None,
    settings: Settings | None = None,
    config_file: str | os.PathLike[str] | None = None,
) -> Briefing:
    """Brief one article: text (``str``), an ``Article``, or a path. ``client`` may be a ready openai client."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        pass
    else:
        raise RuntimeError("brief() was called inside a running event loop: await abrief() instead")
    return asyncio.run(
        abrief(
            article,
            model=model,
            base_url=base_url,
            api_key=api_key,
            client=client,
            settings=settings,
            config_file=config_file,
        )
    )


async def abrief(
    article: str | Article | os.PathLike[str],
    *,
    model: str | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    client: Any | None = None,
    settings: Settings | None = None,
    config_file: str | os.PathLike[str] | None = None,
) -> Briefing:
    """Async twin of ``brief``."""
    if settings is None:
        config = Path(config_file) if config_file is not None else None
        settings = resolve_settings(config, model=model, base_url=base_url, api_key=api_key)
    llm = LLM(settings, client=client, memory=mode_memory(settings))
    try:
        return await brief_article(as_article(article, FetchPolicy.from_settings(settings)), llm)
    finally:
        await llm.aclose()


def as_article(article: str | Article | os.PathLike[str], policy: FetchPolicy | None = None) -> Article:
    """An Article from text, a path, or an Article."""
    if isinstance(article, Article):
        return article
    if isinstance(article, os.PathLike):
        return load_article(os.fspath(article), policy=policy)
    return Article(text=article)


def mode_memory(settings: Settings) -> ModeMemory:
    """Where the working output mode per endpoint and model is remembered."""
    return ModeMemory(cache_dir() / "output-modes.json" if settings.remember_modes else None)


def morning(sources: Sequence[str | os.PathLike[str]], **options: Any) -> MorningBriefing:
    """The morning briefing of ``sources`` (files, folders, URLs, feeds, OPML, a sources.toml); see ``amorning``."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        pass
    else:
        raise RuntimeError("morning() was called inside a running event loop: await amorning() instead")
    return asyncio.run(amorning(sources, **options))


async def amorning(
    sources: Sequence[str | os.PathLike[str]],
    *,
    since: str | None = None,
    model: str | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    client: Any | None = None,
    settings: Settings | None = None,
    config_file: str | os.PathLike[str] | None = None,
    state: str | os.PathLike[str] | None = None,
    max_articles: int | None = None,
    max_cost: float | None = None,
    progress: Progress = NO_PROGRESS,
) -> MorningBriefing:
    """Async twin of ``morning``. ``since``: "24h", "2d", an ISO date; default: since the last run."""
    from briefer.ingest import collect, parse_since
    from briefer.pipeline.morning import MorningOptions, run_morning, sources_key
    from briefer.state_file import open_store, run_lock

    if settings is None:
        config = Path(config_file) if config_file is not None else None
        settings = resolve_settings(config, model=model, base_url=base_url, api_key=api_key)
    plan = plan_sources([os.fspath(source) for source in sources])
    since = since or plan.since
    prices = load_prices(prices_path())
    if max_cost is not None and prices.price(settings.model) is None:
        raise ConfigError(f"cannot keep to --max-cost: no price for model {settings.model!r} in {prices_path()}")
    llm = LLM(settings, client=client, memory=mode_memory(settings))
    key = sources_key(plan.sources)
    path = Path(state) if state is not None else database_path()
    # one run at a time per state file: a second one waits, then finds the first's briefings cached
    async with run_lock(path):
        with open_store(path) as store:
            last = store.last_finished_run(key)
            start = parse_since(since, now=datetime.now(UTC)) if since else (last.started_at if last else None)
            options = MorningOptions(
                since=start,
                only_unseen=since is None and last is not None,
                max_articles=max_articles,
                max_cost=max_cost,
                prices=prices,
            )
            run_id = store.start_run(key, start)
            try:
                progress.stage("reading sources", 0)
                collected = await collect(
                    plan.sources,
                    since=start,
                    policy=FetchPolicy.from_settings(settings),
                    concurrency=max(8, settings.concurrency),
                    on_article=lambda: progress.advance("reading sources"),
                )
                briefing = await run_morning(collected, llm, store, run_id, key, options, progress)
            except (KeyboardInterrupt, asyncio.CancelledError):
                store.finish_run(run_id, status="interrupted", briefing=None)
                raise
            except BaseException:
                store.finish_run(run_id, status="failed", briefing=None)
                raise
            finally:
                await llm.aclose()
            store.finish_run(run_id, status="finished", briefing=briefing)
    return briefing


@dataclass(frozen=True)
class SourcePlan:
    """The sources of a run once any sources.toml is read, and what those files ask for."""

    sources: list[str]
    since: str | None = None
    recording: Path | None = None


def plan_sources(sources: Sequence[str]) -> SourcePlan:
    """Expand sources.toml files into their sources (and their since / recording settings)."""
    from briefer.ingest import read_sources_file

    expanded: list[str] = []
    since: str | None = None
    recording: Path | None = None
    for source in sources:
        if source.endswith(".toml"):
            listed = read_sources_file(Path(source))
            expanded.extend(listed.sources)
            since = since or listed.since
            recording = recording or listed.recording
        else:
            expanded.append(source)
    if not expanded:
        raise InputError("no sources given: name files, folders, URLs, feeds, OPML files or a sources.toml")
    return SourcePlan(sources=expanded, since=since, recording=recording)

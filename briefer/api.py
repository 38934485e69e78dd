"""The Python API: ``brief`` and its async twin ``abrief``."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

from briefer.config import Settings, cache_dir, resolve_settings
from briefer.ingest import load_article
from briefer.llm import LLM, ModeMemory
from briefer.models import Article, Briefing
from briefer.pipeline.article import brief_article

__all__ = ["abrief", "brief"]


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
    return await brief_article(as_article(article), llm)


def as_article(article: str | Article | os.PathLike[str]) -> Article:
    """An Article from text, a path, or an Article."""
    if isinstance(article, Article):
        return article
    if isinstance(article, os.PathLike):
        return load_article(os.fspath(article))
    return Article(text=article)


def mode_memory(settings: Settings) -> ModeMemory:
    """Where the working output mode per endpoint and model is remembered."""
    return ModeMemory(cache_dir() / "output-modes.json" if settings.remember_modes else None)

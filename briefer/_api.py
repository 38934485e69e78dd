"""The Python API: ``brief`` and ``morning``, and their async twins ``abrief`` and ``amorning``."""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import AsyncIterator, Coroutine, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from briefer._config import Settings, cache_dir, database_path, prices_path, resolve_settings
from briefer._costs import load_prices
from briefer._errors import BrieferError, ConfigError, InputError
from briefer._ingest import FetchPolicy, load_article
from briefer._llm import LLM, ModeMemory
from briefer._models import Article, Briefing, MorningBriefing
from briefer._pipeline.progress import NO_PROGRESS, Progress

if TYPE_CHECKING:
    import openai  # noqa: TID251  (types only: the client a caller may pass)

    Client = openai.OpenAI | openai.AsyncOpenAI

__all__ = ["abrief", "amorning", "brief", "morning", "plan_sources"]

log = logging.getLogger("briefer")
T = TypeVar("T")
PathArg = str | os.PathLike[str]


def brief(
    article: str | Article | os.PathLike[str],
    *,
    model: str | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    client: Client | None = None,
    settings: Settings | None = None,
    config_file: PathArg | None = None,
    prompts: PathArg | None = None,
) -> Briefing:
    """Brief one article: its text (``str``), an ``Article``, or a path (``pathlib.Path``); see ``abrief``."""
    return _run(
        abrief(
            article,
            model=model,
            base_url=base_url,
            api_key=api_key,
            client=client,
            settings=settings,
            config_file=config_file,
            prompts=prompts,
        ),
        "brief() was called inside a running event loop: await abrief() instead",
    )


async def abrief(
    article: str | Article | os.PathLike[str],
    *,
    model: str | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    client: Client | None = None,
    settings: Settings | None = None,
    config_file: PathArg | None = None,
    prompts: PathArg | None = None,
) -> Briefing:
    """Brief one article. ``client``: a ready ``openai.OpenAI`` or ``AsyncOpenAI``; ``settings`` replaces
    model, base_url, api_key and config_file; ``prompts``: a folder of templates overriding the shipped ones.
    """
    settings = _settings(settings, config_file, model=model, base_url=base_url, api_key=api_key)
    async with _model(settings, client, prompts) as llm:
        from briefer._pipeline.article import brief_article

        return await brief_article(as_article(article, FetchPolicy.from_settings(settings)), llm)


def morning(
    sources: Sequence[PathArg],
    *,
    since: str | None = None,
    model: str | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    client: Client | None = None,
    settings: Settings | None = None,
    config_file: PathArg | None = None,
    state: PathArg | None = None,
    max_articles: int | None = None,
    max_cost: float | None = None,
    prompts: PathArg | None = None,
    out_dir: PathArg | None = None,
    progress: Progress = NO_PROGRESS,
) -> MorningBriefing:
    """The morning briefing of ``sources`` (files, folders, URLs, feeds, OPML, a sources.toml); see ``amorning``."""
    return _run(
        amorning(
            sources,
            since=since,
            model=model,
            base_url=base_url,
            api_key=api_key,
            client=client,
            settings=settings,
            config_file=config_file,
            state=state,
            max_articles=max_articles,
            max_cost=max_cost,
            prompts=prompts,
            out_dir=out_dir,
            progress=progress,
        ),
        "morning() was called inside a running event loop: await amorning() instead",
    )


async def amorning(
    sources: Sequence[PathArg],
    *,
    since: str | None = None,
    model: str | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    client: Client | None = None,
    settings: Settings | None = None,
    config_file: PathArg | None = None,
    state: PathArg | None = None,
    max_articles: int | None = None,
    max_cost: float | None = None,
    prompts: PathArg | None = None,
    out_dir: PathArg | None = None,
    progress: Progress = NO_PROGRESS,
) -> MorningBriefing:
    """The morning briefing. ``since``: "24h", "2d", an ISO date (default: the sources file's, else since the
    last run). With no endpoint configured, a sources.toml's ``recording`` is replayed. ``out_dir``: also write
    the .md, .html and .json renders there (``write_morning``). ``state``: the SQLite state file.
    """
    from briefer._render.files import output_folder, write_morning

    settings = _settings(settings, config_file, model=model, base_url=base_url, api_key=api_key)
    plan = plan_sources([os.fspath(source) for source in sources])
    if out_dir is not None:
        output_folder(out_dir)  # checked before anything is paid for
    if client is None and settings.api_key is None and settings.base_url is None and plan.recording:
        briefing = await _replay_sources_file(plan, settings, since, state, max_articles, max_cost, prompts, progress)
    else:
        run = _MorningRun(plan, settings, client, since, state, max_articles, max_cost, prompts, progress)
        briefing = await run.run()
    if out_dir is not None:
        log.info("wrote %s", ", ".join(str(path) for path in write_morning(briefing, out_dir)))
    return briefing


def as_article(article: str | Article | os.PathLike[str], policy: FetchPolicy | None = None) -> Article:
    """An Article from text, a path, or an Article; text is read as a file with its contents would be."""
    if isinstance(article, Article):
        return article
    if isinstance(article, os.PathLike):
        return load_article(os.fspath(article), policy=policy)
    from briefer._ingest.article import article_from_bytes

    # the same title (a first line set apart) and HTML detection as for a file or stdin: a recording made
    # with `briefer brief FILE` then replays for briefer.brief(FILE's text)
    return article_from_bytes(article.encode("utf-8"), "the text given", None)


def mode_memory(settings: Settings) -> ModeMemory:
    """Where the working output mode per endpoint and model is remembered."""
    return ModeMemory(cache_dir() / "output-modes.json" if settings.remember_modes else None)


def _run(work: Coroutine[Any, Any, T], inside_loop: str) -> T:
    """Run ``work`` to completion from synchronous code (refused inside a running event loop)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return run_to_completion(work)
    work.close()
    raise RuntimeError(inside_loop)


def run_to_completion(work: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run(work)``, with the result kept outside the task.

    On leaving, ``asyncio.run`` looks up its SIGINT handler, whose failed enum lookup formats the main task and
    with it the task's result: the repr of a 1,000-article briefing takes 0.38 s, and it was made twice.
    """
    kept: list[T] = []

    async def keep() -> None:
        kept.append(await work)

    asyncio.run(keep())
    return kept[0]


def _settings(settings: Settings | None, config_file: PathArg | None, **arguments: str | None) -> Settings:
    if settings is not None:
        return settings
    return resolve_settings(Path(config_file) if config_file is not None else None, **arguments)


@asynccontextmanager
async def _model(settings: Settings, client: Client | None, prompts: PathArg | None) -> AsyncIterator[LLM]:
    """The model to ask, with the prompt overrides in force; under replay it names the recording, not an address."""
    from briefer._prompts import prompt_overrides
    from briefer._replay import replayed_recording

    with prompt_overrides(prompts if prompts is not None else settings.prompts):
        llm = LLM(settings, client=client, memory=mode_memory(settings))
        recording = replayed_recording()
        if recording is not None:
            llm.endpoint = f"recording {recording.name}"
        try:
            yield llm
        finally:
            await llm.aclose()


async def _replay_sources_file(
    plan: SourcePlan,
    settings: Settings,
    since: str | None,
    state: PathArg | None,
    max_articles: int | None,
    max_cost: float | None,
    prompts: PathArg | None,
    progress: Progress,
) -> MorningBriefing:
    """No endpoint configured: the run is answered by the recording the sources file names."""
    from briefer._replay import replaying

    assert plan.recording is not None
    log.warning("no base_url, api_key, OPENAI_BASE_URL or OPENAI_API_KEY set; replaying %s", plan.recording)
    with replaying(plan.recording, settings=settings) as recorded:
        run = _MorningRun(plan, recorded, None, since, state, max_articles, max_cost, prompts, progress)
        return await run.run()


@dataclass(frozen=True)
class _MorningRun:
    """One morning run's inputs, once settings and sources are resolved."""

    plan: SourcePlan
    settings: Settings
    client: Client | None
    since: str | None
    state: PathArg | None
    max_articles: int | None
    max_cost: float | None
    prompts: PathArg | None
    progress: Progress

    async def run(self) -> MorningBriefing:
        """Collect the sources, brief what is new, write the run to the state file."""
        from briefer._ingest import parse_since
        from briefer._pipeline.morning import MorningOptions, sources_key
        from briefer._state_file import open_store, run_lock

        prices = load_prices(prices_path())
        if self.max_cost is not None and prices.price(self.settings.model) is None:
            raise ConfigError(f"cannot keep to max_cost: no price for model {self.settings.model!r} in {prices_path()}")
        since = self.since or self.plan.since
        key = sources_key(self.plan.sources)
        path = Path(self.state) if self.state is not None else database_path()
        # one run at a time per state file: a second one waits, then finds the first's briefings cached
        async with run_lock(path), _model(self.settings, self.client, self.prompts) as llm:
            with open_store(path) as store:
                last = store.last_finished_run(key)
                start = parse_since(since, now=datetime.now(UTC)) if since else (last.started_at if last else None)
                options = MorningOptions(
                    since=start,
                    only_unseen=since is None and last is not None,
                    max_articles=self.max_articles,
                    max_cost=self.max_cost,
                    prices=prices,
                )
                return await self._tracked(store, llm, key, options)

    async def _tracked(self, store: Any, llm: LLM, key: str, options: Any) -> MorningBriefing:
        """The run between its start and finish records in the state file."""
        from briefer._ingest import collect
        from briefer._pipeline.morning import run_morning

        run_id = store.start_run(key, options.since)
        try:
            self.progress.stage("reading sources", 0)
            collected = await collect(
                self.plan.sources,
                since=options.since,
                policy=FetchPolicy.from_settings(self.settings),
                concurrency=max(8, self.settings.concurrency),
                on_article=lambda: self.progress.advance("reading sources"),
            )
            briefing = await run_morning(collected, llm, store, run_id, key, options, self.progress)
        except (KeyboardInterrupt, asyncio.CancelledError):
            store.finish_run(run_id, status="interrupted", briefing=None)
            raise
        except BaseException:
            store.finish_run(run_id, status="failed", briefing=None)
            raise
        store.finish_run(run_id, status="finished", briefing=briefing)
        self._forget_old(store)
        return briefing

    def _forget_old(self, store: Any) -> None:
        """Trim the state file to the last ``keep_days``; a failure costs a warning, never the finished run."""
        if not self.settings.keep_days:
            return
        try:
            deleted = store.forget(before=datetime.now(UTC) - timedelta(days=self.settings.keep_days))
        except BrieferError as exc:
            log.warning("could not trim the state file: %s", exc)
            return
        if any(deleted.values()):
            log.info("state file: forgot %s", ", ".join(f"{n} {table}" for table, n in deleted.items() if n))


@dataclass(frozen=True)
class SourcePlan:
    """The sources of a run once any sources.toml is read, and what those files ask for."""

    sources: list[str]
    since: str | None = None
    recording: Path | None = None


def plan_sources(sources: Sequence[str]) -> SourcePlan:
    """Expand sources.toml files into their sources (and their since / recording settings)."""
    from briefer._ingest import read_sources_file

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

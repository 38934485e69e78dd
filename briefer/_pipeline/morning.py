"""The morning briefing: collect → dedupe → brief every article → group into stories → synthesise → rank.

Each finished article briefing and story synthesis is committed to the state store as soon as it exists,
so an interrupted run loses nothing it finished, and a rerun over the same inputs asks the model nothing.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from pydantic import ValidationError

from briefer._config import DEFAULT_CONCURRENCY
from briefer._costs import PriceTable
from briefer._errors import EndpointError, InputError, InvalidOutputError, LLMError
from briefer._grouping import StoryItem
from briefer._ingest import Collected
from briefer._llm import LLM
from briefer._models import (
    Article,
    ArticleEntry,
    Briefing,
    DraftStory,
    FailedSource,
    HeadlineSummary,
    MorningBriefing,
    PastMorning,
    RunSummary,
    Story,
    Usage,
)
from briefer._pipeline.jobs import bounded_gather
from briefer._pipeline.ledger import Ledger
from briefer._pipeline.progress import NO_PROGRESS, Progress
from briefer._pipeline.ranking import parse_published, rank
from briefer._pipeline.reuse import PreviousStories, duplicate_groups, grouping_key, grouping_of, groups_of
from briefer._pipeline.same_event import PairContext, ask_questions, plan_second_look, settled_groups
from briefer._pipeline.session import Session
from briefer._pipeline.story import StoryArticle, single_article_story, story_key, story_sources
from briefer._pipeline.versions import morning_version, pipeline_version
from briefer._store import Store

if TYPE_CHECKING:
    from briefer._pipeline.prose import GroundedProse

__all__ = ["MorningOptions", "MorningRun", "bounded_gather", "run_morning", "sources_key"]


@dataclass(frozen=True)
class MorningOptions:
    """What bounds a morning run."""

    since: datetime | None = None
    only_unseen: bool = False  # skip articles an earlier run already saw (the default "since the last run")
    max_articles: int | None = None
    max_cost: float | None = None
    prices: PriceTable = field(default_factory=lambda: PriceTable({}))


def sources_key(sources: Sequence[str]) -> str:
    """The identity of a reader's source list, for 'since the last run' and history."""
    return hashlib.sha256("\n".join(sorted(sources)).encode()).hexdigest()[:16]


@dataclass
class _Tally:
    """Spend and counts of one run."""

    usage: Usage = field(default_factory=Usage)
    cached: int = 0
    skipped: int = 0
    failures: list[FailedSource] = field(default_factory=list)


class MorningRun:
    """One morning run: its store, model, options, tally and progress, from collected articles to the briefing."""

    def __init__(
        self,
        llm: LLM,
        store: Store,
        *,
        key: str,
        run_id: int,
        options: MorningOptions,
        progress: Progress = NO_PROGRESS,
    ) -> None:
        self.llm = llm
        self.store = store
        self.key = key
        self.run_id = run_id
        self.options = options
        self.progress = progress
        self.tally = _Tally()
        self.ledger = Ledger(store, key, self.tally.failures)
        self.previous = PreviousStories(None, version="", model="")

    async def brief(self, collected: Collected) -> MorningBriefing:
        """Turn collected articles into a ranked, grounded morning briefing."""
        started = time.monotonic()
        self.tally.failures += collected.failures
        articles = self._fresh(collected.articles)
        entries, duplicates = _deduplicate(articles, self.store)
        entries = self._limit(entries)
        members = await self._brief_all(entries)
        self._check_something_briefed(collected, entries, members)
        previous = self.store.previous_morning(self.key, before_run=self.run_id)
        self.previous = PreviousStories(previous, version=morning_version(), model=self.llm.model)
        stories = await self._stories(members)
        stories = _mark_new(stories, members, previous)
        ranked = rank(stories, {m.entry.id: m for m in members}, newest=_newest(members))
        return self._briefing(collected, members, ranked, duplicates, time.monotonic() - started)

    def _briefing(
        self, collected: Collected, members: list[StoryArticle], ranked: list[Story], duplicates: int, seconds: float
    ) -> MorningBriefing:
        tally, options = self.tally, self.options
        summary = RunSummary(
            sources=collected.sources,
            articles_new=len(members) - tally.cached,
            articles_cached=tally.cached,
            duplicates=duplicates,
            failed=len(tally.failures),
            skipped=tally.skipped + getattr(collected, "skipped_old", 0),
            stories=len(ranked),
            llm_calls=tally.usage.requests,
            prompt_tokens=tally.usage.prompt_tokens,
            completion_tokens=tally.usage.completion_tokens,
            estimated_cost_usd=options.prices.cost(self.llm.model, tally.usage),
            seconds=round(seconds, 2),
        )
        return MorningBriefing(
            generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
            since=options.since.isoformat(timespec="seconds") if options.since else None,
            model=self.llm.model,
            endpoint=self.llm.endpoint,
            prompt_version=morning_version(),
            stories=ranked,
            articles=[m.entry for m in members],
            failed_sources=tally.failures,
            summary=summary,
        )

    def _fresh(self, articles: Sequence[Article]) -> list[Article]:
        """Record every article; keep those the run should brief, and add those earlier runs still owe."""
        sightings = [(article, article.source.url or article.source.path or "stdin") for article in articles]
        self.store.record_articles(sightings, run_id=self.run_id)
        fresh = []
        for article in articles:
            seen = self.options.only_unseen and self.store.seen_before(article.content_hash, before_run=self.run_id)
            if not seen or self.ledger.owes(article):
                fresh.append(article)
        self.ledger.list_final_failures(articles)
        return fresh + self.ledger.owed(articles)

    def _limit(self, entries: list[tuple[Article, list[Article]]]) -> list[tuple[Article, list[Article]]]:
        """Newest first; at most max_articles (the rest are left for the next run)."""
        most = self.options.max_articles
        ordered = sorted(entries, key=lambda pair: pair[0].source.published or "", reverse=True)
        if most is not None and len(ordered) > most:
            self.tally.skipped += len(ordered) - most
            for article, _copies in ordered[most:]:
                self.ledger.defer(article, f"left for the next run by --max-articles {most}")
            ordered = ordered[:most]
        return ordered

    async def _brief_all(self, entries: list[tuple[Article, list[Article]]]) -> list[StoryArticle]:
        """Brief every article (cached ones cost nothing); failures are reported and the run goes on."""
        version = pipeline_version()
        self.progress.stage("briefing", len(entries))

        async def one(index: int, article: Article, copies: list[Article]) -> StoryArticle | None:
            briefing = await self._briefing_of(article, version)
            self.progress.advance("briefing")
            if briefing is None:
                return None
            entry = ArticleEntry(
                id=f"A{index}",
                content_hash=article.content_hash,
                source=article.source,
                also_published_by=[copy.source for copy in copies],
                briefing=briefing,
            )
            return StoryArticle(entry=entry, article=article)

        jobs = [functools.partial(one, i, a, c) for i, (a, c) in enumerate(entries, start=1)]
        done = await bounded_gather(jobs, self._jobs())
        return [member for member in done if member is not None]

    def _jobs(self) -> int:
        """Jobs under way at once: one keeps requests in the recorded order; otherwise enough to fill every slot."""
        slots = self.llm.slots.size
        return 1 if slots == 1 and self.llm.settings.concurrency_chosen else 2 * max(slots, DEFAULT_CONCURRENCY)

    async def _briefing_of(self, article: Article, version: str) -> Briefing | None:
        llm, tally, ledger = self.llm, self.tally, self.ledger
        cached = self.store.get_briefing(article.content_hash, version, llm.model)
        if cached is not None:
            tally.cached += 1
            ledger.briefed(article)
            return cached
        if ledger.failed_for_good(article):
            return None
        if self._over_budget():
            tally.skipped += 1
            ledger.defer(article, f"left for the next run by --max-cost {self.options.max_cost:g}")
            return None
        from briefer._pipeline.article import brief_article  # the checks' imports: only when briefing

        try:
            briefing = await brief_article(article, llm, version=version)
        except LLMError as exc:
            tally.usage = tally.usage + (exc.usage or Usage())
            ledger.failed(article, exc)
            return None
        tally.usage = tally.usage + briefing.generation.usage
        self.store.put_briefing(article.content_hash, version, llm.model, briefing)
        ledger.briefed(article)
        return briefing

    def _check_something_briefed(
        self, collected: Collected, entries: list[tuple[Article, list[Article]]], members: list[StoryArticle]
    ) -> None:
        """A run that read nothing, or briefed nothing of what it read, fails with the reasons (not "0 stories")."""
        if members or self.tally.skipped:
            return
        if not entries and not collected.articles and collected.failures and not collected.skipped_old:
            raise InputError(f"no source could be read: {_reasons(collected.failures)}")
        failed = self.tally.failures[len(collected.failures) :]
        if entries and failed:
            errors = self.ledger.errors
            kind = EndpointError if any(isinstance(e, EndpointError) for e in errors) else InvalidOutputError
            raise kind(f"no article could be briefed ({len(entries)} tried): {_reasons(failed)}")

    def _over_budget(self) -> bool:
        """True when the next article would take the run past --max-cost (checked before spending)."""
        options, model = self.options, self.llm.model
        if options.max_cost is None:
            return False
        spent = options.prices.cost(model, self.tally.usage) or 0.0
        per_article = options.prices.cost(model, Usage(requests=1, prompt_tokens=3000, completion_tokens=1500)) or 0.0
        return spent + per_article > options.max_cost

    async def _stories(self, members: list[StoryArticle]) -> list[Story]:
        """Group the briefed articles into stories and synthesise each story of several articles, in group order.

        Grouping needs every briefing (their headlines, summaries, actors and speakers, weighed against the whole
        batch), so it waits for the last one. A story whose group no pending second-look answer can change is
        synthesised while the questions are out (unless requests must keep the recorded order).
        """
        items = [
            StoryItem(
                title=m.entry.briefing.headline if not m.article.source.title else m.article.source.title,
                text=m.article.text,
                published=_published(m),
                briefing=m.entry.briefing,
            )
            for m in members
        ]
        key = grouping_key(items, members, version=pipeline_version())
        grouping = grouping_of(items, self.store, key=key)
        contexts = [PairContext(m.entry.content_hash, m.outlets[0], m.entry.source.published or "") for m in members]
        questions = plan_second_look(
            grouping, contexts, self.llm, self.store, can_spend=lambda: not self._over_budget()
        )
        early = settled_groups(grouping, questions) if questions.asked and self._jobs() > 1 else []
        look, early_stories = await asyncio.gather(
            ask_questions(questions, grouping, contexts, self.llm, self.store, jobs=self._jobs()),
            self._synthesise(members, early),
        )
        self.tally.usage = self.tally.usage + look.usage
        groups = groups_of(grouping, look.verdicts, self.store, key=key)
        # the grouping's features and pair scores (tens of MB for a thousand articles) are not needed while
        # the remaining stories are synthesised
        del grouping, items, questions, contexts, look
        self.progress.stage("synthesis", len(groups))
        if early:
            self.progress.advance("synthesis", len(early))
        made = dict(zip(map(tuple, early), early_stories, strict=True))
        rest = [group for group in groups if tuple(group) not in made]
        made.update(zip(map(tuple, rest), await self._synthesise(members, rest, report=True), strict=True))
        return [made[tuple(group)] for group in groups]

    async def _synthesise(
        self, members: list[StoryArticle], groups: list[list[int]], report: bool = False
    ) -> list[Story]:
        """The stories of ``groups``, in their order (``report``: each one finished advances the progress bar)."""
        version = morning_version()

        async def one(group: list[int]) -> Story:
            story = await self._story([members[i] for i in group], version)
            if report:
                self.progress.advance("synthesis")
            return story

        return await bounded_gather([functools.partial(one, group) for group in groups], self._jobs())

    async def _story(self, members: list[StoryArticle], version: str) -> Story:
        unchanged = self.previous.find(members)
        if unchanged is not None:
            return unchanged  # checked by the run that published it, against these very texts
        if len(members) == 1:
            return single_article_story(members[0])
        # synthesis and its checks are imported only for a story that is not reused as it was
        from briefer._pipeline.prose import GroundedProse
        from briefer._pipeline.synthesis import build_story, synthesize_story, with_prose

        key, model = story_key(members), self.llm.model
        cached = self.store.get_synthesis(key, version, model)
        if cached is not None:
            try:
                draft = DraftStory.model_validate(cached["draft"])
                return with_prose(build_story(members, draft), GroundedProse(**cached["prose"]))
            except (ValidationError, KeyError, TypeError):
                pass  # cached under an older format: synthesise again
        session = Session(self.llm)
        try:
            draft = await synthesize_story(session, members)
            checked = build_story(members, draft)
            prose = await _story_prose(session, members, draft, checked)
        except LLMError as exc:
            self.tally.usage = self.tally.usage + (exc.usage or Usage())
            story = f"story of {', '.join(m.entry.id for m in members)}"
            self.tally.failures.append(FailedSource(source=story, error=str(exc)))
            return _fallback_story(members)
        self.tally.usage = self.tally.usage + session.usage
        self.store.put_synthesis(key, version, model, {"draft": draft.model_dump(mode="json"), "prose": vars(prose)})
        return with_prose(checked, prose)


async def run_morning(
    collected: Collected,
    llm: LLM,
    store: Store,
    run_id: int,
    key: str,
    options: MorningOptions,
    progress: Progress = NO_PROGRESS,
) -> MorningBriefing:
    """Turn collected articles into a ranked, grounded morning briefing (a MorningRun of its own)."""
    run = MorningRun(llm, store, key=key, run_id=run_id, options=options, progress=progress)
    return await run.brief(collected)


def _deduplicate(articles: list[Article], store: Store) -> tuple[list[tuple[Article, list[Article]]], int]:
    """Originals with the copies of them other outlets ran; and how many copies there were."""
    copies: dict[int, list[int]] = {}
    dropped: set[int] = set()
    for group in duplicate_groups(articles, store):
        copies[group.original] = group.duplicates
        dropped.update(group.duplicates)
    kept = [(articles[i], [articles[j] for j in copies.get(i, [])]) for i in range(len(articles)) if i not in dropped]
    return kept, len(dropped)


def _reasons(failures: list[FailedSource], shown: int = 3) -> str:
    listed = "; ".join(f"{f.source}: {f.error}" for f in failures[:shown])
    return listed + (f"; and {len(failures) - shown} more" if len(failures) > shown else "")


async def _story_prose(
    session: Session, members: list[StoryArticle], draft: DraftStory, checked: Story
) -> GroundedProse:
    """The story's headline and account held to its articles (one re-ask, then text built from its claims)."""
    from briefer._pipeline.prose import ground_prose

    return await ground_prose(
        session,
        HeadlineSummary(headline=draft.headline, summary=draft.what_happened),
        sources=story_sources(members),
        title=members[0].article.source.title,
        facts=[claim.statement for claim in checked.claims],
    )


def _fallback_story(members: list[StoryArticle]) -> Story:
    """When synthesis fails, the story still stands on its lead article's grounded briefing."""
    lead = single_article_story(members[0])
    outlets = list(dict.fromkeys(o for m in members for o in m.outlets))
    return lead.model_copy(update={"articles": [m.entry.id for m in members], "outlets": outlets})


def _published(member: StoryArticle) -> datetime | None:
    return parse_published(member.entry.source.published)


def _newest(members: list[StoryArticle]) -> datetime | None:
    dates = [d for d in (_published(m) for m in members) if d is not None]
    return max(dates) if dates else None


def _mark_new(stories: list[Story], members: list[StoryArticle], previous: PastMorning | None) -> list[Story]:
    """A story is new unless one of its articles already appeared in the previous briefing."""
    if previous is None:
        return stories
    seen = {entry.content_hash for entry in previous.articles}
    hashes = {m.entry.id: m.entry.content_hash for m in members}
    return [
        story.model_copy(update={"new_since_previous": not any(hashes[a] in seen for a in story.articles)})
        for story in stories
    ]

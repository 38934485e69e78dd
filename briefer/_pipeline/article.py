"""One article to one checked briefing: number sentences → draft per chunk → merge → check → re-ask → drop."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from briefer._chunking import Chunk, estimate_tokens, split_article
from briefer._errors import InputError
from briefer._grounding import Problem, assess_claim, drop, merge_duplicates, reassess_elsewhere
from briefer._llm import LLM
from briefer._models import (
    MAX_ACTORS,
    MAX_CLAIMS,
    MAX_QUESTIONS,
    MIN_CLAIMS,
    Actor,
    Article,
    Briefing,
    DraftBriefing,
    DroppedClaim,
    DropReason,
    Generation,
    GroundingReport,
    HeadlineSummary,
    KeyClaim,
    OpenQuestion,
    SpeakerCheck,
)
from briefer._pipeline.prose import ground_actors, ground_prose
from briefer._pipeline.repair import ChunkProblems, repair_claims
from briefer._pipeline.session import Session
from briefer._pipeline.versions import PROMPTS, pipeline_version
from briefer._prompts import load_prompt
from briefer._prose import reuses_wording
from briefer._sentences import Sentence, numbered, split_sentences

__all__ = ["PROMPTS", "brief_article", "pipeline_version"]

_MARGIN = 0.9  # keep a tenth of the context free: the token estimate is only an estimate


@dataclass
class _Run(Session):
    """A briefing run: the session's requests, and the article they are about."""

    article: Article = field(default_factory=lambda: Article(text=""))

    @property
    def outlet(self) -> str | None:
        """The outlet, which speaks the article's own assertions."""
        return self.article.source.outlet


@dataclass
class _Checked:
    """Claims after the checks: published, and set aside with their reasons."""

    published: list[KeyClaim] = field(default_factory=list)
    dropped: list[DroppedClaim] = field(default_factory=list)
    passed_first_time: int = 0


async def brief_article(article: Article, llm: LLM, *, version: str | None = None) -> Briefing:
    """Brief one article; every key claim in the result rests on sentences that say what it says.

    ``version``: the run's ``pipeline_version()`` when the caller has it (it stats every prompt file).
    """
    if not article.text.strip() or not split_sentences(article.text):
        raise InputError("the article holds no text")
    started = time.monotonic()
    run = _Run(llm=llm, article=article)
    chunks = split_article(article.text, _article_budget(llm, article))
    # the LLM's slots bound the requests in flight; chunks are asked in order, so replays find theirs
    drafts = await asyncio.gather(
        *(run.ask("brief_article", DraftBriefing, **_variables(article, chunk, len(chunks))) for chunk in chunks)
    )
    draft_prose = await _headline_and_summary(run, drafts)
    checked = await _check_claims(run, chunks, drafts)
    facts = [claim.statement for claim in checked.published]
    sources = [article.text, article.source.title or ""]
    prose = await ground_prose(run, draft_prose, sources=sources, title=article.source.title, facts=facts)
    actors, actor_notes = ground_actors(_merge_actors(drafts), sources)
    return Briefing(
        headline=prose.headline,
        summary=prose.summary,
        key_claims=checked.published,
        actors=actors,
        open_questions=_merge_questions(drafts),
        source=article.source,
        generation=Generation(
            model=llm.model,
            endpoint=llm.endpoint,
            prompt_name="brief_article",
            prompt_version=version or pipeline_version(),
            output_mode=str(run.modes[0]) if run.modes else "",
            chunks=len(chunks),
            usage=run.usage,
            seconds=round(time.monotonic() - started, 2),
        ),
        grounding=report(checked, prose.fallbacks, prose.problems + actor_notes),
    )


def report(checked: _Checked, fallbacks: list[str], problems: list[str]) -> GroundingReport:
    """The briefing's account of what was proposed, published and dropped, and why."""
    published = checked.published
    return GroundingReport(
        proposed=len(published) + len(checked.dropped),
        published=len(published),
        passed_first_time=checked.passed_first_time,
        repaired=sum(claim.repaired for claim in published),
        relocated=sum(claim.claimed_sentences is not None for claim in published),
        reused_wording=sum(reuses_wording(claim.statement, claim.evidence) for claim in published),
        dropped=len(checked.dropped),
        dropped_by_reason=dict(Counter(claim.kind for claim in checked.dropped)),
        speaker_corrections=sum(claim.speaker_check is SpeakerCheck.CORRECTED for claim in published),
        prose_fallbacks=fallbacks,
        prose_problems=problems,
        dropped_claims=checked.dropped,
    )


def _article_budget(llm: LLM, article: Article) -> int:
    """Tokens left for article text once instructions and the answer are accounted for."""
    empty = load_prompt("brief_article").messages(**_variables(article, Chunk(0, 0, ""), 2))
    overhead = sum(estimate_tokens(message["content"]) for message in empty)
    # numbering adds a few characters a sentence: "[12] "
    budget = int(llm.settings.context_tokens * _MARGIN * 0.95) - llm.settings.max_tokens - overhead
    if budget < 500:
        raise InputError(
            f"context_tokens={llm.settings.context_tokens} leaves no room for article text "
            f"after max_tokens={llm.settings.max_tokens}: raise context_tokens or lower max_tokens"
        )
    return budget


def _chunk_sentences(text: str, chunk: Chunk) -> list[Sentence]:
    """The article's sentences that fall in this chunk, numbered as in the whole article."""
    return [s for s in split_sentences(text) if s.start < chunk.end and s.end > chunk.start]


def _variables(article: Article, chunk: Chunk, parts: int) -> dict[str, Any]:
    source = article.source
    return {
        "article": numbered(article.text, _chunk_sentences(article.text, chunk)),
        "part": chunk.index + 1,
        "parts": parts,
        "title": source.title,
        "outlet": source.outlet or "the outlet",
        "published": source.published,
        "min_claims": MIN_CLAIMS,
        "max_claims": MAX_CLAIMS,
        "max_actors": MAX_ACTORS,
        "max_questions": MAX_QUESTIONS,
    }


async def _headline_and_summary(run: _Run, drafts: list[DraftBriefing]) -> HeadlineSummary:
    if len(drafts) == 1:
        return HeadlineSummary(headline=drafts[0].headline, summary=drafts[0].summary)
    source = run.article.source
    return await run.ask("merge_chunks", HeadlineSummary, parts=drafts, title=source.title, outlet=source.outlet)


async def _check_claims(run: _Run, chunks: list[Chunk], drafts: list[DraftBriefing]) -> _Checked:
    """Check every proposed claim; one re-ask for what failed; merge duplicates."""
    text = run.article.text
    checked = _Checked()
    failed: list[ChunkProblems] = []
    for chunk, draft in zip(chunks, drafts, strict=True):
        results = [assess_claim(text, claim, outlet=run.outlet) for claim in draft.key_claims]
        checked.passed_first_time += sum(isinstance(r, KeyClaim) for r in results)
        results = [reassess_elsewhere(text, r, outlet=run.outlet) if isinstance(r, Problem) else r for r in results]
        checked.published += [r for r in results if isinstance(r, KeyClaim)]
        problems = [r for r in results if isinstance(r, Problem)]
        if problems:
            failed.append(ChunkProblems(numbered(text, _chunk_sentences(text, chunk)), problems))
    if failed:
        repaired = await repair_claims(run, text, failed, outlet=run.outlet)
        checked.published += repaired.published
        checked.dropped += repaired.dropped
    kept, duplicates = merge_duplicates(checked.published)
    checked.published = kept
    checked.dropped += [drop(c, DropReason.DUPLICATE, "the same fact as another published claim") for c in duplicates]
    return checked


def _merge_actors(drafts: list[DraftBriefing]) -> list[Actor]:
    actors: dict[str, Actor] = {}
    for draft in drafts:
        for actor in draft.actors:
            key = " ".join(actor.name.casefold().split())
            if key not in actors:
                actors[key] = Actor(name=actor.name, kind=actor.kind, role=actor.role, stance=actor.stance)
            elif actor.role and not actors[key].role:
                actors[key] = actors[key].model_copy(update={"role": actor.role})
    return list(actors.values())


def _merge_questions(drafts: list[DraftBriefing]) -> list[OpenQuestion]:
    questions: dict[str, OpenQuestion] = {}
    for draft in drafts:
        for item in draft.open_questions:
            questions.setdefault(
                " ".join(item.question.casefold().split()),
                OpenQuestion(question=item.question, why_it_matters=item.why_it_matters),
            )
    return list(questions.values())

"""One article to one grounded briefing: chunk → extract → merge → ground → re-ask → drop."""

from __future__ import annotations

import asyncio
import hashlib
import time
from dataclasses import dataclass, field
from typing import Any

from briefer.chunking import Chunk, estimate_tokens, split_article
from briefer.errors import InputError, LLMError
from briefer.grounding import drop, ground_claims
from briefer.llm import LLM
from briefer.models import (
    MAX_ACTORS,
    MAX_CLAIMS,
    MAX_QUESTIONS,
    Actor,
    Article,
    Briefing,
    DraftBriefing,
    DraftClaim,
    DroppedClaim,
    Generation,
    GroundingReport,
    HeadlineSummary,
    KeyClaim,
    OpenQuestion,
    RequoteAnswer,
)
from briefer.pipeline.session import Session, prompt_schema
from briefer.prompts import load_prompt

__all__ = ["PROMPTS", "brief_article", "pipeline_version", "prompt_schema"]

PROMPTS = ("brief_article", "requote_claims", "merge_chunks")  # the single-article pipeline's prompts
_MARGIN = 0.9  # keep a tenth of the context free: the token estimate is only an estimate


def pipeline_version() -> str:
    """One version for every prompt this pipeline uses: change any template and cached results expire."""
    versions = "+".join(f"{name}@{load_prompt(name).version}" for name in PROMPTS)
    return hashlib.sha256(versions.encode()).hexdigest()[:12]


@dataclass
class _Run(Session):
    """A briefing run: the session's requests, and the article they are about."""

    article: Article = field(default_factory=lambda: Article(text=""))


async def brief_article(article: Article, llm: LLM) -> Briefing:
    """Brief one article; every key claim in the result has a quote found in ``article.text``."""
    if not article.text.strip():
        raise InputError("the article holds no text")
    started = time.monotonic()
    run = _Run(llm=llm, article=article)
    chunks = split_article(article.text, _article_budget(llm, article))
    semaphore = asyncio.Semaphore(llm.settings.concurrency)

    async def extract(chunk: Chunk) -> DraftBriefing:
        async with semaphore:
            return await run.ask("brief_article", DraftBriefing, **_variables(article, chunk, len(chunks)))

    drafts = await asyncio.gather(*(extract(chunk) for chunk in chunks))
    headline, summary = await _headline_and_summary(run, drafts)
    claims, report = await _ground(run, chunks, drafts, semaphore)
    return Briefing(
        headline=headline,
        summary=summary,
        key_claims=claims,
        actors=_merge_actors(drafts),
        open_questions=_merge_questions(drafts),
        source=article.source,
        generation=Generation(
            model=llm.model,
            endpoint=llm.endpoint,
            prompt_name="brief_article",
            prompt_version=pipeline_version(),
            output_mode=str(run.modes[0]) if run.modes else "",
            chunks=len(chunks),
            usage=run.usage,
            seconds=round(time.monotonic() - started, 2),
        ),
        grounding=report,
    )


def _article_budget(llm: LLM, article: Article) -> int:
    """Tokens left for article text once instructions, schema and the answer are accounted for."""
    empty = load_prompt("brief_article").messages(
        schema=prompt_schema(DraftBriefing), **_variables(article, Chunk(0, 0, ""), 2)
    )
    overhead = sum(estimate_tokens(message["content"]) for message in empty)
    budget = int(llm.settings.context_tokens * _MARGIN) - llm.settings.max_tokens - overhead
    if budget < 500:
        raise InputError(
            f"context_tokens={llm.settings.context_tokens} leaves no room for article text "
            f"after max_tokens={llm.settings.max_tokens}: raise context_tokens or lower max_tokens"
        )
    return budget


def _variables(article: Article, chunk: Chunk, parts: int) -> dict[str, Any]:
    source = article.source
    return {
        "article": chunk.text,
        "part": chunk.index + 1,
        "parts": parts,
        "title": source.title,
        "outlet": source.outlet or "the outlet",
        "published": source.published,
        "max_claims": MAX_CLAIMS,
        "max_actors": MAX_ACTORS,
        "max_questions": MAX_QUESTIONS,
    }


async def _headline_and_summary(run: _Run, drafts: list[DraftBriefing]) -> tuple[str, str]:
    if len(drafts) == 1:
        return drafts[0].headline, drafts[0].summary
    source = run.article.source
    merged = await run.ask("merge_chunks", HeadlineSummary, parts=drafts, title=source.title, outlet=source.outlet)
    return merged.headline, merged.summary


async def _ground(
    run: _Run, chunks: list[Chunk], drafts: list[DraftBriefing], semaphore: asyncio.Semaphore
) -> tuple[list[KeyClaim], GroundingReport]:
    """Verify every proposed quote; re-ask once per chunk for the misses; drop what still fails."""
    text = run.article.text
    results = [ground_claims(text, draft.key_claims) for draft in drafts]

    async def repair(chunk: Chunk, misses: list[DraftClaim]) -> tuple[list[KeyClaim], list[DroppedClaim]]:
        async with semaphore:
            return await _requote(run, chunk, misses)

    repairs = await asyncio.gather(
        *(repair(chunk, result.unverified) for chunk, result in zip(chunks, results, strict=True) if result.unverified)
    )
    verified = [claim for result in results for claim in result.verified]
    repaired = [claim for fixed, _ in repairs for claim in fixed]
    dropped = [claim for _, lost in repairs for claim in lost]
    claims = _unique(verified + repaired)
    report = GroundingReport(
        proposed=len(claims) + len(dropped),  # distinct claims: one repeated by two chunks counts once
        verified=len(claims),
        repaired=len([claim for claim in claims if claim.repaired]),
        dropped=len(dropped),
        dropped_claims=dropped,
    )
    return claims, report


async def _requote(run: _Run, chunk: Chunk, misses: list[DraftClaim]) -> tuple[list[KeyClaim], list[DroppedClaim]]:
    """One targeted re-ask for the claims of one chunk whose quotes were not found."""
    try:
        answer = await run.ask("requote_claims", RequoteAnswer, article=chunk.text, claims=misses)
    except LLMError as exc:
        return [], [drop(claim, f"quote not found; the re-ask failed: {exc}") for claim in misses]
    fresh = {item.claim: item.quote for item in answer.quotes}
    retried: list[DraftClaim] = []
    dropped: list[DroppedClaim] = []
    for number, claim in enumerate(misses, start=1):
        quote = fresh.get(number)
        if quote:
            retried.append(claim.model_copy(update={"quote": quote}))
        else:
            dropped.append(drop(claim, "quote not found; on re-ask the model found no supporting passage"))
    result = ground_claims(run.article.text, retried, repaired=True)
    dropped += [
        drop(claim, "quote not found, and the re-asked quote was not found either") for claim in result.unverified
    ]
    return result.verified, dropped


def _unique(claims: list[KeyClaim]) -> list[KeyClaim]:
    """Claims in article order, one per (statement, span): chunks may overlap in what they report."""
    seen: set[tuple[str, int, int]] = set()
    unique = []
    for claim in sorted(claims, key=lambda c: c.span.start):
        key = (claim.statement.casefold(), claim.span.start, claim.span.end)
        if key not in seen:
            seen.add(key)
            unique.append(claim)
    return unique


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

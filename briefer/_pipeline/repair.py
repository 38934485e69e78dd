"""The one re-ask for claims that failed a check: restated from their own passages, or revised against the article.

A claim whose evidence holds but whose statement is not clean prose (usually the sentence copied) is restated
from the cited passage alone: a short, focused task. A claim whose sentences do not exist or do not support it is
sent back with the numbered article and the problem in words. Either way the answer goes through every check
again, and what still fails is dropped with its reason.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass

from briefer._errors import LLMError
from briefer._grounding import Problem, assess_claim, cited_text, drop, reassess_elsewhere
from briefer._models import ClaimRevisions, DraftClaim, DroppedClaim, DropReason, KeyClaim, Restatements
from briefer._pipeline.session import Session

__all__ = ["MAX_STATEMENT_WORDS", "ChunkProblems", "Repaired", "repair_claims"]

MAX_STATEMENT_WORDS = 15


@dataclass(frozen=True)
class ChunkProblems:
    """The claims of one chunk that failed, and the chunk's numbered sentences (for a revision)."""

    numbered: str
    problems: list[Problem]


@dataclass
class Repaired:
    """What came back from the re-asks: claims now published, and claims dropped with their reasons."""

    published: list[KeyClaim]
    dropped: list[DroppedClaim]

    def __iadd__(self, other: Repaired) -> Repaired:
        self.published += other.published
        self.dropped += other.dropped
        return self


async def repair_claims(
    session: Session, text: str, chunks: Sequence[ChunkProblems], *, outlet: str | None
) -> Repaired:
    """One re-ask per kind of problem (restate: one for the article; revise: one per chunk)."""
    prose = [p for chunk in chunks for p in chunk.problems if p.kind is DropReason.BAD_PROSE]
    revisions = [
        ChunkProblems(chunk.numbered, others)
        for chunk in chunks
        if (others := [p for p in chunk.problems if p.kind is not DropReason.BAD_PROSE])
    ]

    # the LLM's slots bound the requests in flight
    jobs = [_restate(session, text, prose, outlet)] if prose else []
    jobs += [_revise(session, text, chunk, outlet) for chunk in revisions]
    result = Repaired([], [])
    for repaired in await asyncio.gather(*jobs):
        result += repaired
    return result


async def _restate(session: Session, text: str, problems: list[Problem], outlet: str | None) -> Repaired:
    """Restate claims from their own passages."""
    passages = [cited_text(text, p.claim.sentences) for p in problems]
    try:
        answer = await session.ask("restate_claims", Restatements, passages=passages, max_words=MAX_STATEMENT_WORDS)
    except LLMError as exc:
        return _failed(text, problems, exc)
    fresh = {item.passage: item.statement for item in answer.claims}
    retries = [
        problem.claim.model_copy(update={"statement": fresh[number]}) if fresh.get(number) else None
        for number, problem in enumerate(problems, start=1)
    ]
    return _settle(text, problems, retries, outlet)


async def _revise(session: Session, text: str, chunk: ChunkProblems, outlet: str | None) -> Repaired:
    """Send claims back with the chunk's numbered sentences and each problem in words."""
    items = [
        {"statement": p.claim.statement, "sentences": p.claim.sentences, "problem": p.message} for p in chunk.problems
    ]
    try:
        answer = await session.ask("revise_claims", ClaimRevisions, article=chunk.numbered, problems=items)
    except LLMError as exc:
        return _failed(text, chunk.problems, exc)
    fresh = {item.claim: item for item in answer.claims}
    retries: list[DraftClaim | None] = []
    for number, problem in enumerate(chunk.problems, start=1):
        revision = fresh.get(number)
        if revision is None or not revision.sentences:
            retries.append(None)
            continue
        update = {"sentences": revision.sentences, "statement": revision.statement or problem.claim.statement}
        retries.append(problem.claim.model_copy(update=update))
    return _settle(text, chunk.problems, retries, outlet)


def _settle(
    text: str, problems: Sequence[Problem], retries: Sequence[DraftClaim | None], outlet: str | None
) -> Repaired:
    """Check each answer again: published now, or dropped with the reason it still fails."""
    result = Repaired([], [])
    for problem, retry in zip(problems, retries, strict=True):
        if retry is None:
            result.dropped.append(
                drop(problem.claim, problem.kind, f"{problem.message}; withdrawn on re-ask", text=text)
            )
            continue
        checked = assess_claim(text, retry, outlet=outlet, repaired=True)
        if isinstance(checked, Problem):
            checked = reassess_elsewhere(text, checked, outlet=outlet, repaired=True)
        if isinstance(checked, KeyClaim):
            result.published.append(checked)
        else:
            result.dropped.append(drop(retry, checked.kind, f"{checked.message} (after a re-ask)", text=text))
    return result


def _failed(text: str, problems: Sequence[Problem], exc: LLMError) -> Repaired:
    return Repaired([], [drop(p.claim, p.kind, f"{p.message}; the re-ask failed: {exc}", text=text) for p in problems])

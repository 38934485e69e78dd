"""One story from the grounded briefings of its articles: synthesis, citation checks, agreement, ranking."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from briefer.grounding import locate_quote
from briefer.models import (
    MAX_QUESTIONS,
    Actor,
    Article,
    ArticleEntry,
    CitedQuote,
    DraftCitation,
    DraftStory,
    DroppedClaim,
    GroundingReport,
    NumberConflict,
    OpenQuestion,
    Source,
    Stance,
    Story,
    StoryClaim,
)
from briefer.models.morning import MAX_STORY_CLAIMS
from briefer.pipeline.session import Session

__all__ = [
    "StoryArticle",
    "build_story",
    "parse_published",
    "rank",
    "single_article_story",
    "story_key",
    "synthesize_story",
]


@dataclass(frozen=True)
class StoryArticle:
    """An article of a story: its entry (briefing, outlets) and its full text for checking quotes."""

    entry: ArticleEntry
    article: Article

    @property
    def outlets(self) -> list[str]:
        """Every outlet that ran this text (wire copy is credited to each)."""
        names = [self.entry.source.outlet or "unknown outlet"]
        names += [s.outlet for s in self.entry.also_published_by if s.outlet and s.outlet not in names]
        return names


def story_key(members: Sequence[StoryArticle]) -> str:
    """Cache key of a story: the content hashes of its articles, order-free."""
    hashes = sorted(member.entry.content_hash for member in members)
    return hashlib.sha256("\n".join(hashes).encode()).hexdigest()


def single_article_story(member: StoryArticle) -> Story:
    """A story of one article needs no synthesis: its briefing's claims already carry verified quotes."""
    briefing = member.entry.briefing
    outlet = member.outlets[0]
    claims = [
        StoryClaim(
            statement=claim.statement,
            evidence=[CitedQuote(article=member.entry.id, outlet=outlet, quote=claim.quote, span=claim.span)],
            agreement=dict.fromkeys(member.outlets, Stance.SUPPORTS),
        )
        for claim in briefing.key_claims
    ]
    return _story(
        [member],
        headline=briefing.headline,
        what_happened=briefing.summary,
        claims=claims,
        conflicts=[],
        questions=briefing.open_questions,
        report=briefing.grounding,
    )


def synthesis_variables(members: Sequence[StoryArticle]) -> dict[str, object]:
    """The synthesize_story prompt's variables."""
    articles = [
        {
            "id": m.entry.id,
            "outlet": ", ".join(m.outlets),
            "published": m.entry.source.published,
            "headline": m.entry.briefing.headline,
            "summary": m.entry.briefing.summary,
            "claims": m.entry.briefing.key_claims,
        }
        for m in members
    ]
    return {"articles": articles, "max_claims": MAX_STORY_CLAIMS, "max_questions": MAX_QUESTIONS}


async def synthesize_story(session: Session, members: Sequence[StoryArticle]) -> DraftStory:
    """Ask the model to merge the articles' briefings into one story draft."""
    return await session.ask("synthesize_story", DraftStory, **synthesis_variables(members))


def build_story(members: Sequence[StoryArticle], draft: DraftStory) -> Story:
    """Check every citation of a draft against the named article's text and publish only what holds."""
    by_id = {m.entry.id: m for m in members}
    claims: list[StoryClaim] = []
    dropped: list[DroppedClaim] = []
    repaired = 0
    for draft_claim in draft.claims:
        support, moved = _verify(draft_claim.supported_by, by_id)
        against, moved_against = _verify(draft_claim.contradicted_by, by_id)
        if not support:
            dropped.append(_dropped(draft_claim.statement, draft_claim.supported_by))
            continue
        repaired += moved + moved_against
        claims.append(
            StoryClaim(
                statement=draft_claim.statement,
                evidence=support,
                contradicted_by=against,
                agreement=_agreement(members, support, against),
            )
        )
    conflicts = [_conflict(c.what, c.values, by_id) for c in draft.conflicts]
    report = GroundingReport(
        proposed=len(draft.claims),
        verified=len(claims),
        repaired=repaired,
        dropped=len(dropped),
        dropped_claims=dropped,
    )
    return _story(
        members,
        headline=draft.headline,
        what_happened=draft.what_happened,
        claims=claims,
        conflicts=[c for c in conflicts if c is not None],
        questions=draft.open_questions,
        report=report,
    )


def _verify(citations: Sequence[DraftCitation], by_id: dict[str, StoryArticle]) -> tuple[list[CitedQuote], int]:
    """Citations whose quote briefer found: in the named article, and in every other article that carries it.

    A quote missing from the named article but present in another is credited to that one (counted as moved).
    """
    verified: list[CitedQuote] = []
    moved = 0
    for citation in citations:
        named = by_id.get(citation.article.strip().upper())
        found = []
        for member in by_id.values():
            span = locate_quote(member.article.text, citation.quote)
            if span is not None:
                quote = member.article.text[span.start : span.end]
                found += [CitedQuote(article=member.entry.id, outlet=o, quote=quote, span=span) for o in member.outlets]
        if found and named is not None and all(c.article != named.entry.id for c in found):
            moved += 1
        verified += found
    return _unique_citations(verified), moved


def _unique_citations(citations: list[CitedQuote]) -> list[CitedQuote]:
    seen: set[tuple[str, str, int]] = set()
    unique = []
    for citation in citations:
        key = (citation.article, citation.outlet, citation.span.start)
        if key not in seen:
            seen.add(key)
            unique.append(citation)
    return unique


def _agreement(
    members: Sequence[StoryArticle], support: list[CitedQuote], against: list[CitedQuote]
) -> dict[str, Stance]:
    table = {outlet: Stance.NOT_MENTIONED for member in members for outlet in member.outlets}
    table.update({c.outlet: Stance.SUPPORTS for c in support})
    table.update({c.outlet: Stance.CONTRADICTS for c in against if table[c.outlet] is not Stance.SUPPORTS})
    return table


def _conflict(what: str, values: Sequence[DraftCitation], by_id: dict[str, StoryArticle]) -> NumberConflict | None:
    """A figure conflict stands only when quotes from at least two different outlets are verified."""
    verified, _ = _verify(values, by_id)
    if len({c.outlet for c in verified}) < 2 or len({" ".join(c.quote.split()) for c in verified}) < 2:
        return None
    return NumberConflict(what=what, values=verified)


def _dropped(statement: str, citations: Sequence[DraftCitation]) -> DroppedClaim:
    quote = citations[0].quote if citations else ""
    source = citations[0].article if citations else "none"
    return DroppedClaim(
        statement=statement,
        speaker=source,
        attribution="unattributed",
        quote=quote,
        reason="no cited quote was found in the named article (or any article of the story)",
    )


def _story(
    members: Sequence[StoryArticle],
    *,
    headline: str,
    what_happened: str,
    claims: list[StoryClaim],
    conflicts: list[NumberConflict],
    questions: Sequence[OpenQuestion],
    report: GroundingReport,
) -> Story:
    outlets = list(dict.fromkeys(outlet for member in members for outlet in member.outlets))
    return Story(
        id="",  # numbered once ranked
        headline=headline,
        what_happened=what_happened,
        claims=claims,
        conflicts=conflicts,
        actors=_actors(members),
        open_questions=list(questions),
        articles=[member.entry.id for member in members],
        outlets=outlets,
        importance=0.0,
        importance_reasons=[],
        grounding=report,
    )


def _actors(members: Sequence[StoryArticle]) -> list[Actor]:
    actors: dict[str, Actor] = {}
    for member in members:
        for actor in member.entry.briefing.actors:
            actors.setdefault(" ".join(actor.name.casefold().split()), actor)
    return list(actors.values())


def rank(stories: list[Story], members: dict[str, StoryArticle], *, newest: datetime | None) -> list[Story]:
    """Order stories by an explainable importance: independent outlets, recency, novelty."""
    ranked = []
    for story in stories:
        independent = len({members[a].entry.content_hash for a in story.articles})
        outlets = len(story.outlets)
        score = 2.0 * independent + 0.5 * (outlets - independent)
        reasons = [f"{independent} independent report{'s' if independent != 1 else ''} from {outlets} outlets"]
        hours = _hours_behind(story, members, newest)
        if hours is not None:
            recency = max(0.0, 1.0 - hours / 24)
            score += recency
            reasons.append(f"latest report {hours:.0f} h before the newest article (+{recency:.1f})")
        if story.new_since_previous:
            score += 1.0
            reasons.append("new since the previous briefing (+1)")
        ranked.append(story.model_copy(update={"importance": round(score, 2), "importance_reasons": reasons}))
    ranked.sort(key=lambda s: (-s.importance, s.headline))
    return [s.model_copy(update={"id": f"S{i}"}) for i, s in enumerate(ranked, start=1)]


def _hours_behind(story: Story, members: dict[str, StoryArticle], newest: datetime | None) -> float | None:
    dates = [parse_published(members[a].entry.source.published) for a in story.articles]
    known = [d for d in dates if d is not None]
    if newest is None or not known:
        return None
    return max(0.0, (newest - max(known)).total_seconds() / 3600)


def parse_published(value: str | None) -> datetime | None:
    """A publication date as an aware datetime (UTC when the source gave no zone), or None."""
    return Source(published=value).published_at

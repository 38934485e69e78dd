"""A story as the morning briefing holds it, and what makes one without asking the model.

Kept apart from synthesis (``synthesis``), so that a run whose stories are all cached or of one article
builds them without importing the checks that synthesis runs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from briefer._models import (
    Actor,
    Article,
    ArticleEntry,
    CitedQuote,
    GroundingReport,
    NumberConflict,
    OpenQuestion,
    QuoteSpan,
    Stance,
    Story,
    StoryClaim,
)
from briefer._sentences import Sentence, split_sentences

__all__ = ["StoryArticle", "single_article_story", "story_key", "story_of", "story_sources"]


@dataclass(frozen=True)
class StoryArticle:
    """An article of a story: its entry (briefing, outlets) and its full text for checking evidence."""

    entry: ArticleEntry
    article: Article

    @property
    def outlets(self) -> list[str]:
        """Every outlet that ran this text (wire copy is credited to each)."""
        names = [self.entry.source.outlet or "unknown outlet"]
        names += [s.outlet for s in self.entry.also_published_by if s.outlet and s.outlet not in names]
        return names

    def cite(self, sentences: Sequence[Sentence]) -> list[CitedQuote]:
        """The sentences as evidence, credited to every outlet that ran the text."""
        text = self.article.text
        start, end = sentences[0].start, sentences[-1].end
        numbers = [s.number for s in sentences]
        span = QuoteSpan(start=start, end=end)
        return [
            CitedQuote(article=self.entry.id, outlet=outlet, evidence=text[start:end], span=span, sentences=numbers)
            for outlet in self.outlets
        ]


def story_key(members: Sequence[StoryArticle]) -> str:
    """Cache key of a story: the content hashes of its articles, order-free."""
    hashes = sorted(member.entry.content_hash for member in members)
    return hashlib.sha256("\n".join(hashes).encode()).hexdigest()


def story_sources(members: Sequence[StoryArticle]) -> list[str]:
    """The texts a story's prose must be found in: its articles and their titles."""
    return [m.article.text for m in members] + [m.article.source.title or "" for m in members]


def single_article_story(member: StoryArticle) -> Story:
    """A story of one article needs no synthesis: its briefing's claims are already checked."""
    briefing = member.entry.briefing
    sentences = split_sentences(member.article.text)
    claims = [
        StoryClaim(
            statement=claim.statement,
            evidence=member.cite([sentences[n - 1] for n in claim.sentences]),
            agreement=dict.fromkeys(member.outlets, Stance.SUPPORTS),
        )
        for claim in briefing.key_claims
    ]
    return story_of(
        [member],
        headline=briefing.headline,
        what_happened=briefing.summary,
        claims=claims,
        conflicts=[],
        questions=briefing.open_questions,
        report=briefing.grounding,
    )


def story_of(
    members: Sequence[StoryArticle],
    *,
    headline: str,
    what_happened: str,
    claims: list[StoryClaim],
    conflicts: list[NumberConflict],
    questions: Sequence[OpenQuestion],
    report: GroundingReport,
) -> Story:
    """A story of ``members`` with these parts (numbered and ranked later)."""
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

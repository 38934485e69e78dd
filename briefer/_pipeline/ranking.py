"""Stories in order of an explainable importance: independent outlets, recency, novelty."""

from __future__ import annotations

from datetime import datetime

from briefer._models import Source, Story
from briefer._pipeline.story import StoryArticle

__all__ = ["parse_published", "rank"]


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

"""Headline and summary held to their sources: one re-ask naming the words no source has, then a fallback."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from briefer._errors import LLMError
from briefer._models import Actor, HeadlineSummary
from briefer._pipeline.session import Session
from briefer._prose import fallback_headline, fallback_summary, ungrounded_terms

__all__ = ["GroundedProse", "ground_actors", "ground_prose"]


@dataclass
class GroundedProse:
    """The headline and summary to publish, and what had to be done to them."""

    headline: str
    summary: str
    fallbacks: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _problems(prose: HeadlineSummary, sources: Sequence[str]) -> dict[str, list[str]]:
    found = {"headline": ungrounded_terms(prose.headline, sources), "summary": ungrounded_terms(prose.summary, sources)}
    return {name: words for name, words in found.items() if words}


async def ground_prose(
    session: Session, prose: HeadlineSummary, *, sources: Sequence[str], title: str | None, facts: Sequence[str]
) -> GroundedProse:
    """Publishable headline and summary: as written, as re-asked once, or built from checked facts."""
    problems = _problems(prose, sources)
    if not problems:
        return GroundedProse(prose.headline, prose.summary)
    words = list(dict.fromkeys(word for found in problems.values() for word in found))
    noted = [f"{name}: {', '.join(found)}" for name, found in problems.items()]
    try:
        revised = await session.ask(
            "revise_headline",
            HeadlineSummary,
            title=title,
            facts=list(facts),
            headline=prose.headline,
            summary=prose.summary,
            problems=words,
        )
    except LLMError:
        revised = prose
    left = _problems(revised, sources)
    headline = fallback_headline(title, facts) if "headline" in left else revised.headline
    # with no checked claim to build from, the article's own title is the one summary it surely supports
    summary = (fallback_summary(facts) or title or "") if "summary" in left else revised.summary
    return GroundedProse(headline, summary, fallbacks=sorted(left), problems=noted)


def ground_actors(actors: Sequence[Actor], sources: Sequence[str]) -> tuple[list[Actor], list[str]]:
    """Actors whose names the sources hold; a stance naming what they lack is left out, and noted."""
    kept: list[Actor] = []
    notes: list[str] = []
    for actor in actors:
        if ungrounded_terms(actor.name, sources):
            notes.append(f"actor left out: {actor.name}")
            continue
        missing = ungrounded_terms(actor.stance, sources)
        if missing:
            notes.append(f"stance of {actor.name}: {', '.join(missing)}")
        kept.append(actor.model_copy(update={"stance": ""}) if missing else actor)
    return kept, notes

"""The morning briefing: stories merged across outlets, each claim cited to checked sentences of named articles."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from briefer._models.article import (
    MAX_EVIDENCE_SENTENCES,
    MAX_QUESTIONS,
    Actor,
    Briefing,
    GroundingReport,
    OpenQuestion,
    QuoteSpan,
    Source,
    Summary,
    _Strict,
)

__all__ = [
    "ArticleEntry",
    "CitedQuote",
    "DraftCitation",
    "DraftStory",
    "DraftStoryClaim",
    "FailedSource",
    "MorningBriefing",
    "NumberConflict",
    "PastMorning",
    "RunSummary",
    "ShownArticle",
    "Stance",
    "Story",
    "StoryClaim",
]

MAX_STORY_CLAIMS = 8


# --- what the model writes for one story -------------------------------------------------------------


class DraftCitation(_Strict):
    """An article cited for a claim, with the numbers of its sentences that state it."""

    article: str = Field(description="The article's id, e.g. A2.", max_length=12)
    sentences: list[int] = Field(description="Its sentence numbers, e.g. [7].", max_length=MAX_EVIDENCE_SENTENCES)


class DraftStoryClaim(_Strict):
    """A claim about the story and the articles that state it."""

    statement: str = Field(max_length=400)
    supported_by: list[DraftCitation] = Field(max_length=6)


class DraftStory(_Strict):
    """One story as the model synthesises it from several articles' briefings."""

    headline: str = Field(max_length=160)
    what_happened: Summary
    claims: list[DraftStoryClaim] = Field(max_length=MAX_STORY_CLAIMS)
    open_questions: list[OpenQuestion] = Field(max_length=MAX_QUESTIONS)


# --- what briefer publishes ----------------------------------------------------------------------------


class Stance(StrEnum):
    """Where an outlet stands on a claim."""

    SUPPORTS = "supports"
    CONTRADICTS = "contradicts"
    NOT_MENTIONED = "not_mentioned"


class ArticleEntry(_Strict):
    """One article of the run: where it came from, the outlets that also ran it, and its briefing."""

    id: str = Field(description="Short id used in citations, e.g. A3.")
    content_hash: str
    source: Source
    also_published_by: list[Source] = Field(default_factory=list, description="Duplicates (e.g. wire copy).")
    briefing: Briefing


class CitedQuote(_Strict):
    """Sentences of a named article that briefer checked: they say what the claim says (or give the figure)."""

    article: str
    outlet: str
    evidence: str = Field(description="The article's own wording: its text[span.start:span.end].")
    span: QuoteSpan
    sentences: list[int] = Field(default_factory=list, description="The sentences' numbers in that article.")


class StoryClaim(_Strict):
    """A claim about a story, with the outlets that carry or contradict it."""

    statement: str
    evidence: list[CitedQuote]
    contradicted_by: list[CitedQuote] = Field(default_factory=list)
    agreement: dict[str, Stance] = Field(description="Outlet → supports / contradicts / not_mentioned.")


class NumberConflict(_Strict):
    """A figure reported differently by different outlets, found by briefer in each outlet's sentences."""

    what: str
    values: list[CitedQuote]


class Story(_Strict):
    """One real-world event or thread, merged across the outlets that covered it."""

    id: str
    headline: str
    what_happened: str
    claims: list[StoryClaim]
    conflicts: list[NumberConflict] = Field(default_factory=list)
    actors: list[Actor] = Field(default_factory=list)
    open_questions: list[OpenQuestion] = Field(default_factory=list)
    articles: list[str] = Field(description="Ids of the articles in this story.")
    outlets: list[str]
    importance: float
    importance_reasons: list[str]
    new_since_previous: bool = True
    grounding: GroundingReport


class FailedSource(_Strict):
    """A source that could not be read this run; the run went on without it."""

    source: str
    error: str


class RunSummary(_Strict):
    """What a morning run read, spent and produced."""

    sources: int = 0
    articles_new: int = 0
    articles_cached: int = 0
    duplicates: int = 0
    failed: int = 0
    skipped: int = Field(default=0, description="Articles left out by --max-articles or --max-cost.")
    stories: int = 0
    llm_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    estimated_cost_usd: float | None = Field(default=None, description="None when the model's price is unknown.")
    seconds: float = 0.0


class MorningBriefing(_Strict):
    """The day's stories, ranked, every claim traceable to checked sentences of a named article."""

    generated_at: str
    since: str | None
    model: str
    endpoint: str
    prompt_version: str
    stories: list[Story]
    articles: list[ArticleEntry]
    failed_sources: list[FailedSource] = Field(default_factory=list)
    summary: RunSummary = Field(default_factory=RunSummary)


class ShownArticle(BaseModel):
    """Which text an article id stood for in a briefing (the rest of its entry is not read back)."""

    model_config = ConfigDict(extra="ignore", defer_build=True)

    id: str
    content_hash: str


class PastMorning(BaseModel):
    """What a later run reads back of a finished run's briefing: its stories, and which texts it showed.

    The articles' briefings, most of a stored briefing, are skipped: a 200-article rerun read it back in 0.03 s
    instead of 0.07 s.
    """

    model_config = ConfigDict(extra="ignore", defer_build=True)

    generated_at: str
    model: str
    prompt_version: str
    stories: list[Story]
    articles: list[ShownArticle]
    failed_sources: list[FailedSource] = Field(default_factory=list)

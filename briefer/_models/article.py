"""The briefing briefer publishes, and the smaller draft the model is asked to write.

The model never sees offsets, usage or the grounding report: those are briefer's own findings, filled in
after the draft has been checked against the article.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from briefer._sentences import split_sentences

__all__ = [
    "Actor",
    "ActorKind",
    "Article",
    "AttributionKind",
    "Briefing",
    "ClaimRevision",
    "ClaimRevisions",
    "DraftActor",
    "DraftBriefing",
    "DraftClaim",
    "DraftQuestion",
    "DropReason",
    "DroppedClaim",
    "Generation",
    "GroundingReport",
    "HeadlineSummary",
    "KeyClaim",
    "OpenQuestion",
    "QuoteSpan",
    "Restatement",
    "Restatements",
    "Source",
    "SpeakerCheck",
    "Usage",
]

MIN_CLAIMS = 6  # asked of the model; the checks then keep what holds
MAX_CLAIMS = 10
MAX_ACTORS = 8
MAX_QUESTIONS = 4
MAX_SUMMARY_SENTENCES = 3
MAX_EVIDENCE_SENTENCES = 3


class _Strict(BaseModel):
    # validators are built on first use: a rerun served from the store never builds the model-answer ones
    model_config = ConfigDict(extra="forbid", defer_build=True)


class AttributionKind(StrEnum):
    """How the article attributes a claim."""

    DIRECT_QUOTE = "direct_quote"
    PARAPHRASE = "paraphrase"
    OUTLET_ASSERTION = "outlet_assertion"
    UNATTRIBUTED = "unattributed"


class ActorKind(StrEnum):
    """What kind of actor a named party is."""

    PERSON = "person"
    ORGANISATION = "organisation"
    GOVERNMENT_BODY = "government_body"
    COUNTRY = "country"
    GROUP = "group"


def _at_most_three_sentences(summary: str) -> str:
    """The summary cut after its third sentence: one sentence too many is trimmed, never worth a re-ask."""
    sentences = split_sentences(summary)
    if len(sentences) <= MAX_SUMMARY_SENTENCES:
        return summary
    return summary[: sentences[MAX_SUMMARY_SENTENCES - 1].end]


Summary = Annotated[
    str, Field(description="At most three sentences.", max_length=900), AfterValidator(_at_most_three_sentences)
]


# --- what the model writes -------------------------------------------------------------------------


class DraftClaim(_Strict):
    """One key claim as the model proposes it: the sentences that carry it first, then the claim itself."""

    sentences: list[int] = Field(
        description="The numbers of the one to three consecutive article sentences that state the claim.",
        min_length=1,
        max_length=MAX_EVIDENCE_SENTENCES,
    )
    speaker: str = Field(
        description="Who asserts it: a person or body named in the article, or the outlet itself.",
        max_length=120,
    )
    attribution: AttributionKind
    statement: str = Field(description="The claim in one plain sentence of your own.", max_length=400)


class DraftActor(_Strict):
    """A party the article names, as the model describes it."""

    name: str = Field(max_length=120)
    kind: ActorKind
    role: str | None = Field(description="Role or title exactly as the article states it.", max_length=160)
    stance: str = Field(description="What they said, did or want, in one sentence.", max_length=300)


class DraftQuestion(_Strict):
    """A question the article leaves open."""

    question: str = Field(max_length=300)
    why_it_matters: str = Field(max_length=300)


class DraftBriefing(_Strict):
    """The briefing as the model writes it, before briefer checks it."""

    headline: str = Field(max_length=160)
    summary: Summary
    # minItems only in the schema the model is given (a grammar enforces it on local servers): a model that
    # finds fewer claims in a short article is not re-asked for them
    key_claims: list[DraftClaim] = Field(max_length=MAX_CLAIMS, json_schema_extra={"minItems": MIN_CLAIMS})
    actors: list[DraftActor] = Field(max_length=MAX_ACTORS)
    open_questions: list[DraftQuestion] = Field(max_length=MAX_QUESTIONS)


class HeadlineSummary(_Strict):
    """Headline and summary of a long article, written from its parts' summaries."""

    headline: str = Field(max_length=160)
    summary: Summary


class ClaimRevision(_Strict):
    """The model's second try at one claim briefer could not accept (no sentences: the claim is withdrawn)."""

    claim: int = Field(ge=1, description="The claim's number in the list of problems.")
    sentences: list[int] = Field(max_length=MAX_EVIDENCE_SENTENCES)
    statement: str = Field(max_length=400)


class Restatement(_Strict):
    """A claim restated from its passage alone."""

    passage: int = Field(ge=1, description="The passage's number in the list.")
    statement: str = Field(max_length=400)


class Restatements(_Strict):
    """The model's restatements of claims whose evidence held but whose prose did not."""

    claims: list[Restatement] = Field(max_length=MAX_CLAIMS * 2)


class ClaimRevisions(_Strict):
    """The model's answers to the problems briefer found in its claims."""

    claims: list[ClaimRevision] = Field(max_length=MAX_CLAIMS * 2)


# --- what briefer publishes ------------------------------------------------------------------------


class Source(_Strict):
    """Where an article came from, as far as it is known."""

    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: str | None = Field(default=None, description="Publication date as ISO 8601 when known.")
    url: str | None = None
    path: str | None = None

    @property
    def published_at(self) -> datetime | None:
        """``published`` as an aware datetime (UTC when no zone is given), or None when absent or unreadable."""
        if not self.published:
            return None
        try:
            parsed = datetime.fromisoformat(self.published.replace("Z", "+00:00"))
        except ValueError:
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


class Article(_Strict):
    """An article's text exactly as briefer received it, with its metadata."""

    text: str
    source: Source = Field(default_factory=Source)

    @property
    def content_hash(self) -> str:
        """sha256 of the text: the key under which its briefing is cached."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


class QuoteSpan(_Strict):
    """Where a passage stands in the article text: ``article.text[start:end]``."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    exact: bool = Field(default=True, description="False when found only after normalising case, quotes or dashes.")


class SpeakerCheck(StrEnum):
    """What briefer found when it checked the model's speaker against the article's attribution."""

    CONFIRMED = "confirmed"
    CORRECTED = "corrected"
    UNATTRIBUTED = "unattributed"
    OUTLET = "outlet"


class DropReason(StrEnum):
    """Why a proposed claim was not published."""

    NOT_FOUND = "not_found"
    UNSUPPORTED = "unsupported"
    DUPLICATE = "duplicate"
    SPEAKER = "speaker_not_supported"
    BAD_PROSE = "bad_prose"


class KeyClaim(_Strict):
    """A claim whose evidence is the article's own sentences, checked by briefer to say what the claim says."""

    statement: str
    speaker: str
    attribution: AttributionKind
    evidence: str = Field(
        description="The cited sentences as the article writes them: article.text[span.start:span.end]."
    )
    span: QuoteSpan
    sentences: list[int] = Field(description="The cited sentences' numbers (1-based, in article order).")
    quote: str | None = Field(default=None, description="For a direct quote: the quoted words inside the evidence.")
    quote_span: QuoteSpan | None = None
    speaker_check: SpeakerCheck = SpeakerCheck.CONFIRMED
    claimed_speaker: str | None = Field(default=None, description="The model's speaker, when briefer corrected it.")
    claimed_sentences: list[int] | None = Field(
        default=None,
        description="The model's sentences, when they did not support the claim and briefer found ones that do.",
    )
    repaired: bool = Field(default=False, description="True when the claim passed only after a re-ask.")


class DroppedClaim(_Strict):
    """A proposed claim briefer did not publish; kept for inspection, with the reason."""

    statement: str
    speaker: str
    attribution: AttributionKind
    evidence: str = ""
    sentences: list[int] = Field(default_factory=list)
    kind: DropReason
    reason: str


class Actor(_Strict):
    """A party the article names."""

    name: str
    kind: ActorKind
    role: str | None = None
    stance: str


class OpenQuestion(_Strict):
    """A question the article leaves open, and why it matters."""

    question: str
    why_it_matters: str


class Usage(_Strict):
    """Tokens and requests spent, summed over every attempt."""

    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0

    @property
    def total_tokens(self) -> int:
        """Prompt plus completion tokens."""
        return self.prompt_tokens + self.completion_tokens

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            requests=self.requests + other.requests,
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
        )


class Generation(_Strict):
    """How a briefing was produced: model, endpoint, prompt version, output mode, cost."""

    model: str
    endpoint: str
    prompt_name: str
    prompt_version: str
    output_mode: str
    chunks: int = 1
    usage: Usage = Field(default_factory=Usage)
    seconds: float = 0.0


class GroundingReport(_Strict):
    """What briefer checked and what happened to the claims the model proposed."""

    proposed: int = 0
    published: int = 0
    passed_first_time: int = Field(default=0, description="Proposed claims that passed every check before any re-ask.")
    repaired: int = Field(default=0, description="Published claims that passed only after a re-ask.")
    relocated: int = Field(
        default=0,
        description="Published claims whose cited sentences did not support them; briefer found the ones that do.",
    )
    reused_wording: int = Field(
        default=0, description="Published claims whose statement reuses the outlet's own wording (not a quotation)."
    )
    dropped: int = 0
    dropped_by_reason: dict[DropReason, int] = Field(default_factory=dict)
    speaker_corrections: int = 0
    prose_fallbacks: list[str] = Field(
        default_factory=list, description="Fields (headline, summary) replaced by text built from checked claims."
    )
    prose_problems: list[str] = Field(default_factory=list, description="Words in the prose the sources lack.")
    dropped_claims: list[DroppedClaim] = Field(default_factory=list)


class Briefing(_Strict):
    """A grounded briefing of one article: every key claim rests on the article's own sentences."""

    headline: str
    summary: str
    key_claims: list[KeyClaim]
    actors: list[Actor]
    open_questions: list[OpenQuestion]
    source: Source
    generation: Generation
    grounding: GroundingReport

"""One story from the checked briefings of its articles: synthesis, then briefer's own agreement and conflicts.

The model merges claims and may point at sentences; briefer decides, for every claim and every article of the
story, whether the article supports it (sentences that pass the support check), contradicts it (the same
quantity with another value) or does not mention it, and finds figures that differ between outlets itself.
"""

from __future__ import annotations

import itertools
from collections import Counter, OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

from briefer._errors import LLMError
from briefer._figures import Mention, contradicts, figure_conflicts, quantities
from briefer._grounding import cited_span, distinct_figures, paragraph_text
from briefer._models import (
    MAX_QUESTIONS,
    AttributionKind,
    CitedQuote,
    DraftStory,
    DraftStoryClaim,
    DroppedClaim,
    DropReason,
    GroundingReport,
    NumberConflict,
    Restatements,
    Stance,
    Story,
    StoryClaim,
)
from briefer._models.morning import MAX_STORY_CLAIMS
from briefer._pipeline.prose import GroundedProse
from briefer._pipeline.repair import MAX_STATEMENT_WORDS
from briefer._pipeline.session import Session
from briefer._pipeline.story import StoryArticle, single_article_story, story_key, story_sources
from briefer._pipeline.story import story_of as _story
from briefer._prose import same_statement, statement_problems
from briefer._sentences import Sentence, split_sentences
from briefer._support import evidence_stems, supports, wording

__all__ = [
    "StoryArticle",
    "build_story",
    "single_article_story",
    "story_key",
    "story_sources",
    "synthesize_story",
    "with_prose",
]


def synthesis_variables(members: Sequence[StoryArticle]) -> dict[str, object]:
    """The synthesize_story prompt's variables."""
    articles = [
        {
            "id": m.entry.id,
            "outlet": ", ".join(m.outlets),
            "published": m.entry.source.published,
            "headline": m.entry.briefing.headline,
            "claims": m.entry.briefing.key_claims,
        }
        for m in members
    ]
    return {"articles": articles, "max_claims": MAX_STORY_CLAIMS, "max_questions": MAX_QUESTIONS}


async def synthesize_story(session: Session, members: Sequence[StoryArticle]) -> DraftStory:
    """Ask the model to merge the articles' briefings into one story draft, restating claims that copy."""
    draft = await session.ask("synthesize_story", DraftStory, **synthesis_variables(members))
    return await _restate_copies(session, members, draft)


async def _restate_copies(session: Session, members: Sequence[StoryArticle], draft: DraftStory) -> DraftStory:
    """Claims some article supports but whose statement is not clean prose, restated from that evidence once."""
    failing = [
        (index, result.evidence)
        for index, claim in enumerate(draft.claims)
        if isinstance(result := _check_claim(members, claim), _Refusal) and result.kind is DropReason.BAD_PROSE
    ]
    if not failing:
        return draft
    try:
        answer = await session.ask(
            "restate_claims", Restatements, passages=[e for _, e in failing], max_words=MAX_STATEMENT_WORDS
        )
    except LLMError:
        return draft  # the claims stay as they are, and are dropped as bad prose
    fresh = {item.passage: item.statement for item in answer.claims}
    claims = list(draft.claims)
    for number, (index, _) in enumerate(failing, start=1):
        if fresh.get(number):
            claims[index] = claims[index].model_copy(update={"statement": fresh[number]})
    return draft.model_copy(update={"claims": claims})


def build_story(members: Sequence[StoryArticle], draft: DraftStory) -> Story:
    """Publish what holds of a draft: claims some article supports, agreement and conflicts found by briefer.

    The headline and account are the draft's until ``with_prose`` puts the grounded ones in.
    """
    claims: list[StoryClaim] = []
    dropped: list[DroppedClaim] = []
    for draft_claim in draft.claims:
        result = _check_claim(members, draft_claim)
        if isinstance(result, StoryClaim):
            result = _fresh(result, claims)
        if isinstance(result, StoryClaim):
            claims.append(result)
        else:
            dropped.append(_dropped(draft_claim, result))
    report = GroundingReport(
        proposed=len(draft.claims),
        published=len(claims),
        passed_first_time=len(claims),
        dropped=len(dropped),
        dropped_by_reason=dict(Counter(claim.kind for claim in dropped)),
        dropped_claims=dropped,
    )
    return _story(
        members,
        headline=draft.headline,
        what_happened=draft.what_happened,
        claims=claims,
        conflicts=find_conflicts(members),
        questions=draft.open_questions,
        report=report,
    )


def with_prose(story: Story, prose: GroundedProse) -> Story:
    """``story`` with its grounded headline and account, and what grounding them took."""
    report = story.grounding.model_copy(update={"prose_fallbacks": prose.fallbacks, "prose_problems": prose.problems})
    return story.model_copy(update={"headline": prose.headline, "what_happened": prose.summary, "grounding": report})


@dataclass(frozen=True)
class _Refusal:
    """Why a story claim cannot be published, and the evidence it had (when the statement was the problem)."""

    kind: DropReason
    reason: str
    evidence: str = ""


def _check_claim(members: Sequence[StoryArticle], draft: DraftStoryClaim) -> StoryClaim | _Refusal:
    """The claim with every article's stance, or why it cannot be published."""
    statement = draft.statement.strip()
    proposed = {c.article.strip().upper(): c.sentences for c in draft.supported_by}
    evidence: list[CitedQuote] = []
    against: list[CitedQuote] = []
    agreement: dict[str, Stance] = {}
    for member in members:
        stance, cited = article_stance(member, statement, proposed.get(member.entry.id, []))
        agreement.update(dict.fromkeys(member.outlets, stance))
        (evidence if stance is Stance.SUPPORTS else against).extend(cited)
    if not evidence:
        return _Refusal(DropReason.UNSUPPORTED, "no article of the story has sentences that support it")
    source = next(m.article.text for m in members if m.entry.id == evidence[0].article)
    bad = statement_problems(statement, evidence[0].evidence, source)
    if bad:
        return _Refusal(DropReason.BAD_PROSE, "; ".join(bad), evidence[0].evidence)
    return StoryClaim(statement=statement, evidence=evidence, contradicted_by=against, agreement=agreement)


def _fresh(claim: StoryClaim, kept: Sequence[StoryClaim]) -> StoryClaim | _Refusal:
    """The claim with only evidence no earlier claim rests on (unless the two give distinct figures)."""
    if any(same_statement(claim.statement, other.statement) for other in kept):
        return _Refusal(DropReason.DUPLICATE, "the same fact as another claim of the story")
    taken = [
        (cite.article, cite.span.start, cite.span.end, other.statement) for other in kept for cite in other.evidence
    ]

    def shared(cite: CitedQuote) -> bool:
        return any(
            article == cite.article
            and start < cite.span.end
            and cite.span.start < end
            and not distinct_figures(claim.statement, statement)
            for article, start, end, statement in taken
        )

    fresh = [cite for cite in claim.evidence if not shared(cite)]
    if not fresh:
        return _Refusal(DropReason.DUPLICATE, "its evidence already carries another claim of the story")
    return claim.model_copy(update={"evidence": fresh})


# A story's claims are checked against every article three times (restating, grounding the prose, publishing):
# the same question gets the same answer, so it is answered once.
_STANCES: OrderedDict[tuple[object, ...], tuple[Stance, list[CitedQuote]]] = OrderedDict()
_STANCES_KEPT = 1024  # the claims of the stories under way; a story asks all its questions within a few moments


def article_stance(member: StoryArticle, statement: str, proposed: Sequence[int]) -> tuple[Stance, list[CitedQuote]]:
    """Whether one article supports the statement (and where), contradicts it, or does not mention it."""
    entry = member.entry
    key = (
        entry.id,
        entry.content_hash,
        tuple(member.outlets),
        tuple(tuple(claim.sentences) for claim in entry.briefing.key_claims),
        statement,
        tuple(proposed),
    )
    known = _STANCES.get(key)
    if known is None:
        known = _STANCES[key] = _article_stance(member, statement, proposed)
        if len(_STANCES) > _STANCES_KEPT:
            _STANCES.popitem(last=False)
    else:
        _STANCES.move_to_end(key)
    return known[0], list(known[1])


def _article_stance(member: StoryArticle, statement: str, proposed: Sequence[int]) -> tuple[Stance, list[CitedQuote]]:
    text = member.article.text
    sentences = split_sentences(text)
    words = wording(statement)  # None: too few content words for any evidence to support it
    for window in _candidate_windows(member, sentences, proposed):
        evidence = text[window[0].start : window[-1].end]
        # the support check's word test first: most windows fail it, and then the whole check would too
        if words is None or not words.may_support(evidence_stems(evidence)):
            continue
        if supports(statement, evidence, context=paragraph_text(text, sentences, window[0].paragraph)):
            return Stance.SUPPORTS, member.cite(window)
    for sentence in sentences:
        if contradicts(statement, text[sentence.start : sentence.end]):
            return Stance.CONTRADICTS, member.cite([sentence])
    return Stance.NOT_MENTIONED, []


def _candidate_windows(
    member: StoryArticle, sentences: Sequence[Sentence], proposed: Sequence[int]
) -> list[list[Sentence]]:
    """Where support may be: the sentences the model proposed, the article's own claims, then any one or two."""
    windows: list[list[Sentence]] = []
    cited, problem = cited_span(sentences, proposed)
    if problem is None:
        windows.append(cited)
    windows += [[sentences[n - 1] for n in claim.sentences] for claim in member.entry.briefing.key_claims]
    windows += [[s] for s in sentences]
    windows += [[a, b] for a, b in itertools.pairwise(sentences) if a.paragraph == b.paragraph]
    # the same window met again (a proposed sentence is also a claim's and a single one) would fail again
    distinct: dict[tuple[int, ...], list[Sentence]] = {}
    for window in windows:
        distinct.setdefault(tuple(sentence.number for sentence in window), window)
    return list(distinct.values())


def find_conflicts(members: Sequence[StoryArticle]) -> list[NumberConflict]:
    """Figures the story's outlets give differently, found in their own sentences."""
    mentions: list[Mention] = []
    by_id = {m.entry.id: m for m in members}
    for member in members:
        text = member.article.text
        for sentence in split_sentences(text):
            for quantity in quantities(text[sentence.start : sentence.end]):
                mentions += [
                    Mention(member.entry.id, outlet, sentence.start, sentence.end, quantity)
                    for outlet in member.outlets
                ]
    conflicts = []
    for conflict in figure_conflicts(mentions):
        values = []
        for mention in conflict.mentions:
            member = by_id[mention.article]
            sentence = next(s for s in split_sentences(member.article.text) if s.start == mention.sentence_start)
            values += [c for c in member.cite([sentence]) if c.outlet == mention.outlet]
        conflicts.append(NumberConflict(what=conflict.what, values=values))
    return conflicts


def _dropped(draft: DraftStoryClaim, refusal: _Refusal) -> DroppedClaim:
    cited = ", ".join(f"{c.article} {c.sentences}" for c in draft.supported_by) or "none"
    return DroppedClaim(
        statement=draft.statement,
        speaker=cited,
        attribution=AttributionKind.UNATTRIBUTED,
        evidence=refusal.evidence,
        kind=refusal.kind,
        reason=refusal.reason,
    )

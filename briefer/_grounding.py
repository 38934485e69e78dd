"""From the sentences a model cites to published evidence, and the checks a claim must pass to be published.

The model points at sentence numbers; briefer publishes those sentences' own text, so evidence is verbatim by
construction. A claim is published only when its statement is clean prose (``prose``), says nothing its
evidence does not (``support``), and names the speaker the article names (``attribution``, corrected rather
than trusted). Near-duplicate claims are merged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from briefer._attribution import SpeakerStatus, attribute, verify_speaker
from briefer._checks_version import CHECKS_VERSION  # bump it there when a check changes what gets published
from briefer._facts import numbers
from briefer._models import AttributionKind, DraftClaim, DroppedClaim, DropReason, KeyClaim, QuoteSpan, SpeakerCheck
from briefer._prose import quotations, same_statement, statement_problems
from briefer._sentences import Sentence, split_sentences
from briefer._support import check_support, shared_share

__all__ = [
    "CHECKS_VERSION",
    "Problem",
    "assess_claim",
    "cited_span",
    "cited_text",
    "distinct_figures",
    "drop",
    "merge_duplicates",
    "paragraph_text",
    "reassess_elsewhere",
    "relocate",
]

MIN_QUOTE_CHARS = 8  # a direct quote shorter than this is a scare quote ("so-called"), not the speaker's words


@dataclass(frozen=True)
class Problem:
    """Why a claim cannot be published as it stands, in words a re-ask or a drop reason can carry."""

    claim: DraftClaim
    kind: DropReason
    message: str


def cited_span(sentences: Sequence[Sentence], numbers: Sequence[int]) -> tuple[list[Sentence], str | None]:
    """The cited sentences, or a problem: numbers that do not exist, or that are not one consecutive run."""
    wanted = sorted(set(numbers))
    if not wanted:
        return [], "it cites no sentence"
    missing = [n for n in wanted if not 1 <= n <= len(sentences)]
    if missing:
        return [], f"sentence {missing[0]} does not exist (the article has {len(sentences)} sentences)"
    if wanted[-1] - wanted[0] != len(wanted) - 1:
        return [], f"sentences {', '.join(map(str, wanted))} are not consecutive"
    cited = [sentences[n - 1] for n in wanted]
    # evidence stays within one paragraph: the next paragraph is another speaker's or another point
    return [s for s in cited if s.paragraph == cited[0].paragraph], None


def paragraph_text(text: str, sentences: Sequence[Sentence], paragraph: int) -> str:
    """The whole paragraph that holds the given paragraph number."""
    members = [s for s in sentences if s.paragraph == paragraph]
    return text[members[0].start : members[-1].end] if members else ""


def assess_claim(text: str, claim: DraftClaim, *, outlet: str | None, repaired: bool = False) -> KeyClaim | Problem:
    """The published claim, or the first problem that stops it."""
    sentences = split_sentences(text)
    cited, problem = cited_span(sentences, claim.sentences)
    if problem is not None:
        return Problem(claim, DropReason.NOT_FOUND, problem)
    start, end = cited[0].start, cited[-1].end
    evidence = text[start:end]
    bad_prose = statement_problems(claim.statement, evidence, text)
    if bad_prose:
        return Problem(claim, DropReason.BAD_PROSE, "; ".join(bad_prose))
    context = paragraph_text(text, sentences, cited[0].paragraph)
    support = check_support(claim.statement, evidence, context=context, speaker=claim.speaker)
    if not support.supported:
        numbers = ", ".join(str(s.number) for s in cited)
        return Problem(
            claim,
            DropReason.UNSUPPORTED,
            f"sentence(s) {numbers} do not contain: {'; '.join(support.missing)}",
        )
    quote = _quoted_words(text, start, end)
    # a direct quote needs quoted words in its evidence; without them the model's label is wrong
    claimed_kind = claim.attribution
    if claimed_kind is AttributionKind.DIRECT_QUOTE and quote is None:
        claimed_kind = AttributionKind.PARAPHRASE
    verdict = verify_speaker(
        claim.speaker,
        attribute(text, sentences, [s.number for s in cited]),
        outlet=outlet,
        direct_quote=claimed_kind is AttributionKind.DIRECT_QUOTE,
    )
    return KeyClaim(
        statement=claim.statement.strip(),
        speaker=verdict.speaker,
        attribution=_attribution_kind(claimed_kind, verdict.status, quoted=quote is not None),
        evidence=evidence,
        span=QuoteSpan(start=start, end=end),
        sentences=[s.number for s in cited],
        quote=text[quote.start : quote.end] if quote else None,
        quote_span=quote,
        speaker_check=SpeakerCheck(verdict.status.value),
        claimed_speaker=claim.speaker if verdict.status is SpeakerStatus.CORRECTED else None,
        repaired=repaired,
    )


def relocate(text: str, claim: DraftClaim) -> list[int] | None:
    """The sentences that support a claim the model cited wrongly: the best-supporting run of one or two.

    A small model often states a fact the article holds and cites the wrong sentence for it. briefer finds the
    sentences itself, with the same support check, and keeps the run that shares most of the statement's words
    (the nearest to the model's citation on a tie); None when no run of the article supports the claim.
    """
    sentences = split_sentences(text)
    cited = min(claim.sentences, default=1)
    best: tuple[float, int] | None = None
    found: list[int] | None = None
    for run in _runs(sentences):
        evidence = text[run[0].start : run[-1].end]
        context = paragraph_text(text, sentences, run[0].paragraph)
        if not check_support(claim.statement, evidence, context=context, speaker=claim.speaker).supported:
            continue
        rank = (shared_share(claim.statement, evidence), -abs(run[0].number - cited) - len(run))
        if best is None or rank > best:
            best, found = rank, [s.number for s in run]
    return found


def reassess_elsewhere(
    text: str, problem: Problem, *, outlet: str | None, repaired: bool = False
) -> KeyClaim | Problem:
    """A claim whose cited sentences fail it, checked again against the sentences that support it, if any."""
    if problem.kind not in (DropReason.UNSUPPORTED, DropReason.NOT_FOUND):
        return problem
    found = relocate(text, problem.claim)
    if found is None:
        return problem
    claimed = list(problem.claim.sentences)
    result = assess_claim(text, problem.claim.model_copy(update={"sentences": found}), outlet=outlet, repaired=repaired)
    if isinstance(result, KeyClaim):
        return result.model_copy(update={"claimed_sentences": claimed})
    return result  # the right sentences, but (say) the statement copies a quotation: restated from them


def _runs(sentences: Sequence[Sentence]) -> list[list[Sentence]]:
    """Every sentence alone, and every two consecutive sentences of one paragraph."""
    pairs = [[a, b] for a, b in pairwise(sentences) if a.paragraph == b.paragraph]
    return [[s] for s in sentences] + pairs


def _attribution_kind(claimed: AttributionKind, status: SpeakerStatus, *, quoted: bool) -> AttributionKind:
    """The kind of attribution the evidence shows: a named speaker's words are not the outlet's assertion."""
    if status in (SpeakerStatus.CONFIRMED, SpeakerStatus.CORRECTED) and claimed in (
        AttributionKind.OUTLET_ASSERTION,
        AttributionKind.UNATTRIBUTED,
    ):
        return AttributionKind.DIRECT_QUOTE if quoted else AttributionKind.PARAPHRASE
    if status is SpeakerStatus.OUTLET and claimed is AttributionKind.PARAPHRASE:
        return AttributionKind.OUTLET_ASSERTION
    return claimed


def _quoted_words(text: str, start: int, end: int) -> QuoteSpan | None:
    """The longest quotation inside the evidence (its words, without the marks), if any."""
    inner = [(start + left + 1, start + right - 1) for left, right in quotations(text[start:end])]
    best = max(inner, key=lambda span: span[1] - span[0], default=None)
    if best is None or best[1] - best[0] < MIN_QUOTE_CHARS:
        return None
    return QuoteSpan(start=best[0], end=best[1])


def merge_duplicates(claims: Sequence[KeyClaim]) -> tuple[list[KeyClaim], list[KeyClaim]]:
    """Claims in article order with near-duplicates merged (the first stays), and the duplicates set aside."""
    kept: list[KeyClaim] = []
    duplicates: list[KeyClaim] = []
    for claim in sorted(claims, key=lambda c: (c.span.start, c.span.end)):
        if any(_duplicate(claim, other) for other in kept):
            duplicates.append(claim)
        else:
            kept.append(claim)
    return kept, duplicates


def _duplicate(a: KeyClaim, b: KeyClaim) -> bool:
    """The same fact twice: near-identical statements, or overlapping evidence that gives no distinct figure."""
    if a.statement.casefold() == b.statement.casefold() or same_statement(a.statement, b.statement):
        return True
    overlap = a.span.start < b.span.end and b.span.start < a.span.end
    return overlap and not distinct_figures(a.statement, b.statement)


def distinct_figures(first: str, second: str) -> bool:
    """Whether two statements each give figures and share none: different facts, even from one sentence."""
    ours = {(n.value, n.unit) for n in numbers(first)}
    theirs = {(n.value, n.unit) for n in numbers(second)}
    return bool(ours) and bool(theirs) and not ours & theirs


def drop(claim: DraftClaim | KeyClaim, kind: DropReason, reason: str, *, text: str = "") -> DroppedClaim:
    """A claim set aside, with the reason why."""
    evidence = claim.evidence if isinstance(claim, KeyClaim) else cited_text(text, claim.sentences)
    return DroppedClaim(
        statement=claim.statement,
        speaker=claim.speaker,
        attribution=claim.attribution,
        evidence=evidence,
        sentences=list(claim.sentences),
        kind=kind,
        reason=reason,
    )


def cited_text(text: str, numbers: Sequence[int]) -> str:
    """The text of the cited sentences, or "" when they are not a valid citation."""
    if not text:
        return ""
    cited, problem = cited_span(split_sentences(text), numbers)
    return "" if problem else text[cited[0].start : cited[-1].end]

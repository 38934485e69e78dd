"""From cited sentence numbers to published evidence, and the checks a claim must pass on the way."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefer._grounding import Problem, assess_claim, cited_span, merge_duplicates
from briefer._models import AttributionKind, DraftClaim, DropReason, KeyClaim, SpeakerCheck
from briefer._sentences import split_sentences

SEED = (Path(__file__).resolve().parent.parent / "examples" / "us-skeptical-of-russian-promises.txt").read_text(
    encoding="utf-8"
)


def number_of(fragment: str) -> int:
    """The number of the seed sentence holding ``fragment``."""
    return next(s.number for s in split_sentences(SEED) if fragment in SEED[s.start : s.end])


def claim(statement: str, *sentences: int, speaker: str = "John Kirby", kind: str = "paraphrase") -> DraftClaim:
    return DraftClaim(
        sentences=list(sentences), speaker=speaker, attribution=AttributionKind(kind), statement=statement
    )


def test_published_evidence_is_the_articles_own_text() -> None:
    n = number_of("A real commitment, a believable one")
    result = assess_claim(
        SEED, claim("Kirby said only a complete withdrawal of Russian forces would be real.", n), outlet="TURAN"
    )
    assert isinstance(result, KeyClaim)
    assert SEED[result.span.start : result.span.end] == result.evidence
    assert result.sentences == [n] and result.speaker_check is SpeakerCheck.CONFIRMED


def test_kirbys_words_attributed_to_biden_are_corrected() -> None:
    n = number_of("Small numbers")
    result = assess_claim(
        SEED,
        claim("Some Russian units moved away from Kyiv in small numbers.", n, speaker="Joe Biden", kind="direct_quote"),
        outlet="TURAN",
    )
    assert isinstance(result, KeyClaim)
    assert "Kirby" in result.speaker and result.speaker_check is SpeakerCheck.CORRECTED
    assert result.claimed_speaker == "Joe Biden"
    assert result.quote is not None and "Small numbers" in result.quote
    assert result.quote_span is not None and SEED[result.quote_span.start : result.quote_span.end] == result.quote


@pytest.mark.parametrize(
    ("numbers", "message"),
    [([], "cites no sentence"), ([999], "does not exist"), ([2, 5], "not consecutive"), ([0], "does not exist")],
)
def test_bad_sentence_numbers_are_not_found(numbers: list[int], message: str) -> None:
    cited, problem = cited_span(split_sentences(SEED), numbers)
    assert cited == [] and problem is not None and message in problem


def test_a_claim_its_sentence_does_not_support_is_refused_with_what_is_missing() -> None:
    n = number_of("It's still at risk")
    result = assess_claim(SEED, claim("Kirby said 15 percent of Russian troops have left Kyiv.", n), outlet="TURAN")
    assert isinstance(result, Problem) and result.kind is DropReason.UNSUPPORTED
    assert "15" in result.message


def test_a_pasted_sentence_is_not_a_statement() -> None:
    n = number_of("From the onset, Kirby said")
    pasted = SEED[split_sentences(SEED)[n - 1].start : split_sentences(SEED)[n - 1].end]
    result = assess_claim(SEED, claim(f"Quote: {pasted}", n), outlet="TURAN")
    assert isinstance(result, Problem) and result.kind is DropReason.BAD_PROSE


def test_near_duplicate_claims_are_merged_keeping_the_first() -> None:
    n = number_of("A real commitment, a believable one")
    first = assess_claim(
        SEED, claim("Kirby said a real commitment would be a complete Russian withdrawal.", n), outlet=None
    )
    second = assess_claim(
        SEED, claim("Kirby said a real commitment means a complete Russian withdrawal.", n), outlet=None
    )
    assert isinstance(first, KeyClaim) and isinstance(second, KeyClaim)
    kept, duplicates = merge_duplicates([first, second])
    assert kept == [first] and duplicates == [second]


def test_evidence_stays_within_the_first_cited_sentences_paragraph() -> None:
    n = number_of("It's still at risk")
    cited, problem = cited_span(split_sentences(SEED), [n, n + 1])
    assert problem is None and [s.number for s in cited] == [n]


RELOCATION_TEXT = (
    "The council met on Monday. The bridge will close for eight months, the mayor said.\n\n"
    "Engineers found 14 corroded cables. Shops fear losing customers.\n\n"
    "A second report also found 14 corroded cables."
)


def test_relocate_finds_the_sentence_that_supports_the_claim_nearest_the_citation() -> None:
    from briefer._grounding import relocate
    from briefer._models import DraftClaim

    claim = DraftClaim(
        sentences=[4], speaker="the outlet", attribution="outlet_assertion", statement="14 cables corroded."
    )
    assert relocate(RELOCATION_TEXT, claim) == [3]  # sentences 3 and 5 both say it; 3 is nearer the citation
    months = claim.model_copy(update={"statement": "The bridge will close for eight months.", "sentences": [1]})
    assert relocate(RELOCATION_TEXT, months) == [2]
    invented = claim.model_copy(update={"statement": "19 cables corroded."})
    assert relocate(RELOCATION_TEXT, invented) is None


KIND_TEXT = (
    "Washington on Tuesday applauded the expulsions of Russian intelligence officers across Europe.\n\n"
    "“We stand unified with our partners in this,” said John Kirby, the Pentagon press secretary.\n\n"
    "Kirby said the Russians had tried to mislead the world about their intentions."
)


@pytest.mark.parametrize(
    ("number", "statement", "speaker", "kind", "expected_speaker", "expected_kind"),
    [
        # real (the seed article): no quotation in the evidence, so no direct quote, and no one named: the outlet's
        (1, "Washington applauded the expulsions of Russian officers.", "unattributed", "direct_quote",
         "Wire", "outlet_assertion"),
        # a named speaker's words are not the outlet's assertion
        (3, "Kirby said the Russians tried to mislead the world.", "Wire", "outlet_assertion",
         "John Kirby", "paraphrase"),
        (2, "Kirby said they stand unified with their partners.", "the outlet", "unattributed",
         "John Kirby", "direct_quote"),
        (2, "Kirby said they stand unified with their partners.", "John Kirby", "paraphrase",
         "John Kirby", "paraphrase"),  # the model's label is kept when the evidence allows it
    ],
)  # fmt: skip
def test_the_attribution_kind_follows_the_evidence(
    number: int, statement: str, speaker: str, kind: str, expected_speaker: str, expected_kind: str
) -> None:
    from briefer._models import DraftClaim

    claim = DraftClaim(sentences=[number], speaker=speaker, attribution=kind, statement=statement)
    published = assess_claim(KIND_TEXT, claim, outlet="Wire")
    assert isinstance(published, KeyClaim), published
    assert (published.speaker, published.attribution.value) == (expected_speaker, expected_kind)

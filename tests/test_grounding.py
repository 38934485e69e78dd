"""Tests for the quote matcher and claim grounding: exact spans, on made-up snippets and on a real article."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from briefer.grounding import GroundingResult, drop, ground_claims, locate_quote
from briefer.models import AttributionKind, DraftClaim, DroppedClaim, KeyClaim, QuoteSpan

# A verbatim copy of a real scraped article, quirks included: "Moscow'’s", curly quotes, "...", " — ",
# NBSP and narrow NBSP, double spaces and trailing spaces.
SEED = (Path(__file__).parent / "data" / "seed_article.txt").read_text(encoding="utf-8")

LONG_GAP = "alpha beta gamma delta " + "filler " * 70 + "epsilon zeta eta theta"

# id, article text, quote, expected text[start:end] (None: not found), expected exact flag
# fmt: off
TABLE = [
    ("exact", "The minister said the budget will rise next year.", "the budget will rise next year",
     "the budget will rise next year", True),
    ("straight-apostrophe-in-quote", "Moscow’s promises were met with doubt.", "Moscow's promises were met",
     "Moscow’s promises were met", False),
    ("curly-apostrophe-in-quote", "Moscow's promises were met with doubt.", "Moscow’s promises were met",
     "Moscow's promises were met", False),
    ("curly-double-quotes-in-quote", 'They call it a "liberation" of the region.',
     "call it a “liberation” of the region", 'call it a "liberation" of the region', False),
    ("straight-double-quotes-in-quote", "They call it a “liberation” of the region.",
     'call it a "liberation" of the region', "call it a “liberation” of the region", False),
    ("single-for-double-marks", "“We'll see... I don't read anything into it,” Biden said.",
     "‘We’ll see... I don’t read anything into it,’ Biden said",
     "We'll see... I don't read anything into it,” Biden said", False),
    ("doubled-apostrophe-in-article", "It reacted to Moscow'’s promises to dial back.",
     "Moscow's promises to dial back", "Moscow'’s promises to dial back", False),
    ("em-dash-vs-spaced-hyphen", "some — but not many — Russian forces moved",
     "some - but not many - Russian forces", "some — but not many — Russian forces", False),
    ("em-dash-vs-unspaced-em-dash", "some — but not many — Russian forces moved",
     "some—but not many—Russian forces", "some — but not many — Russian forces", False),
    ("double-hyphen-vs-em-dash", "some — but not many — Russian forces moved",
     "some -- but not many", "some — but not many", False),
    ("dash-run-ends-the-span", "And then he paused -- and went on.", "and then he paused —",
     "And then he paused --", False),
    ("en-dash-vs-hyphen", "a well-known long-range missile", "well–known long–range missile",
     "well-known long-range missile", False),
    ("spaced-hyphen-vs-em-dash", 'military objectives" - Pentagon officials said.',
     'objectives"—Pentagon officials said', 'objectives" - Pentagon officials said', False),
    ("whitespace-run-in-article", "the talks\n\n  will   resume on Friday", "the talks will resume on Friday",
     "the talks\n\n  will   resume on Friday", False),
    ("newline-in-quote", "the talks will resume on Friday.", "the talks\nwill  resume on Friday",
     "the talks will resume on Friday", False),
    ("nbsp-in-article", 'told reporters.\u00a0 "But we believe it', 'reporters. "But we believe',
     'reporters.\u00a0 "But we believe', False),
    ("nbsp-in-quote", "Prime Minister Lee Hsien Loong", "Prime\u00a0Minister Lee Hsien",
     "Prime Minister Lee Hsien", False),
    ("zero-width-in-article", "the war\u200b could end\u202ftoday", "the war could end today",
     "the war\u200b could end\u202ftoday", False),
    ("case", "The Talks Will Resume On Friday", "the talks will resume on friday",
     "The Talks Will Resume On Friday", False),
    ("model-wraps-in-quotes", "“We’ll see... I don’t read anything into it,” Biden said.",
     "\"We'll see... I don't read anything into it\"", "We’ll see... I don’t read anything into it", False),
    ("model-wraps-in-article-quotes", 'He said "we will not back down" today.', '"we will not back down"',
     '"we will not back down"', True),
    ("model-wraps-in-other-quotes", "He said “we will not back down” today.", '"we will not back down"',
     "we will not back down", True),
    ("trailing-period-not-in-article", "We think so. Small numbers, he told reporters.",
     "We think so. Small numbers.", "We think so. Small numbers", False),
    ("trailing-period-in-article", "We think so. Small numbers.", "we think so. small numbers.",
     "We think so. Small numbers.", False),
    ("ellipsis-char-vs-dots", "“We'll see... I don't read anything into it”", "We'll see… I don't read anything",
     "We'll see... I don't read anything", False),
    ("dots-vs-ellipsis-char", "“We'll see… I don't read anything into it”", "We'll see... I don't read anything",
     "We'll see… I don't read anything", False),
    ("elision-bridging-sentences", "Has there been some movement? Yeah. We think so. Small numbers, he said.",
     "Has there been some movement? ... We think so.", "Has there been some movement? Yeah. We think so", False),
    ("bracketed-elision", "The leaders affirmed their determination to continue raising costs on Russia.",
     "The leaders affirmed […] raising costs on Russia",
     "The leaders affirmed their determination to continue raising costs on Russia", False),
    ("spaced-dots-elision", "The leaders affirmed their determination to continue raising costs on Russia.",
     "The leaders affirmed . . . raising costs on Russia",
     "The leaders affirmed their determination to continue raising costs on Russia", False),
    ("leading-elision-not-in-article", "The war could end today if he chose.", "… the war could end today",
     "The war could end today", False),
    ("parts-out-of-order", "First the army advanced. Then the talks stalled.",
     "the talks stalled ... the army advanced", None, False),
    ("parts-too-far-apart", LONG_GAP, "alpha beta gamma ... epsilon zeta eta", None, False),
    ("part-too-slight", "Has there been some movement? Yeah. We think so.", "Has there been some movement ... Yeah",
     None, False),
    ("paraphrase", "determination to continue raising costs on Russia", "continue to raise costs on Russia",
     None, False),
    ("paraphrase-in-elision", "determination to continue raising costs on Russia",
     "determination to continue ... raise costs on Russia", None, False),
    ("too-short-chars", "Yes. We think so. Small numbers.", "We think so", None, False),
    ("too-few-words", "Yes. We think so. Small numbers.", "Small numbers.", None, False),
    ("empty-quote", "Anything at all can be written here.", "", None, False),
    ("blank-quote", "Anything at all can be written here.", " \n\u00a0 ", None, False),
    ("only-an-ellipsis", "Anything at all... can be written here.", "“...”", None, False),
    ("not-in-text", "The minister said the budget will rise next year.", "the budget will fall next year",
     None, False),
    ("first-of-identical-occurrences", "we will see what happens. Later: we will see what happens.",
     "we will see what happens", "we will see what happens", True),
    ("first-of-normalised-occurrences", "We’ll see what happens. Later: We'll see what happens.",
     "we'll see what happens", "We’ll see what happens", False),
]
# fmt: on


@pytest.mark.parametrize(
    ("text", "quote", "expected", "exact"), [row[1:] for row in TABLE], ids=[row[0] for row in TABLE]
)
def test_locate_quote_table(text: str, quote: str, expected: str | None, exact: bool) -> None:
    span = locate_quote(text, quote)
    if expected is None:
        assert span is None
        return
    assert span is not None
    assert text[span.start : span.end] == expected
    assert span.start == text.index(expected)
    assert span.exact is exact


def _seed_slice(first: str, last: str) -> str:
    """The seed article from the first occurrence of `first` to the end of the next `last` after it."""
    start = SEED.index(first)
    return SEED[start : SEED.index(last, start) + len(last)]


# quote as a model might give it, expected SEED[start:end] (None: not found), expected exact flag
# fmt: off
SEED_TABLE = [
    ("Has there been some movement by some Russian units away from Kyiv in the last day or so?",
     "Has there been some movement by some Russian units away from Kyiv in the last day or so?", True),
    ("\"We'll see... I don't read anything into it until I see what their actions are.\"",
     "We'll see... I don't read anything into it until I see what their actions are", False),
    ("We’ve seen that Russia has attempted now for going on a month to sell this war",
     "We've seen that Russia has attempted now for going on a month to sell this war", False),
    ("reacted with deep skepticism to Moscow's promises to dial back operations",
     "reacted with deep skepticism to Moscow'’s promises to dial back operations", False),
    ("Reports show that some - but not many - Russian forces have indeed moved away from the area.",
     "Reports show that some — but not many — Russian forces have indeed moved away from the area.", False),
    ('Small numbers," John Kirby, Pentagon Press Secretary told reporters. "But we believe',
     'Small numbers," John Kirby, Pentagon Press Secretary told reporters.\u00a0 "But we believe', False),
    ("as a ‘liberation of the Donbas… However, the intensified rhetoric",
     "as a 'liberation of the Donbas...\u00a0 However, the intensified rhetoric", False),
    ("… The war could end today if Mr. Putin did the right thing",
     "... The war could end today if Mr. Putin did the right thing", False),
    ("Has there been some movement by some Russian units away from Kyiv ... But we believe that this is a "
     "repositioning, not a real withdrawal",
     _seed_slice("Has there been", "not a real withdrawal"), False),
    ("The United States, together with our allies and partners… are going to continue to provide that support",
     _seed_slice("The United States, together", "provide that support"), False),
    ("the Russian Federation's aggression in Ukraine", "the Russian Federation’s aggression in Ukraine", False),
    ("The leaders affirmed their determination to raise costs on Russia", None, False),
    ("Kirby said the Russians have attempted to mislead the world", None, False),
]
# fmt: on


@pytest.mark.parametrize(("quote", "expected", "exact"), SEED_TABLE)
def test_locate_quote_in_seed_article(quote: str, expected: str | None, exact: bool) -> None:
    span = locate_quote(SEED, quote)
    if expected is None:
        assert span is None
        return
    assert span is not None
    assert SEED[span.start : span.end] == expected
    assert span.start == SEED.index(expected)
    assert span.exact is exact


def test_seed_repeated_phrase_matches_first_occurrence() -> None:
    phrase = "between Ukrainian and Russian officials"
    first = SEED.index(phrase)
    assert SEED.find(phrase, first + 1) != -1  # the phrase really does occur twice
    assert locate_quote(SEED, phrase) == QuoteSpan(start=first, end=first + len(phrase), exact=True)
    assert locate_quote(SEED, phrase.upper()) == QuoteSpan(start=first, end=first + len(phrase), exact=False)


def _random_substrings(rng: random.Random, count: int) -> list[tuple[int, int]]:
    """Offsets of random substrings of the seed with enough words to count as evidence."""
    found: list[tuple[int, int]] = []
    while len(found) < count:
        start = rng.randrange(len(SEED) - 20)
        end = min(len(SEED), start + rng.randint(20, 200))
        if len(" ".join(SEED[start:end].split())) >= 20 and len(re.findall(r"[A-Za-z]+", SEED[start:end])) >= 6:
            found.append((start, end))
    return found


def test_random_substrings_are_found_exactly() -> None:
    for start, end in _random_substrings(random.Random(20240611), 200):
        piece = SEED[start:end].strip()
        span = locate_quote(SEED, SEED[start:end])
        assert span is not None, piece
        assert span.exact
        assert SEED[span.start : span.end] == piece
        assert span.start <= start + SEED[start:end].index(piece)


def _mangle(text: str) -> str:
    """Rewrite a passage the way a model might copy it: straight quotes, hyphens, single spaces, other case."""
    table = {ord("’"): "'", ord("‘"): "'", ord("“"): '"', ord("”"): '"', ord("—"): " - "}
    return " ".join(text.translate(table).split()).swapcase()


def _words(text: str) -> list[str]:
    """The passage's words alone, casefolded: a check independent of the matcher's own normalisation."""
    return re.findall(r"[^\W_]+", text.casefold())


def test_random_mangled_substrings_map_back_to_the_article() -> None:
    rng = random.Random(7)
    tokens = [m for m in re.finditer(r"\S+", SEED) if re.search(r"[^\W_]", m.group())]
    for _ in range(200):
        first = rng.randrange(len(tokens) - 4)
        last = rng.randrange(first + 3, min(len(tokens), first + 40))
        start = tokens[first].start() + re.search(r"[^\W_]", tokens[first].group()).start()
        end = tokens[last].start() + max(m.end() for m in re.finditer(r"[^\W_]", tokens[last].group()))
        span = locate_quote(SEED, _mangle(SEED[start:end]))
        assert span is not None, SEED[start:end]
        assert _words(SEED[span.start : span.end]) == _words(SEED[start:end])
        assert span.start < start or (span.start, span.end) == (start, end)
        assert SEED[span.start : span.end] == SEED[span.start : span.end].strip()


def _claim(statement: str, quote: str, speaker: str = "John Kirby") -> DraftClaim:
    return DraftClaim(statement=statement, speaker=speaker, attribution=AttributionKind.DIRECT_QUOTE, quote=quote)


def test_ground_claims_splits_verified_and_unverified() -> None:
    found = _claim("Some Russian units moved away from Kyiv.", "some movement by some Russian units away from Kyiv")
    missing = _claim("Russia has fully withdrawn.", "Russia has completed its withdrawal from Ukraine")
    also_missing = _claim("Kirby was brief.", "Yeah.")
    result = ground_claims(SEED, [missing, found, also_missing])
    assert isinstance(result, GroundingResult)
    assert result.unverified == [missing, also_missing]
    start = SEED.index("some movement by some Russian units away from Kyiv")
    assert result.verified == [
        KeyClaim(
            statement="Some Russian units moved away from Kyiv.",
            speaker="John Kirby",
            attribution=AttributionKind.DIRECT_QUOTE,
            quote="some movement by some Russian units away from Kyiv",
            span=QuoteSpan(start=start, end=start + 50, exact=True),
            repaired=False,
        )
    ]


def test_ground_claims_quotes_the_articles_wording() -> None:
    quote = '"Moscow\'s promises to dial back operations in Ukraine."'
    claim = _claim("Moscow promised to scale back.", quote, "outlet")
    (verified,) = ground_claims(SEED, [claim]).verified
    assert verified.quote == "Moscow'’s promises to dial back operations in Ukraine"
    assert SEED[verified.span.start : verified.span.end] == verified.quote
    assert not verified.span.exact


def test_ground_claims_removes_duplicates_only() -> None:
    quote = "this is a repositioning, not a real withdrawal"
    first = _claim("It is a repositioning.", quote)
    same = _claim("  it is a REPOSITIONING. ", "This is a repositioning, not a real withdrawal.")
    other_statement = _claim("It is not a withdrawal.", quote)
    other_span = _claim("It is a repositioning.", "we believe that this is a repositioning")
    result = ground_claims(SEED, [first, same, other_statement, other_span])
    assert [claim.statement for claim in result.verified] == [
        "It is a repositioning.",
        "It is not a withdrawal.",
        "It is a repositioning.",
    ]
    assert result.verified[0].span != result.verified[2].span
    assert result.unverified == []


def test_ground_claims_marks_repaired_claims() -> None:
    claim = _claim("Biden is waiting for actions.", "I don't read anything into it until I see what their actions are")
    assert [c.repaired for c in ground_claims(SEED, [claim], repaired=True).verified] == [True]
    assert [c.repaired for c in ground_claims(SEED, [claim]).verified] == [False]


def test_ground_claims_of_nothing() -> None:
    assert ground_claims(SEED, []) == GroundingResult(verified=[], unverified=[])


def test_drop_keeps_the_claim_and_reason() -> None:
    claim = _claim("Russia has fully withdrawn.", "Russia has completed its withdrawal")
    assert drop(claim, "quote not found after re-ask") == DroppedClaim(
        statement="Russia has fully withdrawn.",
        speaker="John Kirby",
        attribution=AttributionKind.DIRECT_QUOTE,
        quote="Russia has completed its withdrawal",
        reason="quote not found after re-ask",
    )

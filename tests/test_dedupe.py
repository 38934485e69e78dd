"""Duplicate detection: wire copy briefed once, whatever the page around it."""

from __future__ import annotations

from pathlib import Path

from briefer.dedupe import find_duplicates
from briefer.ingest import load_article
from briefer.models import Article, Source
from tests.conftest import EXAMPLES

BODY = " ".join(f"Sentence {i} about the harbour budget and the council vote on the new ferry pier." for i in range(12))


def test_example_wire_copies_point_at_the_wire_original() -> None:
    paths = sorted((EXAMPLES / "morning" / "articles").glob("*.html"))
    groups = find_duplicates([load_article(str(p)) for p in paths])
    assert len(groups) == 1
    names = lambda indices: sorted(Path(paths[i]).name for i in indices)  # noqa: E731
    assert names([groups[0].original]) == ["metro-wire--reserve-bank-cuts-rate.html"]
    assert names(groups[0].duplicates) == [
        "coastline-daily--reserve-bank-cuts-rate.html",
        "northshore-courier--rate-cut-relief-for-borrowers.html",
    ]


def test_exact_after_normalising_and_near_with_a_sentence_trimmed() -> None:
    original = Article(text=BODY, source=Source(outlet="Wire", published="2026-11-24"))
    spaced = Article(text="  " + BODY.replace(" ", "  ").upper(), source=Source(outlet="A", published="2026-11-25"))
    trimmed = Article(text=BODY.rsplit("Sentence 11", 1)[0], source=Source(outlet="B", published="2026-11-25"))
    other = Article(text=BODY.replace("harbour budget", "stadium loan").replace("ferry pier", "stand"), source=Source())
    groups = find_duplicates([spaced, other, original, trimmed])
    assert [(g.original, sorted(g.duplicates)) for g in groups] == [(2, [0, 3])]


def test_short_texts_only_match_exactly() -> None:
    a = Article(text="The council met on Monday.")
    b = Article(text="The council met on Tuesday.")
    assert find_duplicates([a, b]) == []

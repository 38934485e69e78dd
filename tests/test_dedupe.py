"""Duplicate detection: wire copy briefed once, whatever the page around it."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from briefer._dedupe import MIN_WORDS_FOR_NEAR, SHINGLE_WORDS, DuplicateGroup, _near_pairs, find_duplicates, normalise
from briefer._ingest import load_article
from briefer._models import Article, Source
from tests.conftest import EXAMPLES, ROOT

# 24 different sentences of 16 words, so that shingles are distinct
SENTENCES = [
    f"The harbour board said on day {i} that pier {i} would need repairs costing {i * 7} million." for i in range(1, 25)
]
BODY = " ".join(SENTENCES)


def article(text: str, outlet: str | None = None, published: str | None = None, author: str | None = None):
    return Article(text=text, source=Source(outlet=outlet, published=published, author=author))


def jaccard(a: str, b: str) -> float:
    def grams(text: str) -> set[str]:
        words = normalise(text).split()
        return {" ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}

    return len(grams(a) & grams(b)) / len(grams(a) | grams(b))


def pairs(groups: list[DuplicateGroup]) -> list[tuple[int, list[int]]]:
    return [(g.original, sorted(g.duplicates)) for g in groups]


def test_example_wire_copies_point_at_the_wire_original() -> None:
    paths = sorted((EXAMPLES / "morning" / "articles").glob("*.html"))
    groups = find_duplicates([load_article(str(p)) for p in paths])
    assert len(groups) == 1
    names = lambda indices: sorted(Path(paths[i]).name for i in indices)  # noqa: E731
    # same date on all three: the copies' byline ("Metro Wire Service") names the original's outlet
    assert names([groups[0].original]) == ["metro-wire--reserve-bank-cuts-rate.html"]
    assert names(groups[0].duplicates) == [
        "coastline-daily--reserve-bank-cuts-rate.html",
        "northshore-courier--rate-cut-relief-for-borrowers.html",
    ]


def test_exact_duplicate_despite_case_whitespace_quotes_and_dashes() -> None:
    text = 'He said "the pier — built in 1902 — is safe" and it\'s open.\n\nThe board agreed.'
    styled = "  HE SAID “the pier – built in 1902 – is safe”   and it’s open.\nThe   board agreed. "
    assert normalise(text) == normalise(styled)
    assert pairs(find_duplicates([article(text), article(styled)])) == [(0, [1])]


def test_near_duplicate_with_new_headline_and_a_sentence_trimmed_is_found() -> None:
    wire = "Harbour board approves pier repairs\n\n" + BODY
    trimmed = "Pier repair bill tops 100 million\n\n" + BODY.replace(SENTENCES[7] + " ", "")
    assert 0.8 <= jaccard(wire, trimmed) < 1.0
    groups = find_duplicates([article(trimmed, "Courier"), article(wire, "Wire")])
    assert pairs(groups) == [(0, [1])]  # no dates, no byline: the first is kept


def test_same_topic_different_article_is_not_a_duplicate() -> None:
    own = (
        "Harbour board approves pier repairs after a long debate. The board's own engineers had warned in "
        "spring that the piers were failing. Fishermen said they had waited years for the work, and the "
        "harbour master said the cost, which runs to many millions, would be shared with the port authority. "
        "Repairs to pier 3 will start first, the board said, because its deck is in the worst state. Work on "
        "the other piers will follow over the next two years, and boats will be moved while crews are on site."
    )
    assert len(own.split()) >= MIN_WORDS_FOR_NEAR
    assert find_duplicates([article(BODY), article(own)]) == []


def test_the_example_valley_post_rate_story_is_not_a_copy_of_the_wire() -> None:
    folder = EXAMPLES / "morning" / "articles"
    wire = load_article(str(folder / "metro-wire--reserve-bank-cuts-rate.html"))
    own = load_article(str(folder / "valley-post--rate-cut-valley-homeowners.html"))
    assert find_duplicates([wire, own]) == []


def test_copies_of_copies_form_one_group() -> None:
    # b drops the first two sentences of a, c the last four of b: a~b and b~c, but a and c are further apart
    a = BODY
    b = " ".join(SENTENCES[2:])
    c = " ".join(SENTENCES[2:20])
    assert jaccard(a, b) >= 0.8 and jaccard(b, c) >= 0.8 and jaccard(a, c) < 0.8
    other = " ".join(s.replace("harbour board", "rail office").replace("pier", "station") for s in SENTENCES)
    groups = find_duplicates([article(c), article(other), article(a), article(b)])
    assert pairs(groups) == [(0, [2, 3])]


def test_near_pairs_are_exactly_the_pairs_at_the_threshold() -> None:
    """Prefix filtering misses no pair an all-pairs comparison finds, and finds no other."""
    rng = random.Random(7)
    vocabulary = [f"g{n}" for n in range(400)]
    shingles: dict[int, set[str]] = {}
    for i in range(120):
        if i % 3 and i > 3:  # a near copy of an earlier set: some shingles dropped, some new
            base = sorted(shingles[rng.randrange(i)])
            kept = {gram for gram in base if rng.random() > rng.choice([0.05, 0.12, 0.2, 0.3])}
            shingles[i] = kept | {f"new{i}-{k}" for k in range(rng.randrange(4))} or {"empty"}
        else:
            shingles[i] = set(rng.sample(vocabulary, rng.randrange(5, 60)))
    every_pair = [
        (i, j)
        for i in shingles
        for j in shingles
        if i < j and len(shingles[i] & shingles[j]) / len(shingles[i] | shingles[j]) >= 0.8
    ]
    assert len(every_pair) > 20  # the set holds pairs on both sides of the threshold
    assert _near_pairs(shingles, 0.8) == sorted(every_pair)


def test_original_is_the_earliest_published_then_the_byline_then_the_first() -> None:
    copies = [
        article(BODY, "Courier", "2026-11-24T09:00:00+00:00"),
        article(BODY, "Wire", "2026-11-24T08:00:00+01:00"),  # 07:00 UTC: the earliest
        article(BODY, "Post"),
    ]
    assert pairs(find_duplicates(copies)) == [(1, [0, 2])]
    same_day = [article(BODY, "Courier", "2026-11-24", "Wire"), article(BODY, "Wire", "2026-11-24")]
    assert pairs(find_duplicates(same_day)) == [(1, [0])]
    bylined = [article(BODY, "Courier", author="By Metro Wire staff"), article(BODY, "Metro Wire", author="Ann Lee")]
    assert pairs(find_duplicates(bylined)) == [(1, [0])]
    undated = [article(BODY, "Courier"), article(BODY), article(BODY, "Post")]
    assert pairs(find_duplicates(undated)) == [(0, [1, 2])]


def test_short_texts_only_match_exactly() -> None:
    short = "The council met on Monday and approved the harbour budget without debate."
    assert len(short.split()) < MIN_WORDS_FOR_NEAR
    near = short.replace("Monday", "Tuesday")
    assert find_duplicates([article(short), article(near)]) == []
    assert pairs(find_duplicates([article(short), article(near), article(short.upper())])) == [(0, [2])]


def test_empty_texts_are_not_duplicates_of_each_other() -> None:
    assert find_duplicates([article(""), article("  \n"), article("")]) == []


def test_threshold_decides_how_near_is_near() -> None:
    half = " ".join(SENTENCES[:6] + [s.replace("pier", "quay").replace("board", "trust") for s in SENTENCES[6:]])
    assert 0.3 < jaccard(BODY, half) < 0.8
    assert find_duplicates([article(BODY), article(half)]) == []
    assert pairs(find_duplicates([article(BODY), article(half)], threshold=0.3)) == [(0, [1])]


SCRIPT = """
import json, sys
from briefer._dedupe import find_duplicates
from briefer._models import Article
texts = json.loads(sys.stdin.read())
print(json.dumps([[g.original, g.duplicates] for g in find_duplicates([Article(text=t) for t in texts])]))
"""


@pytest.mark.parametrize("seeds", [("1", "2")])
def test_same_input_same_groups_whatever_the_hash_seed(seeds: tuple[str, str]) -> None:
    texts = [BODY, " ".join(SENTENCES[2:]), " ".join(SENTENCES[2:20]), BODY.upper(), "short text"] * 3
    outputs = set()
    for seed in seeds:
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", SCRIPT], input=json.dumps(texts), capture_output=True, text=True, env=env, cwd=ROOT
        )
        assert done.returncode == 0, done.stderr
        outputs.add(done.stdout)
    assert len(outputs) == 1
    assert json.loads(outputs.pop()) == [[0, [1, 2, 3, 5, 6, 7, 8, 10, 11, 12, 13]], [4, [9, 14]]]

"""Duplicate articles (wire copy run by several outlets): exact after normalising, and near (MinHash + Jaccard).

Exact: the same text once case, whitespace, quote marks and dashes are normalised. Near: word 5-shingles,
MinHash signatures in an LSH index propose candidate pairs, and each pair is kept only when the exact
Jaccard similarity of the two shingle sets reaches the threshold, so the estimate never decides alone.
Copies of copies form one group. Everything is seeded and ordered, so the same input gives the same groups.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from briefer._models import Article

__all__ = ["MIN_WORDS_FOR_NEAR", "SHINGLE_WORDS", "DuplicateGroup", "find_duplicates", "normalise"]

SHINGLE_WORDS = 5
MIN_WORDS_FOR_NEAR = 50
NUM_PERM = 128
SEED = 1

_QUOTES = str.maketrans({c: "'" for c in "‘’‚‛′`´"} | {c: '"' for c in "“”„‟″«»"} | {c: "-" for c in "‐‑‒–—―−"})
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"[^\W_]+(?:['.,-][^\W_]+)*")


@dataclass(frozen=True)
class DuplicateGroup:
    """The article kept (earliest; on a tie the outlet its copies' bylines name; else the first) and its copies."""

    original: int
    duplicates: list[int]


def normalise(text: str) -> str:
    """Text with case, runs of whitespace, curly or straight quote marks and dash variants made uniform."""
    return _SPACE.sub(" ", text.translate(_QUOTES).casefold()).strip()


def _shingles(words: list[str]) -> set[str]:
    return {" ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}


def find_duplicates(articles: Sequence[Article], *, threshold: float = 0.8) -> list[DuplicateGroup]:
    """Groups of exact or near-duplicate articles, only those with at least one copy, ordered by original."""
    texts = [normalise(article.text) for article in articles]
    parent = list(range(len(articles)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(i: int, j: int) -> None:
        a, b = root(i), root(j)
        parent[max(a, b)] = min(a, b)

    first_with: dict[str, int] = {}
    for i, text in enumerate(texts):
        if text:  # two empty pages are not the same article
            key = hashlib.sha256(text.encode("utf-8")).hexdigest()
            join(first_with.setdefault(key, i), i)
    shingles = {
        i: _shingles(words) for i, text in enumerate(texts) if len(words := _WORD.findall(text)) >= MIN_WORDS_FOR_NEAR
    }
    for i, j in _near_pairs(shingles, threshold):
        join(i, j)
    return _groups(articles, [root(i) for i in range(len(articles))])


def _near_pairs(shingles: dict[int, set[str]], threshold: float) -> list[tuple[int, int]]:
    """Pairs the LSH index proposes whose exact shingle Jaccard similarity reaches ``threshold``."""
    from briefer._minhash import Signatures, bands

    if len(shingles) < 2:
        return []
    hasher = Signatures(NUM_PERM, SEED)
    signatures = {i: hasher.of(gram.encode("utf-8") for gram in sorted(grams)) for i, grams in shingles.items()}
    pairs = set()
    for i, j in Signatures.candidates(signatures, *bands(threshold, NUM_PERM)):
        a, b = shingles[i], shingles[j]
        if len(a & b) / len(a | b) >= threshold:
            pairs.add((i, j))
    return sorted(pairs)


def _original(articles: Sequence[Article], indices: list[int]) -> int:
    """The earliest published; on a tie, the outlet the copies' bylines name; else the first."""
    latest = datetime.max.replace(tzinfo=UTC)
    # syndicated copy names its origin in the byline ("Metro Wire Service staff"), which settles ties on date
    bylines = [author.casefold() for i in indices if (author := articles[i].source.author)]

    def named(i: int) -> bool:
        outlet = (articles[i].source.outlet or "").casefold()
        return bool(outlet) and any(outlet in byline for byline in bylines)

    return min(indices, key=lambda i: (articles[i].source.published_at or latest, not named(i), i))


def _groups(articles: Sequence[Article], roots: list[int]) -> list[DuplicateGroup]:
    members: dict[int, list[int]] = {}
    for i, r in enumerate(roots):
        members.setdefault(r, []).append(i)
    groups = []
    for indices in members.values():
        if len(indices) > 1:
            original = _original(articles, indices)
            groups.append(DuplicateGroup(original=original, duplicates=[i for i in indices if i != original]))
    return sorted(groups, key=lambda group: group.original)

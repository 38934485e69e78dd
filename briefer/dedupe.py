"""Duplicate articles (wire copy run by several outlets): exact after normalising, and near (MinHash + Jaccard)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from briefer.models import Article

__all__ = ["DuplicateGroup", "find_duplicates"]

SHINGLE_WORDS = 5
MIN_WORDS_FOR_NEAR = 50
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class DuplicateGroup:
    """An article kept (the outlet the others' bylines name, else the earliest, else the first) and its copies."""

    original: int
    duplicates: list[int]


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def _shingles(words: list[str]) -> set[str]:
    return {" ".join(words[i : i + SHINGLE_WORDS]) for i in range(max(1, len(words) - SHINGLE_WORDS + 1))}


def find_duplicates(articles: Sequence[Article], *, threshold: float = 0.8) -> list[DuplicateGroup]:
    """Groups of exact or near-duplicate articles (only groups with at least one copy)."""
    words = [_words(a.text) for a in articles]
    parent = list(range(len(articles)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    exact: dict[str, int] = {}
    for i, tokens in enumerate(words):
        key = hashlib.sha256(" ".join(tokens).encode()).hexdigest()
        if key in exact:
            parent[root(i)] = root(exact[key])
        exact.setdefault(key, i)
    for i, j in _near_pairs(words, threshold):
        parent[root(j)] = root(i)
    return _groups(articles, [root(i) for i in range(len(articles))])


def _near_pairs(words: list[list[str]], threshold: float) -> list[tuple[int, int]]:
    """Pairs MinHash LSH proposes, kept only when their exact shingle Jaccard reaches ``threshold``."""
    from datasketch import MinHash, MinHashLSH

    eligible = [i for i, tokens in enumerate(words) if len(tokens) >= MIN_WORDS_FOR_NEAR]
    shingles = {i: _shingles(words[i]) for i in eligible}
    lsh = MinHashLSH(threshold=threshold, num_perm=128)
    signatures = {}
    for i in eligible:
        signature = MinHash(num_perm=128, seed=1)
        signature.update_batch([s.encode() for s in shingles[i]])
        signatures[i] = signature
        lsh.insert(str(i), signature)
    pairs = []
    for i in eligible:
        for candidate in lsh.query(signatures[i]):
            j = int(candidate)
            if j > i and len(shingles[i] & shingles[j]) / len(shingles[i] | shingles[j]) >= threshold:
                pairs.append((i, j))
    return sorted(pairs)


def _groups(articles: Sequence[Article], roots: list[int]) -> list[DuplicateGroup]:
    members: dict[int, list[int]] = {}
    for i, r in enumerate(roots):
        members.setdefault(r, []).append(i)
    groups = []
    for indices in members.values():
        if len(indices) < 2:
            continue
        # wire copy names its origin in the byline ("Metro Wire Service"): that outlet's article is the original
        bylines = {(articles[i].source.author or "").casefold() for i in indices}
        original = min(
            indices,
            key=lambda i: (
                (articles[i].source.outlet or "").casefold() not in bylines,
                articles[i].source.published or "9999",
                i,
            ),
        )
        groups.append(DuplicateGroup(original=original, duplicates=[i for i in indices if i != original]))
    return sorted(groups, key=lambda g: g.original)

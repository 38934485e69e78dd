"""briefer's MinHash signatures and LSH bands are datasketch's: the same candidate pairs, without scipy."""

from __future__ import annotations

import random

import pytest
from datasketch import MinHash, MinHashLSH
from datasketch.lsh import _optimal_param

from briefer._dedupe import _WORD, NUM_PERM, SEED, _near_pairs, _shingles, normalise
from briefer._minhash import Signatures, bands
from tests.conftest import EXAMPLES, ROOT


def _datasketch_pairs(shingles: dict[int, set[str]], threshold: float) -> list[tuple[int, int]]:
    """_near_pairs as it was written on datasketch's MinHash and MinHashLSH."""
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    signatures = {}
    for i, grams in shingles.items():
        signature = MinHash(num_perm=NUM_PERM, seed=SEED)
        signature.update_batch([gram.encode("utf-8") for gram in sorted(grams)])
        signatures[i] = signature
        lsh.insert(i, signature)
    pairs = set()
    for i, signature in signatures.items():
        for j in lsh.query(signature):
            a, b = shingles[i], shingles[j]
            if i < j and len(a & b) / len(a | b) >= threshold:
                pairs.add((i, j))
    return sorted(pairs)


def _texts() -> list[str]:
    folders = [EXAMPLES, ROOT / "tests" / "data", ROOT / "bench"]
    return [path.read_text(encoding="utf-8", errors="replace") for f in folders for path in sorted(f.rglob("*.txt"))]


def _edited(text: str, rng: random.Random, share: float) -> str:
    """The text with a share of its words dropped: copies near and far."""
    return " ".join(word for word in text.split() if rng.random() >= share)


def test_signatures_are_datasketchs() -> None:
    hasher = Signatures(NUM_PERM, SEED)
    for text in _texts()[:40]:
        grams = _shingles(_WORD.findall(normalise(text))) or {"x"}
        theirs = MinHash(num_perm=NUM_PERM, seed=SEED)
        theirs.update_batch([gram.encode("utf-8") for gram in sorted(grams)])
        assert hasher.of(gram.encode("utf-8") for gram in sorted(grams)).tolist() == theirs.hashvalues.tolist()


@pytest.mark.parametrize("threshold", [0.5, 0.8, 0.9])
def test_bands_are_datasketchs(threshold: float) -> None:
    assert bands(threshold, NUM_PERM) == _optimal_param(threshold, NUM_PERM, 0.5, 0.5)


def test_near_pairs_are_datasketchs() -> None:
    """Real articles and copies of them with 1 to 10 percent of the words dropped: pairs found and missed alike."""
    rng = random.Random(7)
    texts = [text for text in _texts() if len(_WORD.findall(normalise(text))) >= 60][:60]
    texts += [_edited(text, rng, rng.choice([0.01, 0.02, 0.03, 0.04, 0.06, 0.1])) for text in texts for _ in range(2)]
    shingles = {i: _shingles(_WORD.findall(normalise(text))) for i, text in enumerate(texts)}
    pairs = _near_pairs(shingles, 0.8)
    assert pairs == _datasketch_pairs(shingles, 0.8)
    assert len(pairs) >= 20

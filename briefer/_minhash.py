"""MinHash signatures and LSH banding, as datasketch 2 computes them, in numpy alone.

datasketch's index imports scipy (for the integral that picks its bands), which alone is more memory than the
rest of a morning of a thousand articles; briefer needs only the signatures and the buckets. The signatures
are datasketch's "affine32" MinHash (SHA-1 of each item, the MurmurHash3 finalizer, then ``a * h + b`` modulo
2**32 with parameters drawn from ``RandomState(seed)``) and the bands are its MinHashLSH's for the same
threshold, so the candidate pairs are the same (tests/test_minhash.py compares the two).
"""

from __future__ import annotations

import hashlib
import struct
from collections import defaultdict
from collections.abc import Iterable

import numpy as np
import numpy.typing as npt

__all__ = ["Signatures", "bands"]

# datasketch's _optimal_param for the thresholds briefer uses: (bands, rows per band)
_KNOWN_BANDS = {(0.8, 128): (9, 13)}
_FMIX = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35), np.uint32(16))


def bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """The bands and rows per band datasketch's MinHashLSH chooses for the threshold (equal error weights)."""
    known = _KNOWN_BANDS.get((threshold, num_perm))
    if known is not None:
        return known
    from datasketch.lsh import _optimal_param  # imports scipy: only for a threshold not seen before

    best: tuple[int, int] = _optimal_param(threshold, num_perm, 0.5, 0.5)
    if best[0] < 2:
        raise ValueError("The number of bands are too small (b < 2)")  # as datasketch's index refuses it
    return best


class Signatures:
    """MinHash signatures of item sets under one seed, and the pairs that share a band of them."""

    def __init__(self, num_perm: int, seed: int) -> None:
        generator = np.random.RandomState(seed)
        self.a = generator.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
        self.b = generator.randint(0, 1 << 32, num_perm, dtype=np.uint32)
        self.num_perm = num_perm

    def of(self, items: Iterable[bytes]) -> npt.NDArray[np.uint32]:
        """The signature of a set of items (their minimum under each permutation)."""
        empty = np.full(self.num_perm, np.uint32(0xFFFFFFFF), dtype=np.uint32)
        hashes = [struct.unpack("<I", hashlib.sha1(item).digest()[:4])[0] for item in items]
        if not hashes:
            return empty
        values = _fmix(np.array(hashes, dtype=np.uint32).reshape(-1, 1))
        permuted = values * self.a + self.b
        result: npt.NDArray[np.uint32] = np.minimum(empty, permuted.min(axis=0))
        return result

    @staticmethod
    def candidates(signatures: dict[int, npt.NDArray[np.uint32]], band_count: int, rows: int) -> set[tuple[int, int]]:
        """Pairs (i < j) whose signatures agree on every row of at least one band."""
        pairs: set[tuple[int, int]] = set()
        for band in range(band_count):
            buckets: defaultdict[bytes, list[int]] = defaultdict(list)
            for key, signature in signatures.items():
                buckets[signature[band * rows : (band + 1) * rows].tobytes()].append(key)
            for keys in buckets.values():
                pairs.update((i, j) for i in keys for j in keys if i < j)
        return pairs


def _fmix(values: npt.NDArray[np.uint32]) -> npt.NDArray[np.uint32]:
    """The MurmurHash3 32-bit finalizer (multiplication wraps around, as intended)."""
    s1, m1, s2, m2, s3 = _FMIX
    values = values ^ (values >> s1)
    values = values * m1
    values = values ^ (values >> s2)
    values = values * m2
    result: npt.NDArray[np.uint32] = values ^ (values >> s3)
    return result

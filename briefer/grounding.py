"""Find each claim's evidence quote in the article text, and keep only the claims whose quotes are really there.

A quote is looked up exactly first, then on a normalised form of quote and article (case, spacing, quote
marks, dashes and ellipses unified) whose index map leads back to the article's own characters, and last as
parts separated by an elision ("...", "[...]") found in order close together.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from briefer.models import DraftClaim, DroppedClaim, KeyClaim, QuoteSpan

__all__ = [
    "MAX_ELISION_GAP",
    "MIN_QUOTE_CHARS",
    "MIN_QUOTE_WORDS",
    "GroundingResult",
    "drop",
    "ground_claims",
    "locate_quote",
]

MIN_QUOTE_CHARS = 12
MIN_QUOTE_WORDS = 3
# every part of an elided quote must say something on its own: a lone "so" would match almost anywhere
MIN_PART_WORDS = 2
MAX_ELISION_GAP = 400

_SINGLE_QUOTES = "'‘’‚‛′`´"
_DOUBLE_QUOTES = '"“”„‟″«»'
_DASHES = "-‐‑‒–—―−"
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_TRANSLATION = str.maketrans(
    # single and double marks are one class: models swap ’ for ” as freely as curly for straight
    {char: '"' for char in _SINGLE_QUOTES}
    | {char: '"' for char in _DOUBLE_QUOTES}
    | {char: "-" for char in _DASHES}
    | {char: None for char in _INVISIBLE}
    | {"…": "..."}
)
# a run of any of these reads the same as one: "''" as an apostrophe, "--" as a dash, any spacing
_COLLAPSING = frozenset(" '\"-")
_WRAPPING = " '\""
_TRAILING = ".,;:"
_ELISION = re.compile(r"\[?\s*\.(?:\s?\.){2,}\s*\]?")
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")


class _Normalised(NamedTuple):
    text: str
    starts: tuple[int, ...]  # the original offset of each normalised character
    ends: tuple[int, ...]  # the original offset just past everything that character stands for


@dataclass(frozen=True)
class GroundingResult:
    """Claims whose quotes were found, and claims whose quotes were not (candidates for a re-ask)."""

    verified: list[KeyClaim]
    unverified: list[DraftClaim]


def _canonical(char: str) -> str:
    """The normalised form of one character: "" for invisible ones, one space for any whitespace."""
    if char.isspace():
        return " "
    return char.translate(_TRANSLATION).casefold()


@lru_cache(maxsize=16)
def _normalise(text: str) -> _Normalised:
    """Normalise the text, recording for every normalised character which original characters it covers."""
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for index, char in enumerate(text):
        out = _canonical(char)
        if not out or (out == " " and chars and chars[-1] == "-"):
            continue
        if out == "-" and chars and chars[-1] == " ":
            # spacing around a dash varies between writers: "a — b", "a-b" and "a - b" all read "a-b"
            del chars[-1], starts[-1], ends[-1]
        if out in _COLLAPSING and chars and chars[-1] == out:
            ends[-1] = index + 1
            continue
        for piece in out:
            chars.append(piece)
            starts.append(index)
            ends.append(index + 1)
    return _Normalised("".join(chars), tuple(starts), tuple(ends))


def _long_enough(quote: str) -> bool:
    """Whether a normalised quote is long enough to count as evidence."""
    return len(quote) >= MIN_QUOTE_CHARS and len(_WORD.findall(quote)) >= MIN_QUOTE_WORDS


def _find_exact(text: str, quote: str) -> QuoteSpan | None:
    """The first verbatim occurrence of the quote, as given or without the double quotes wrapped around it."""
    stripped = quote.strip()
    for raw in dict.fromkeys((stripped, stripped.strip(_DOUBLE_QUOTES).strip())):
        at = text.find(raw) if raw else -1
        if at != -1:
            return QuoteSpan(start=at, end=at + len(raw), exact=True)
    return None


def _to_span(text: str, norm: _Normalised, start: int, end: int) -> QuoteSpan:
    """Map a normalised [start, end) back to the original text, trimmed of surrounding whitespace."""
    first, last = norm.starts[start], norm.ends[end - 1]
    while first < last and (text[first].isspace() or text[first] in _INVISIBLE):
        first += 1
    while last > first and (text[last - 1].isspace() or text[last - 1] in _INVISIBLE):
        last -= 1
    return QuoteSpan(start=first, end=last, exact=False)


def _variants(wanted: str) -> list[str]:
    """The normalised quote, and without its final punctuation, which the article may not have at that spot."""
    shorter = wanted.rstrip(_TRAILING).strip(_WRAPPING)
    return [wanted, shorter] if shorter != wanted and _long_enough(shorter) else [wanted]


def _split_elision(quote: str) -> list[str] | None:
    """The parts of a quote around its elisions, or None when it has none or a part is too slight to place."""
    pieces = _ELISION.split(quote)
    if len(pieces) < 2:
        return None
    parts = [part for piece in pieces if (part := piece.strip(_WRAPPING + _TRAILING))]
    if not parts or any(len(_WORD.findall(part)) < MIN_PART_WORDS for part in parts):
        return None
    return parts if _long_enough(" ".join(parts)) else None


def _chain(norm: str, parts: Sequence[str], end: int) -> int | None:
    """Where the parts end when each follows the previous within the gap, or None."""
    for part in parts:
        # the earliest next match leaves the most room for the parts after it
        at = norm.find(part, end, end + MAX_ELISION_GAP + len(part))
        if at == -1:
            return None
        end = at + len(part)
    return end


def _find_parts(norm: str, parts: Sequence[str]) -> tuple[int, int] | None:
    """The first normalised [start, end) where the parts occur in order, each close after the one before."""
    start = norm.find(parts[0])
    while start != -1:
        end = _chain(norm, parts[1:], start + len(parts[0]))
        if end is not None:
            return start, end
        start = norm.find(parts[0], start + 1)
    return None


def _find_normalised(text: str, wanted: str) -> QuoteSpan | None:
    """Find the normalised quote whole, then, failing that, as parts around its elisions."""
    norm = _normalise(text)
    candidates = _variants(wanted)
    for candidate in candidates:
        at = norm.text.find(candidate)
        if at != -1:
            return _to_span(text, norm, at, at + len(candidate))
    for candidate in candidates:
        parts = _split_elision(candidate)
        found = _find_parts(norm.text, parts) if parts else None
        if found is not None:
            return _to_span(text, norm, *found)
    return None


def locate_quote(text: str, quote: str) -> QuoteSpan | None:
    """Where the quote stands in the text (first occurrence), or None when absent or too short to be evidence."""
    wanted = _normalise(quote).text.strip(_WRAPPING)
    if not _long_enough(wanted):
        return None
    return _find_exact(text, quote) or _find_normalised(text, wanted)


def ground_claims(text: str, claims: Sequence[DraftClaim], *, repaired: bool = False) -> GroundingResult:
    """Split claims into verified ones, quoting the article's own wording, and ones whose quotes were not found."""
    verified: list[KeyClaim] = []
    unverified: list[DraftClaim] = []
    seen: set[tuple[int, int, str]] = set()
    for claim in claims:
        span = locate_quote(text, claim.quote)
        if span is None:
            unverified.append(claim)
            continue
        key = (span.start, span.end, claim.statement.strip().casefold())
        if key in seen:
            continue
        seen.add(key)
        verified.append(
            KeyClaim(
                statement=claim.statement,
                speaker=claim.speaker,
                attribution=claim.attribution,
                quote=text[span.start : span.end],
                span=span,
                repaired=repaired,
            )
        )
    return GroundingResult(verified=verified, unverified=unverified)


def drop(claim: DraftClaim, reason: str) -> DroppedClaim:
    """A claim set aside because its quote could not be verified, with the reason why."""
    return DroppedClaim(
        statement=claim.statement,
        speaker=claim.speaker,
        attribution=claim.attribution,
        quote=claim.quote,
        reason=reason,
    )

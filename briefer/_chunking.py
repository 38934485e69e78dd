"""Splitting an article that does not fit the model's context into chunks on paragraph boundaries.

Token counts are estimated from characters (no tokenizer download at run time): English news prose runs
at about four characters a token, and 3.2 is used so the estimate errs on the side of smaller chunks.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

__all__ = ["Chunk", "estimate_tokens", "split_article"]

CHARS_PER_TOKEN = 3.2
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_SENTENCE_BREAK = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"'”’)]))\s+(?=[A-Z\"“‘(])")


@dataclass(frozen=True)
class Chunk:
    """A contiguous slice of the article: ``article[start:start + len(text)] == text``."""

    index: int
    start: int
    text: str

    @property
    def end(self) -> int:
        """Offset just past the chunk in the article."""
        return self.start + len(self.text)


def estimate_tokens(text: str) -> int:
    """A deliberately high estimate of the tokens ``text`` takes."""
    return math.ceil(len(text) / CHARS_PER_TOKEN)


def split_article(text: str, budget_tokens: int) -> list[Chunk]:
    """Split ``text`` into chunks of at most ``budget_tokens``, on paragraph, then sentence boundaries."""
    if budget_tokens <= 0:
        raise ValueError("budget_tokens must be positive")
    limit = int(budget_tokens * CHARS_PER_TOKEN)
    if len(text) <= limit:
        return [Chunk(0, 0, text)]
    pieces = [piece for span in _spans(text, _PARAGRAPH_BREAK) for piece in _fit(text, span, limit)]
    chunks: list[Chunk] = []
    start, end = pieces[0]
    for piece_start, piece_end in pieces[1:]:
        if piece_end - start <= limit:
            end = piece_end
            continue
        chunks.append(Chunk(len(chunks), start, text[start:end]))
        start, end = piece_start, piece_end
    chunks.append(Chunk(len(chunks), start, text[start:end]))
    return chunks


def _spans(text: str, separator: re.Pattern[str], start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of the non-empty pieces of ``text[start:end]`` between separators."""
    stop = len(text) if end is None else end
    spans, cursor = [], start
    for match in separator.finditer(text, start, stop):
        if text[cursor : match.start()].strip():
            spans.append((cursor, match.start()))
        cursor = match.end()
    if text[cursor:stop].strip():
        spans.append((cursor, stop))
    return spans


def _fit(text: str, span: tuple[int, int], limit: int) -> list[tuple[int, int]]:
    """A paragraph as is when it fits, else its sentences, else hard slices of ``limit`` characters."""
    start, end = span
    if end - start <= limit:
        return [span]
    pieces: list[tuple[int, int]] = []
    for sentence_start, sentence_end in _spans(text, _SENTENCE_BREAK, start, end):
        pieces.extend((cut, min(cut + limit, sentence_end)) for cut in range(sentence_start, sentence_end, limit))
    return pieces

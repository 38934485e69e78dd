"""An article's sentences, numbered once, with offsets: what the model cites as evidence and briefer publishes.

Segmentation is sentencex's (rule-based, ~300 languages: abbreviations, initials, decimals, quotations);
briefer adds what it leaves open for news text: paragraphs are always boundaries, offsets point into the
article, a sentence-final closing bracket and the particle after it stay with their sentence (Japanese
「…。」と述べた), fragments without a letter join the sentence before them, and an unpunctuated run is cut
so that no "sentence" swallows a whole article.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["MAX_SENTENCE_CHARS", "Sentence", "language_of", "numbered", "split_sentences"]

# Evidence is one to three sentences; a run of text with no sentence end must not pass for one.
MAX_SENTENCE_CHARS = 700
_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")
_LINE = re.compile(r"\n")
# A fragment that continues the sentence before it: lower case, a closing mark, or a Japanese particle.
_CONTINUATION = re.compile(r"^(?:[a-z]|[”’」』)\]]|[とっもや](?![。！？]))")


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence: ``text[start:end]``, numbered from 1 in article order, and its paragraph (from 0)."""

    number: int
    start: int
    end: int
    paragraph: int


def language_of(text: str) -> str:
    """The sentencex language code that fits the text's script: ja, zh, th, ko, or en for the rest."""
    counts = {"kana": 0, "han": 0, "thai": 0, "hangul": 0}
    for char in text[:4000]:
        if "\u3040" <= char <= "\u30ff":
            counts["kana"] += 1
        elif "\u4e00" <= char <= "\u9fff":
            counts["han"] += 1
        elif "\u0e00" <= char <= "\u0e7f":
            counts["thai"] += 1
        elif "\uac00" <= char <= "\ud7af":
            counts["hangul"] += 1
    if counts["kana"] >= 5:
        return "ja"
    best = max(("han", "thai", "hangul"), key=lambda key: counts[key])
    if counts[best] >= 20:
        return {"han": "zh", "thai": "th", "hangul": "ko"}[best]
    return "en"


@lru_cache(maxsize=32768)  # every check of an article asks again: a morning of 10,000 keeps them all
def split_sentences(text: str) -> tuple[Sentence, ...]:
    """The article's sentences in order; every sentence lies inside one paragraph."""
    language = language_of(text)
    sentences: list[Sentence] = []
    for paragraph, (start, end) in enumerate(_paragraphs(text)):
        for piece_start, piece_end in _segment(text, start, end, language):
            sentences.append(Sentence(len(sentences) + 1, piece_start, piece_end, paragraph))
    return tuple(sentences)


def numbered(text: str, sentences: Sequence[Sentence]) -> str:
    """The sentences as the model sees them: ``[n] sentence``, paragraphs separated by a blank line."""
    lines: list[str] = []
    previous = None
    for sentence in sentences:
        if previous is not None and sentence.paragraph != previous:
            lines.append("")
        lines.append(f"[{sentence.number}] {' '.join(text[sentence.start : sentence.end].split())}")
        previous = sentence.paragraph
    return "\n".join(lines)


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraph spans: blank-line separated when the text has blank lines, else one per line."""
    separator = _BLANK_LINE if _BLANK_LINE.search(text) else _LINE
    spans, cursor = [], 0
    for match in [*separator.finditer(text), None]:
        stop = match.start() if match else len(text)
        trimmed = _trim(text, cursor, stop)
        if trimmed is not None:
            spans.append(trimmed)
        cursor = match.end() if match else stop
    return spans


def _segment(text: str, start: int, end: int, language: str) -> list[tuple[int, int]]:
    """Sentence spans within one paragraph."""
    import sentencex

    paragraph = text[start:end]
    spans: list[tuple[int, int]] = []
    cursor = 0
    for piece in sentencex.segment(language, paragraph):
        stripped = piece.strip()
        if not stripped:
            continue
        at = paragraph.find(stripped, cursor)
        if at == -1:  # the segmenter changed the text: keep the rest whole rather than guess offsets
            break
        spans.append((start + at, start + at + len(stripped)))
        cursor = at + len(stripped)
    if cursor < len(paragraph) and paragraph[cursor:].strip():
        rest = _trim(text, start + cursor, end)
        if rest is not None:
            spans.append(rest)
    return [cut for span in _joined(text, spans) for cut in _cut_long(text, span)]


def _joined(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join fragments that continue the sentence before them."""
    joined: list[tuple[int, int]] = []
    for start, end in spans:
        piece = text[start:end]
        if joined and (_CONTINUATION.match(piece) or not any(_is_letter(char) for char in piece)):
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined


def _cut_long(text: str, span: tuple[int, int]) -> list[tuple[int, int]]:
    """Cut an over-long sentence at clause punctuation or spaces, so evidence stays readable."""
    start, end = span
    cuts: list[tuple[int, int]] = []
    while end - start > MAX_SENTENCE_CHARS:
        window = text[start : start + MAX_SENTENCE_CHARS]
        at = max(window.rfind(mark) for mark in ("; ", ", ", "；", "，", "、", " "))
        stop = start + (at + 1 if at > MAX_SENTENCE_CHARS // 2 else MAX_SENTENCE_CHARS)
        trimmed = _trim(text, start, stop)
        if trimmed is not None:
            cuts.append(trimmed)
        start = stop
    trimmed = _trim(text, start, end)
    if trimmed is not None:
        cuts.append(trimmed)
    return cuts


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span without surrounding whitespace (incl. no-break and zero-width spaces), or None when blank."""
    while start < end and _is_blank(text[start]):
        start += 1
    while end > start and _is_blank(text[end - 1]):
        end -= 1
    return (start, end) if start < end else None


def _is_blank(char: str) -> bool:
    return char.isspace() or unicodedata.category(char) == "Cf"


def _is_letter(char: str) -> bool:
    return unicodedata.category(char)[0] in "LN"

"""Who the article says spoke a claim's evidence, and the speaker briefer may publish for it.

Deterministic and model-free: quotation marks, attribution cues ("said", "told reporters", "according to",
表示, と述べた), names and roles next to them, continuing quotes and pronouns that lead back to the nearest
named speaker. briefer never publishes a speaker the article does not support. The cues and speaker phrases of
one sentence are read in ``attribution_cues``, the words they are made of listed in ``attribution_words``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from briefer import _attribution_words as w
from briefer._attribution_cues import MASK, Mention, introducer, sentence_mentions, subject, tokens_of
from briefer._sentences import Sentence

__all__ = [
    "UNATTRIBUTED",
    "Attribution",
    "SpeakerStatus",
    "SpeakerVerdict",
    "attribute",
    "same_speaker",
    "verify_speaker",
]

UNATTRIBUTED = "unattributed"
_AFTER_QUOTE = re.compile(r"[\s\-–—,:]*")


class SpeakerStatus(StrEnum):
    """How the published speaker relates to the one the model claimed."""

    CONFIRMED = "confirmed"
    CORRECTED = "corrected"
    UNATTRIBUTED = "unattributed"
    OUTLET = "outlet"


@dataclass(frozen=True, slots=True)
class Attribution:
    """Who the article says spoke some sentences: its own wording of the name, the cue, and where it stands."""

    name: str | None
    cue: str | None
    sentence: int | None


@dataclass(frozen=True, slots=True)
class SpeakerVerdict:
    """The speaker briefer publishes for a claim, and how it relates to the model's."""

    speaker: str
    status: SpeakerStatus
    claimed: str


@dataclass(frozen=True, slots=True)
class _Quote:
    start: int
    end: int
    paragraph: int
    speaker: Mention | None


@dataclass(frozen=True, slots=True)
class _Analysis:
    sentences: tuple[Sentence, ...]
    starts: tuple[int, ...]
    masked: str
    mentions: tuple[Mention, ...]
    quotes: tuple[_Quote, ...]
    names: tuple[str, ...]  # every name the article gives a speaker or a sentence's subject, in order


def attribute(text: str, sentences: Sequence[Sentence], evidence: Sequence[int]) -> Attribution:
    """Who the article says spoke the evidence sentences (numbers as in Sentence.number)."""
    analysis = _analyse(text, tuple(sorted(sentences, key=lambda s: s.start)))
    wanted = set(evidence)
    cited = [s for s in analysis.sentences if s.number in wanted]
    if not cited:
        return Attribution(None, None, None)
    lo, hi = cited[0].start, cited[-1].end
    quoted = [q for q in analysis.quotes if q.start < hi and q.end > lo]
    overlap = sum(min(q.end, hi) - max(q.start, lo) for q in quoted)
    mentions = [m for m in analysis.mentions if lo <= m.cue_at < hi]
    best = max(quoted, key=lambda q: min(q.end, hi) - max(q.start, lo), default=None)
    choice: Mention | None = None
    if best is not None and best.speaker is not None and 2 * overlap >= hi - lo:
        choice = best.speaker
    if choice is None:
        choice = next((m for m in mentions if m.name), None) or next(iter(mentions), None)
    if choice is None:
        choice = next((q.speaker for q in quoted if q.speaker), None)
    if choice is None and not quoted:
        choice = _continued_report(analysis, cited[0])
    if choice is None:
        return Attribution(None, None, None)
    if choice.name is None:
        return Attribution(None, choice.cue, None)
    return Attribution(_fullest(choice.name, analysis.names), choice.cue, _number_at(analysis, choice.name_at))


def verify_speaker(claimed: str, attribution: Attribution, *, outlet: str | None, direct_quote: bool) -> SpeakerVerdict:
    """The speaker to publish: the article's when it names one, else "unattributed" or the outlet."""
    if attribution.name is not None:
        status = SpeakerStatus.CONFIRMED if same_speaker(claimed, attribution.name) else SpeakerStatus.CORRECTED
        return SpeakerVerdict(attribution.name, status, claimed)
    if direct_quote or _names_someone(claimed, outlet):
        return SpeakerVerdict(UNATTRIBUTED, SpeakerStatus.UNATTRIBUTED, claimed)
    return SpeakerVerdict(outlet or "the outlet", SpeakerStatus.OUTLET, claimed)


def same_speaker(a: str, b: str) -> bool:
    """Whether two wordings name the same speaker, titles and roles aside ("Biden" ~ "President Joe Biden")."""
    if w.has_cjk(a) or w.has_cjk(b):
        shorter, longer = sorted((w.CJK_ROLES.sub("", "".join(x.split())) for x in (a, b)), key=len)
        return bool(shorter) and shorter in longer
    left, right = _identity(a), _identity(b)
    if not left or not right:
        return bool(left == right and w.plain_words(a) and w.plain_words(a) == w.plain_words(b))
    short, long = sorted((left, right), key=len)
    return set(short) <= set(long) and short[-1] == long[-1]


# --- the article, read once per text ---------------------------------------------------------------------------


@lru_cache(maxsize=32)
def _analyse(text: str, sentences: tuple[Sentence, ...]) -> _Analysis:
    """Quotes, cues and speakers of the whole article."""
    paragraphs: dict[int, tuple[int, int]] = {}
    for s in sentences:
        lo, hi = paragraphs.get(s.paragraph, (s.start, s.end))
        paragraphs[s.paragraph] = (min(lo, s.start), max(hi, s.end))
    spans = [(a, b, p) for p, (lo, hi) in sorted(paragraphs.items()) for a, b in _quote_spans(text, lo, hi)]
    masked = _masked(text, [(a, b) for a, b, _ in spans])
    found: list[Mention] = []
    subjects: list[Mention] = []
    for sentence in sentences:
        tokens = tokens_of(masked, sentence.start, sentence.end)
        found += sentence_mentions(text, masked, sentence, tokens)
        opening = subject(text, sentence, tokens)
        subjects += [opening] if opening else []
    mentions = _resolved(sorted(found, key=lambda m: m.cue_at), subjects)
    quotes = _quote_speakers(masked, spans, mentions, paragraphs)
    names = tuple(m.name for m in sorted([*mentions, *subjects], key=lambda m: m.at) if m.name)
    return _Analysis(sentences, tuple(s.start for s in sentences), masked, tuple(mentions), quotes, names)


def _quote_spans(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """Quoted passages of one paragraph; one left open runs to the paragraph's end (a continuing quote)."""
    double = any(mark in text[lo:hi] for mark in '"“”„«»「」『』')
    marks = re.compile(r'["“”„«»「」『』＂]' if double else r"(?<![\w])‘|’(?![\w])")
    spans: list[tuple[int, int]] = []
    opened, opener = -1, ""
    for match in marks.finditer(text, lo, hi):
        mark = match.group()
        if opened < 0:
            if mark != "’":  # an apostrophe, not an opening quote
                opened, opener = match.start(), mark
        elif (mark in '"＂') == (opener in '"＂') and mark not in "“„«「『‘":
            spans.append((opened, match.end()))
            opened = -1
    if opened >= 0:
        spans.append((opened, hi))
    return spans


def _masked(text: str, spans: Sequence[tuple[int, int]]) -> str:
    pieces, cursor = [], 0
    for start, end in spans:
        pieces += [text[cursor:start], MASK * (end - start)]
        cursor = end
    return "".join([*pieces, text[cursor:]])


def _quote_speakers(
    masked: str,
    spans: Sequence[tuple[int, int, int]],
    mentions: Sequence[Mention],
    paragraphs: dict[int, tuple[int, int]],
) -> tuple[_Quote, ...]:
    """Each quote's speaker: the cue right after it, else the last one before it in its paragraph, else (for a
    paragraph that opens with a quote) the speaker of the paragraphs before."""
    quotes: list[_Quote] = []
    by_at = {m.at: m for m in mentions}
    for start, end, paragraph in spans:
        lo, hi = paragraphs[paragraph]
        gap = _AFTER_QUOTE.match(masked, end, hi)
        after = gap.end() if gap else end
        speaker = by_at.get(after) or introducer(masked, lo, start, mentions)
        if speaker is None:
            speaker = next((m for m in reversed(mentions) if lo <= m.cue_at < start and m.name), None)
        if speaker is None and start == lo:
            speaker = _continuing(paragraph, mentions, quotes, paragraphs)
        quotes.append(_Quote(start, end, paragraph, speaker))
    return tuple(quotes)


def _continuing(
    paragraph: int, mentions: Sequence[Mention], quotes: Sequence[_Quote], paragraphs: dict[int, tuple[int, int]]
) -> Mention | None:
    """The nearest named speaker in the paragraphs before, unless a paragraph in the outlet's own voice intervenes."""
    for earlier in sorted((p for p in paragraphs if p < paragraph), reverse=True):
        lo, hi = paragraphs[earlier]
        named = [(m.cue_at, m) for m in mentions if lo <= m.cue_at < hi and m.name]
        spoken = [(q.start, q.speaker) for q in quotes if q.paragraph == earlier and q.speaker]
        if named or spoken:
            return max(named + spoken, key=lambda pair: pair[0])[1]
        if not any(q.paragraph == earlier for q in quotes):
            return None
    return None


def _continued_report(analysis: _Analysis, first: Sentence) -> Mention | None:
    """A sentence with no cue of its own that opens by pointing back ("It's still at risk") to reported speech just
    before it in its paragraph continues that speech."""
    index = analysis.sentences.index(first)
    if index == 0 or analysis.sentences[index - 1].paragraph != first.paragraph:
        return None
    opening = analysis.masked[first.start : first.end].split(maxsplit=1)[:1]
    if not opening or opening[0].casefold().replace("’", "'") not in w.ANAPHORIC_OPENERS:
        return None
    before = analysis.sentences[index - 1]
    if analysis.masked[before.start : before.end].count(MASK) * 2 > before.end - before.start:
        return None
    return next((m for m in analysis.mentions if before.start <= m.cue_at < before.end and m.name), None)


def _resolved(mentions: Sequence[Mention], subjects: Sequence[Mention]) -> list[Mention]:
    """Pronouns and "the minister" resolved to the nearest earlier named speaker, or named subject, that fits."""
    done: list[Mention] = []
    for mention in mentions:
        if mention.anaphor is None:
            done.append(mention)
            continue
        earlier = [m for m in done if m.name] + [m for m in subjects if m.at < mention.at]
        done.append(_antecedent(mention, sorted(earlier, key=lambda m: m.at)))
    return done


def _antecedent(mention: Mention, earlier: Sequence[Mention]) -> Mention:
    named = [m for m in reversed(earlier) if m.name]
    role = mention.anaphor
    if role in w.PERSONAL_PRONOUNS:  # "she" is no ministry
        named = [m for m in named if not any(w.is_org(x) for x in w.plain_words(m.name or ""))]
    elif role not in w.PRONOUNS and role not in w.CJK_PRONOUNS:
        named = [m for m in named if role in {w.singular(x) for x in w.plain_words(m.phrase)}]
        if not named:
            return mention
    if not named:
        return Mention(mention.at, mention.cue_at, mention.cue, None, -1, mention.phrase)
    found = named[0]
    return Mention(mention.at, mention.cue_at, mention.cue, found.name, found.name_at, found.phrase)


def _fullest(name: str, names: Sequence[str]) -> str:
    """A bare surname in the article's fuller wording ("Kirby" -> "John Kirby") when the article has one."""
    if " " in name or not name[:1].isupper():
        return name
    for full in names:
        if full.endswith(" " + name) and all(x[:1].isupper() for x in full.split()):
            return full
    return name


def _number_at(analysis: _Analysis, at: int) -> int | None:
    index = bisect_right(analysis.starts, at) - 1
    return analysis.sentences[index].number if index >= 0 else None


# --- names -----------------------------------------------------------------------------------------------------------


def _identity(name: str) -> list[str]:
    """The words that identify a speaker once titles, roles, connectors and affiliations are set aside."""
    words = name.split()
    cut = next((i for i in range(1, len(words)) if _affiliation_at(words, i)), len(words))
    return [w.singular(x) for x in w.plain_words(" ".join(words[:cut])) if not w.is_role(x) and x not in w.CONNECTORS]


def _affiliation_at(words: Sequence[str], i: int) -> bool:
    """Where "a shop owner in Kushiro" or "Jane Doe of the Red Cross" turns from the speaker to a place or body."""
    if words[i] in w.LOCATORS:
        return w.is_role(words[i - 1]) or w.is_org(words[i - 1])
    return words[i] in w.AFFILIATIONS and i >= 2 and all(w.is_name_word(x) for x in words[:i])


def _names_someone(claimed: str, outlet: str | None) -> bool:
    """Whether the model named a person (not the outlet, not a generic "the article")."""
    words = w.plain_words(claimed)
    if not words or all(x in w.GENERIC for x in words):
        return False
    if outlet and same_speaker(claimed, outlet):
        return False
    return not any(x in w.ORGS for x in words)

"""Attribution cues within one sentence of an article, and the speaker phrase each one names.

Works on the article's text with its quotations masked, so that only the article's own voice is read: a "said"
inside a quote is the quoted speaker's word, not a cue.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from briefer import _attribution_words as w
from briefer._sentences import Sentence

__all__ = ["MASK", "Mention", "Token", "introducer", "sentence_mentions", "subject", "tokens_of"]

MASK = "\ufffc"  # stands in for quoted text
_JA_TOPIC = re.compile(r"([^、。\s\ufffc「」]{1,24}?)[はが]")


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int
    brk: bool  # punctuation (or quoted text) stands between this token and the one before
    comma: bool = False  # that punctuation is a comma: what sets off an apposition


@dataclass(frozen=True, slots=True)
class Mention:
    """An attribution cue in the article's own voice, with the speaker it names (or refers back to)."""

    at: int  # where the attribution begins: a quote right before it belongs to it
    cue_at: int
    cue: str
    name: str | None
    name_at: int
    phrase: str  # the full wording, roles included ("Pentagon Press Secretary John Kirby")
    anaphor: str | None = None  # "he", "the minister": resolved to an earlier speaker


def tokens_of(masked: str, lo: int, hi: int) -> list[Token]:
    """Words of ``masked[lo:hi]``; a sentence-final period is a break, not part of the word."""
    tokens: list[Token] = []
    cursor, period = lo, False
    for match in w.WORD.finditer(masked, lo, hi):
        word, end = match.group(), match.end()
        gap = masked[cursor : match.start()].strip()
        brk = period or bool(gap)
        period = word.endswith(".") and not w.ABBREVIATION.fullmatch(word)
        if period:
            word, end = word[:-1], end - 1
        tokens.append(Token(word, match.start(), end, brk, gap == ","))
        cursor = match.end()
    return tokens


def sentence_mentions(text: str, masked: str, sentence: Sentence, tokens: Sequence[Token]) -> list[Mention]:
    """Every cue of the sentence that names (or refers to) a speaker."""
    found: list[Mention] = []
    for match in w.EN_CUE.finditer(masked, sentence.start, sentence.end):
        mention = _english_mention(text, tokens, match)
        if mention is not None:
            found.append(mention)
    for pattern in (w.ZH_CUE, w.JA_CUE):
        for match in pattern.finditer(masked, sentence.start, sentence.end):
            mention = _cjk_mention(text, masked, sentence.start, match)
            if mention is not None:
                found.append(mention)
    return found


def subject(text: str, sentence: Sentence, tokens: Sequence[Token]) -> Mention | None:
    """A sentence that opens with a titled or full name ("State Senator Joan Whitby visited…"): what a later "she"
    may refer to even without a cue."""
    if not tokens or tokens[0].start != sentence.start:
        return None
    first = _past_dateline(tokens)
    end = _opening_phrase(tokens, first)
    words = [t.text for t in tokens[first : end + 1]]
    start, stop = _name_span(words)
    person = bool(words) and all(w.is_name_word(x) for x in words[start:stop]) and (stop - start > 1 or start > 0)
    body = sum(x[:1].isupper() for x in words) > 1 and any(w.is_org(x) for x in words)  # "The Reserve Bank of X"
    if not person and not body:
        return _apposed_subject(text, tokens)
    named = tokens[first + start : first + stop] if person else tokens[first : end + 1]
    name = text[named[0].start : named[-1].end]
    phrase = _with_role(text, tokens, (first, end))
    return Mention(tokens[first].start, named[0].start, "", name, named[0].start, phrase)


def _past_dateline(tokens: Sequence[Token]) -> int:
    """Where the sentence starts after a dateline ("PORT HALLORAN — The Reserve Bank…")."""
    cut = next((i for i in range(1, len(tokens)) if tokens[i].brk), 0)
    return cut if cut and all(t.text.isupper() for t in tokens[:cut]) else 0


def _opening_phrase(tokens: Sequence[Token], first: int) -> int:
    """The last token of the names and titles a sentence opens with (-1: it opens with something else)."""
    end, i = -1, first
    while i < len(tokens) and (i == first or not tokens[i].brk):
        kind = w.kind(tokens[i].text)
        role_next = i + 1 < len(tokens) and w.is_role(tokens[i + 1].text) and not tokens[i + 1].brk
        opening_det = kind == "det" and i == first
        if kind == "head":
            end = i
        elif not (kind == "connector" and end >= 0) and not (kind == "modifier" and role_next) and not opening_det:
            break
        i += 1
    return end


def _apposed_subject(text: str, tokens: Sequence[Token]) -> Mention | None:
    """A full name set off by commas, after a short opening ("Her Green counterpart, Jonas Albrecht, struck…") or
    before its role ("…, Samira Haddad-Ruiz, Kessel's senior vice president for markets, walked…")."""
    cuts = [i for i, t in enumerate(tokens) if t.brk and i]
    segments = list(zip([0, *cuts], [*cuts, len(tokens)], strict=True))
    for (lo, hi), (after, end) in itertools.pairwise(segments[1:]):
        named = tokens[lo:hi]
        if len(named) < 2 or not all(w.is_name_word(t.text) for t in named):
            continue
        if lo <= 5 or (end - after <= 8 and any(w.is_role(w.bare(t.text)) for t in tokens[after:end])):
            name = text[named[0].start : named[-1].end]
            return Mention(
                named[0].start, named[0].start, "", name, named[0].start, _with_role(text, tokens, (lo, hi - 1))
            )
    return None


def introducer(masked: str, lo: int, start: int, mentions: Sequence[Mention]) -> Mention | None:
    """The speaker of the clause a colon leads from into the quote at ``start`` ("Blinken, however, disagreed: …")."""
    head = masked[lo:start].rstrip()
    if not head.endswith(":"):
        return None
    sentence_at = max(head.rfind(mark, 0, len(head) - 1) for mark in (".", "!", "?", MASK)) + 1
    tokens = tokens_of(masked, lo + sentence_at, lo + len(head) - 1)
    breaks = [0, *(i for i, t in enumerate(tokens) if t.brk and i)]
    for begin, stop in reversed(list(zip(breaks, [*breaks[1:], len(tokens)], strict=True))):
        cued = [m for m in mentions if tokens[begin].start <= m.cue_at < tokens[stop - 1].end and m.name]
        if cued:
            return cued[-1]
        first = begin + (w.kind(tokens[begin].text) == "connector")  # "…, and Bob Rees agreed:"
        span = _speaker_after(tokens, first, strict=False)
        if span is not None and span[0] == first and any(w.kind(t.text) == "modifier" for t in tokens[span[1] :]):
            return _mention(masked, tokens, span, lo + len(head) - 1, ":")  # a verb follows: not a headline
    return None


def _english_mention(text: str, tokens: Sequence[Token], match: re.Match[str]) -> Mention | None:
    """The speaker of one English cue: before it ("Kirby said"), or after it ("said Kirby", "according to X")."""
    cue = " ".join(match.group().split())
    first = next((i for i, t in enumerate(tokens) if t.start >= match.start()), len(tokens))
    last = next((i for i, t in enumerate(tokens) if t.start >= match.end()), len(tokens))
    if match.group("verb") in w.NOUN_LIKE and not _clause_follows(tokens, last):
        return None
    forward = bool(match.group("fwd"))
    span = None if forward else _speaker_before(tokens, first)
    if span is not None and _in_comparison(tokens, span[0]):
        return None  # "as much as the company says": a comparison, not who is speaking
    if span is None and (forward or last >= len(tokens) or not tokens[last].brk):
        span = _speaker_after(tokens, last, strict=not forward)
    if span is None:
        return None
    return _mention(text, tokens, span, match.start(), cue)


def _in_comparison(tokens: Sequence[Token], start: int) -> bool:
    """Whether the speaker phrase follows "as" or "than" (past an article): "… than officials said"."""
    before = [t.text.casefold() for t in tokens[max(start - 2, 0) : start]]
    if before and before[-1] in {"the", "a", "an"}:
        before = before[:-1]
    return bool(before) and before[-1] in {"as", "than"}


def _clause_follows(tokens: Sequence[Token], index: int) -> bool:
    if index >= len(tokens) or tokens[index].brk:
        return True
    word = tokens[index].text
    return word.casefold() in w.CLAUSE_START or word[:1].isupper()


def _speaker_before(tokens: Sequence[Token], cue: int) -> tuple[int, int] | None:
    """The speaker phrase ending just before the cue, past adverbs and a parenthesis ("Biden, during …, said")."""
    end = cue - 1
    while end >= 0 and not tokens[end + 1].brk and tokens[end].text.casefold() in w.ADVERBS:
        end -= 1
    if end < 0:
        return None
    if not tokens[end + 1].brk:
        if tokens[end].text.casefold() in w.PRONOUNS or tokens[end].text == "who":
            return (end, end)
        span = _phrase_back(tokens, end) or _past_anonymity(tokens, end) or _before_relative(tokens, end)
        return _with_apposition(tokens, span) if span else None
    # "X, <insertion>, <insertion>, said": the earliest speaker phrase before the insertions
    # ("Gail Pruett, who lives … on Alder Street, about a kilometre from the plant, said")
    found = None
    for bound in [i for i in range(end, 0, -1) if tokens[i].brk][:3]:
        found = _phrase_back(tokens, bound - 1) or found
    span = found or _phrase_back(tokens, end)
    return _with_apposition(tokens, span) if span else None


def _before_relative(tokens: Sequence[Token], end: int) -> tuple[int, int] | None:
    """ "Residents who spent the night at the sports centre described…"."""
    for k in range(end, max(end - 12, 0), -1):
        if tokens[k].text == "who":
            return _phrase_back(tokens, k - 1) if not tokens[k].brk else None
        if tokens[k].brk:
            return None
    return None


def _past_anonymity(tokens: Sequence[Token], end: int) -> tuple[int, int] | None:
    """ "a source familiar with the matter said", "officials with knowledge of the plan said"."""
    for k in range(end, max(end - 6, 0), -1):
        if tokens[k].text in w.ANONYMITY:
            last = k - 1 - (tokens[k - 1].text == "with")
            return _phrase_back(tokens, last) if last >= 0 and not tokens[last + 1].brk else None
        if tokens[k].brk:
            return None
    return None


def _phrase_back(tokens: Sequence[Token], end: int, *, objects: bool = False) -> tuple[int, int] | None:
    """Names, roles and their modifiers ending at ``end`` ("Western intelligence officials", "the ministry")."""
    if w.kind(tokens[end].text) != "head" or w.is_possessive(tokens[end].text):
        return None  # "Moscow's promises": a noun, not a cue
    start, head, pending, i = end, end, 0, end - 1
    while i >= 0 and not tokens[i + 1].brk:
        kind = w.kind(tokens[i].text)
        if kind == "head":
            start, head, pending = i, i, 0
        elif kind == "det":
            start = i
            if i == 0 or tokens[i].brk or w.kind(tokens[i - 1].text) != "connector":
                return (start, end) if objects else _not_an_object(tokens, start, end)
        elif (
            kind == "connector" or _locator(tokens, i) or (kind == "modifier" and pending < 2 and _common(tokens[head]))
        ):
            pending += 1
        else:
            return (start, end) if objects else _not_an_object(tokens, start, end)
        i -= 1
    if pending and w.kind(tokens[i + 1].text) == "modifier":
        start = i + 1
    return (start, end)


def _not_an_object(tokens: Sequence[Token], start: int, end: int) -> tuple[int, int] | None:
    """No speaker when the phrase is the object of a preposition ("the night at the Carrick Sports Centre")."""
    if start > 0 and not tokens[start].brk and tokens[start - 1].text.casefold() in w.PREPOSITIONS:
        return None
    return (start, end)


def _common(token: Token) -> bool:
    """A lower-case role or body ("officials", "the ministry"): modifiers may stand before it."""
    return not token.text[:1].isupper()


def _locator(tokens: Sequence[Token], i: int) -> bool:
    """ "in" of "a shop owner in Kushiro": between a role or body and a place."""
    if tokens[i].text not in w.LOCATORS or i == 0 or tokens[i].brk:
        return False
    before = tokens[i - 1].text
    return w.is_role(before) or w.is_org(before)


def _speaker_after(tokens: Sequence[Token], begin: int, *, strict: bool) -> tuple[int, int] | None:
    """The phrase right after the cue; after a verb it must end the clause ("…," said Kirby.)."""
    begin = _past_document(tokens, begin)
    opens = begin < len(tokens) and (w.kind(tokens[begin].text) in ("det", "head") or _role_follows(tokens, begin))
    if strict and not opens:  # "said Kirby", "said the minister", "said political scientist Miriam Kohl"
        return None
    i, end, loose = begin, -1, 0
    while i < len(tokens) and (i == begin or not tokens[i].brk):
        kind = w.kind(tokens[i].text)
        if kind == "head":
            end, loose = i, 0
        elif kind == "modifier" and loose < 2 and (end < 0 or _role_follows(tokens, i)):
            loose += 1  # "the national statistics office", "Western intelligence officials"
        elif kind != "connector" and not (kind == "det" and (i == begin or _follows_connector(tokens, i))):
            break
        i += 1
    follower = tokens[end + 1] if 0 <= end < len(tokens) - 1 and not tokens[end + 1].brk else None
    if end < begin or (follower and (strict or w.is_document(follower.text))):
        return None  # "said the city can't…" is no speaker; "according to council documents" is a document
    return _with_apposition(tokens, (begin, end))


def _role_follows(tokens: Sequence[Token], i: int) -> bool:
    following = tokens[i + 1] if i + 1 < len(tokens) and not tokens[i + 1].brk else None
    return following is not None and w.kind(following.text) == "head" and not following.text[:1].isupper()


def _follows_connector(tokens: Sequence[Token], i: int) -> bool:
    return i > 0 and w.kind(tokens[i - 1].text) == "connector"


def _past_document(tokens: Sequence[Token], begin: int) -> int:
    """Skip "a statement from" in "according to a statement from the ministry"."""
    i = begin + (begin < len(tokens) and tokens[begin].text.casefold() in w.DETERMINERS)
    if i >= len(tokens) or not w.is_document(tokens[i].text):
        return begin
    i += 1 + (i + 1 < len(tokens) and tokens[i + 1].text.endswith("ed"))  # "a poll published by"
    return i + 1 if i < len(tokens) and tokens[i].text in ("from", "by", "of") else begin


def _with_apposition(tokens: Sequence[Token], span: tuple[int, int]) -> tuple[int, int]:
    """A bare role set off by commas from a name uses the name ("John Kirby, Pentagon Press Secretary told")."""
    start, end = span
    if _is_name(tokens, span):
        return span
    if start > 0 and tokens[start].comma:
        before = _phrase_back(tokens, start - 1)
        if before and _is_name(tokens, before) and (before[0] == 0 or tokens[before[0]].brk):
            return before
    if end + 1 < len(tokens) and tokens[end + 1].comma:
        after = _speaker_after(tokens, end + 1, strict=True)
        if after and _is_name(tokens, after):
            return after
    return span


def _is_name(tokens: Sequence[Token], span: tuple[int, int]) -> bool:
    return all(w.is_name_word(t.text) for t in tokens[span[0] : span[1] + 1])


def _mention(text: str, tokens: Sequence[Token], span: tuple[int, int], cue_at: int, cue: str) -> Mention:
    start, end = span
    words = [t.text for t in tokens[start : end + 1]]
    phrase = text[tokens[start].start : tokens[end].end]
    at = min(tokens[start].start, cue_at)
    lowered = words[0].casefold()
    if start == end and (lowered in w.PRONOUNS or words[0] == "who"):
        if words[0] == "who" and start > 0:
            antecedent = _phrase_back(tokens, start - 1, objects=True)  # "spoke with Macron, who said"
            if antecedent is not None:
                return _mention(text, tokens, antecedent, cue_at, cue)
        return Mention(at, cue_at, cue, None, -1, phrase, lowered)
    if len(words) == 2 and lowered == "the" and w.is_role(words[1]):
        return Mention(at, cue_at, cue, phrase, tokens[start].start, phrase, w.singular(words[1]))
    first, stop = _name_span(words)
    name = text[tokens[start + first].start : tokens[start + stop - 1].end]
    return Mention(at, cue_at, cue, name, tokens[start + first].start, _with_role(text, tokens, span))


def _with_role(text: str, tokens: Sequence[Token], span: tuple[int, int]) -> str:
    """The speaker phrase with a role set off by commas before or after it ("Celeste Varga-Moor, Westmark's
    minister of energy,"), so that a later "the minister" can be traced back to it."""
    start, end = span
    wording = text[tokens[start].start : tokens[end].end]
    for first in (end + 1, start - 1):
        if not 0 <= first < len(tokens) or not (tokens[first].brk if first > end else tokens[start].brk):
            continue
        step = 1 if first > end else -1
        k = first
        while 0 <= k + step < len(tokens) and not (tokens[k + step].brk if step > 0 else tokens[k].brk):
            k += step
        lo, hi = sorted((first, k))
        if hi - lo < 8 and any(w.is_role(w.bare(t.text)) for t in tokens[lo : hi + 1]):
            wording += " " + text[tokens[lo].start : tokens[hi].end]
    return wording


def _name_span(words: Sequence[str]) -> tuple[int, int]:
    """The person's name in a speaker phrase, past titles and before an affiliation ("Secretary of State Antony
    Blinken", "Jane Doe of the Red Cross"); the whole phrase when it names a group or a role."""
    start = _after_title(words)
    stop = next((k for k in range(start + 1, len(words)) if words[k] in w.AFFILIATIONS), len(words))
    if (start or stop < len(words)) and all(w.is_name_word(x) for x in words[start:stop]):
        return start, stop
    return 0, len(words)


def _after_title(words: Sequence[str]) -> int:
    roles = [i for i, x in enumerate(words) if w.is_role(x)]
    if not roles:
        return 0
    i = roles[-1] + 1
    if i + 1 < len(words) and words[i] in w.CONNECTORS and words[i + 1].casefold() not in w.PORTFOLIOS:
        return 0  # "Economists at Nordbank": the title belongs to the organisation
    while i < len(words) and (x := words[i].casefold()) and (x in w.CONNECTORS or x in w.PORTFOLIOS or x in w.ORGS):
        i += 1
    return i if i < len(words) else 0


def _cjk_mention(text: str, masked: str, lo: int, match: re.Match[str]) -> Mention | None:
    """The speaker of a Chinese or Japanese cue: the phrase before it, or the topic (Xは) of a と述べた clause."""
    before = masked[lo : match.start()]
    topical = match.group().startswith("と")
    found = _JA_TOPIC.search(before) if topical else w.CJK_CHUNK.search(before)
    if found is None:
        return None
    chunk = found.group(1) if topical else found.group()
    at = lo + found.start()
    lead = w.CJK_LEAD.match(chunk)
    skip = lead.end() if lead else 0
    chunk = w.CJK_TAIL.sub("", w.CJK_SETTING.sub("", chunk[skip:]))
    if not chunk or not w.has_cjk(chunk):
        return None
    at += skip
    cue_at = match.start()
    if chunk in w.CJK_PRONOUNS:
        return Mention(cue_at, cue_at, match.group(), None, -1, chunk, chunk)
    roles = list(w.CJK_ROLES.finditer(chunk))
    offset = roles[-1].end() if roles and roles[-1].end() < len(chunk) else 0
    begins = cue_at if topical else min(at, cue_at)  # 「…」と述べた: the quote before the cue is the topic's
    return Mention(begins, cue_at, match.group(), chunk[offset:], at + offset, text[at : at + len(chunk)])

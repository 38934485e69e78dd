"""Who the article says spoke a claim's evidence, and the speaker briefer may publish for it.

Deterministic and model-free: quotation marks, attribution cues ("said", "told reporters", "according to",
表示, と述べた), names and roles next to them, continuing quotes and pronouns that lead back to the nearest
named speaker. briefer never publishes a speaker the article does not support.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from briefer.sentences import Sentence

__all__ = ["UNATTRIBUTED", "Attribution", "SpeakerStatus", "SpeakerVerdict", "attribute", "same_speaker"]
__all__ += ["verify_speaker"]

UNATTRIBUTED = "unattributed"


def _words(listed: str) -> frozenset[str]:
    return frozenset(listed.split())


_MASK = "\ufffc"  # stands in for quoted text, so that cues and names are only read in the article's own voice
_AFTER_QUOTE = re.compile(r"[\s\-–—,:]*")
_WORD = re.compile(r"[^\W_][\w'’.\-]*")
_ABBREVIATION = re.compile(r"(?:[^\W\d_]\.)+|(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|Gen|Sen|Rep|Gov|Lt|Col|Prof|Capt)\.")
_VERBS = _words("""said says say told tells added adds stated states wrote writes asked asks warned warns noted notes
announced
announces explained explains insisted insists claimed claims argued argues reported reports cautioned cautions stressed
stresses confirmed confirms denied denies acknowledged acknowledges admitted admits replied replies responded responds
urged urges declared declares emphasised emphasized emphasises emphasizes tweeted posted testified conceded predicted
recalled commented suggested vowed promised pledged observed maintains countered contended""")
# Forms that are also plural nouns ("Russian claims of progress"): a cue only when a clause follows.
_NOUN_LIKE = _words("says states notes claims reports comments remarks")
_CLAUSE_START = _words("that the a an it he she they we this there its his her their")
_EN_CUE = re.compile(
    r"(?<![\w'’\-])(?:(?P<fwd>according to|[Ii]n a statement(?=,))|(?P<verb>"
    + "|".join(sorted(_VERBS, key=len, reverse=True))
    + r"))(?![\w'’\-])(?P<tail>\s+(?:in|during|at) (?:a|an|its|his|her|their|the) (?:joint |written )?(?:statement|"
    r"readout|interview|post|press release|news conference|press conference|briefing|speech|letter|email|tweet)"
    r"|\s+(?:reporters|journalists))?"
)
_ZH_CUE = re.compile(
    r"表示|指出|强调|透露|介绍|宣布|告诉|回应|坦言|声称|警告|报道|(?<![小据听所])说(?![明服法])|称(?![为赞号作呼之])"
)
_JA_CUE = re.compile(
    r"と(?:述べ|語っ|話し|説明し|強調し|明らかにし|発表し|指摘し|主張し|訴え)(?:た|ている|ました)|によ(?:ると|れば)"
)
_CJK_CHUNK = re.compile(r"[^，。！？；：、,.!?;:\s\ufffc“”「」『』（）()]{1,24}$")
_CJK_LEAD = re.compile(r"^(?:据|在|\d+月\d+日|\d+日|周.|星期.|今天|昨天|当天|日前|此前|随后)+")
_CJK_TAIL = re.compile(r"(?:也|还|则|再次|随后|对此|当天|今天|昨天|\d+月|\d+日)+$")
_CJK_ROLES = re.compile(
    "发言人|总统|主席|总理|部长|外长|首相|大臣|官员|秘书长|局长|主任|负责人|大使|市长|省长|书记|司令|教授|专家|"
    "董事长|总裁|记者|官房長官|長官|社長|知事|議員|委員長|報道官|代表|会长|院长"
)
_CJK_PRONOUNS = _words("他 她 他们 她们 它 它们 彼 彼女 彼ら")
_ROLES = _words("""president vice-president prime minister premier chancellor secretary secretary-general spokesman
spokeswoman spokesperson spokespeople official officer governor mayor senator congressman congresswoman lawmaker
ambassador envoy diplomat general commander chief director head chairman chairwoman chair ceo executive founder
adviser advisor aide correspondent reporter analyst economist expert researcher scientist professor doctor lawyer
attorney prosecutor judge inspector manager owner leader coach captain witness resident source pm mp king queen
prince pope mr mrs ms dr sen rep gov gen col lt sir""")
_ORGS = _words("""ministry department government administration agency police authorities company firm office
council committee commission court union party military army navy campaign board bank embassy house inc corp ltd
group university institute service authority parliament congress senate pentagon kremlin federation organisation
organization association fund reserve command forces foundation times news post press network""")
_PORTFOLIOS = _words("""state foreign affairs defence defense interior justice finance health home treasury trade
energy commerce education labor labour transport security homeland economy environment agriculture""")
_STOP_CAPS = _words("""however but and or so yet then now meanwhile also still despite after before when while
although though because if as in on at for from to with by of under over during since until earlier later last next
this that these those it he she they we i you his her their our its there here asked speaking according monday
tuesday wednesday thursday friday saturday sunday today yesterday tonight""")
_ADVERBS = _words("""also later then earlier previously again further separately recently repeatedly publicly
privately once has have had did on last this yesterday today tonight night morning afternoon evening week month
monday tuesday wednesday thursday friday saturday sunday""")
_PRONOUNS = _words("he she they it we")
_DETERMINERS = _words("the a an")
_CONNECTORS = _words("of for at and de del da van von der bin al le la du dos")
_DOCUMENTS = _words("statement readout report release transcript letter post filing memo")
_GENERIC = _words(
    "the a an article outlet author reporter narrator unknown unattributed none n/a na text report writer journalist "
    "newspaper editorial staff story"
)


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
class _Token:
    text: str
    start: int
    end: int
    brk: bool  # punctuation (or quoted text) stands between this token and the one before


@dataclass(frozen=True, slots=True)
class _Mention:
    """An attribution cue in the article's own voice, with the speaker it names (or refers back to)."""

    at: int  # where the attribution begins: a quote right before it belongs to it
    cue_at: int
    cue: str
    name: str | None
    name_at: int
    phrase: str  # the full wording, roles included ("Pentagon Press Secretary John Kirby")
    anaphor: str | None = None  # "he", "the minister": resolved to an earlier speaker


@dataclass(frozen=True, slots=True)
class _Quote:
    start: int
    end: int
    paragraph: int
    speaker: _Mention | None


@dataclass(frozen=True, slots=True)
class _Analysis:
    sentences: tuple[Sentence, ...]
    starts: tuple[int, ...]
    masked: str
    mentions: tuple[_Mention, ...]
    quotes: tuple[_Quote, ...]


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
    choice: _Mention | None = None
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
    return Attribution(_fullest(choice.name, analysis.mentions), choice.cue, _number_at(analysis, choice.name_at))


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
    if _has_cjk(a) or _has_cjk(b):
        shorter, longer = sorted((_CJK_ROLES.sub("", "".join(x.split())) for x in (a, b)), key=len)
        return bool(shorter) and shorter in longer
    left, right = _identity(a), _identity(b)
    if not left or not right:
        return bool(left == right and _plain_words(a) and _plain_words(a) == _plain_words(b))
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
    found = [m for s in sentences for m in _sentence_mentions(text, masked, s)]
    mentions = _resolved(sorted(found, key=lambda m: m.cue_at))
    quotes = _quote_speakers(masked, spans, mentions, paragraphs)
    return _Analysis(sentences, tuple(s.start for s in sentences), masked, tuple(mentions), quotes)


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
        pieces += [text[cursor:start], _MASK * (end - start)]
        cursor = end
    return "".join([*pieces, text[cursor:]])


def _quote_speakers(
    masked: str,
    spans: Sequence[tuple[int, int, int]],
    mentions: Sequence[_Mention],
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
        speaker = by_at.get(after)
        if speaker is None:
            speaker = next((m for m in reversed(mentions) if lo <= m.cue_at < start and m.name), None)
        if speaker is None and start == lo:
            speaker = _continuing(paragraph, mentions, quotes, paragraphs)
        quotes.append(_Quote(start, end, paragraph, speaker))
    return tuple(quotes)


def _continuing(
    paragraph: int, mentions: Sequence[_Mention], quotes: Sequence[_Quote], paragraphs: dict[int, tuple[int, int]]
) -> _Mention | None:
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


def _continued_report(analysis: _Analysis, first: Sentence) -> _Mention | None:
    """A sentence with no cue of its own that follows reported speech in its paragraph continues it."""
    index = analysis.sentences.index(first)
    if index == 0 or analysis.sentences[index - 1].paragraph != first.paragraph:
        return None
    before = analysis.sentences[index - 1]
    if analysis.masked[before.start : before.end].count(_MASK) * 2 > before.end - before.start:
        return None
    return next((m for m in analysis.mentions if before.start <= m.cue_at < before.end and m.name), None)


def _resolved(mentions: Sequence[_Mention]) -> list[_Mention]:
    """Pronouns and "the minister" resolved to the nearest earlier named speaker that fits."""
    done: list[_Mention] = []
    for mention in mentions:
        done.append(mention if mention.anaphor is None else _antecedent(mention, done))
    return done


def _antecedent(mention: _Mention, earlier: Sequence[_Mention]) -> _Mention:
    named = [m for m in reversed(earlier) if m.name]
    role = mention.anaphor
    if role not in _PRONOUNS and role not in _CJK_PRONOUNS:
        named = [m for m in named if role in {_singular(w) for w in _plain_words(m.phrase)}]
        if not named:
            return mention
    if not named:
        return _Mention(mention.at, mention.cue_at, mention.cue, None, -1, mention.phrase)
    found = named[0]
    return _Mention(mention.at, mention.cue_at, mention.cue, found.name, found.name_at, found.phrase)


def _fullest(name: str, mentions: Sequence[_Mention]) -> str:
    """A bare surname in the article's fuller wording ("Kirby" -> "John Kirby") when the article has one."""
    if " " in name or not name[:1].isupper():
        return name
    for mention in mentions:
        full = mention.name or ""
        if full.endswith(" " + name) and all(w[:1].isupper() for w in full.split()):
            return full
    return name


def _number_at(analysis: _Analysis, at: int) -> int | None:
    index = bisect_right(analysis.starts, at) - 1
    return analysis.sentences[index].number if index >= 0 else None


# --- cues and speakers within one sentence -----------------------------------------------------------------------


def _sentence_mentions(text: str, masked: str, sentence: Sentence) -> list[_Mention]:
    found: list[_Mention] = []
    tokens = _tokens(masked, sentence.start, sentence.end)
    for match in _EN_CUE.finditer(masked, sentence.start, sentence.end):
        mention = _english_mention(text, tokens, match)
        if mention is not None:
            found.append(mention)
    for pattern in (_ZH_CUE, _JA_CUE):
        for match in pattern.finditer(masked, sentence.start, sentence.end):
            mention = _cjk_mention(text, masked, sentence.start, match)
            if mention is not None:
                found.append(mention)
    return found


def _tokens(masked: str, lo: int, hi: int) -> list[_Token]:
    tokens: list[_Token] = []
    cursor, period = lo, False
    for match in _WORD.finditer(masked, lo, hi):
        word, end = match.group(), match.end()
        brk = period or bool(masked[cursor : match.start()].strip())
        period = word.endswith(".") and not _ABBREVIATION.fullmatch(word)
        if period:
            word, end = word[:-1], end - 1
        tokens.append(_Token(word, match.start(), end, brk))
        cursor = match.end()
    return tokens


def _english_mention(text: str, tokens: Sequence[_Token], match: re.Match[str]) -> _Mention | None:
    """The speaker of one English cue: before it ("Kirby said"), or after it ("said Kirby", "according to X")."""
    cue = " ".join(match.group().split())
    first = next((i for i, t in enumerate(tokens) if t.start >= match.start()), len(tokens))
    last = next((i for i, t in enumerate(tokens) if t.start >= match.end()), len(tokens))
    if match.group("verb") in _NOUN_LIKE and not _clause_follows(tokens, last):
        return None
    span = None if match.group("fwd") else _speaker_before(tokens, first)
    if span is None:
        span = _speaker_after(tokens, last, strict=not match.group("fwd"))
    if span is None:
        return None
    return _mention(text, tokens, span, match.start(), cue)


def _clause_follows(tokens: Sequence[_Token], index: int) -> bool:
    if index >= len(tokens) or tokens[index].brk:
        return True
    word = tokens[index].text
    return word.casefold() in _CLAUSE_START or word[:1].isupper()


def _speaker_before(tokens: Sequence[_Token], cue: int) -> tuple[int, int] | None:
    """The speaker phrase ending just before the cue, past adverbs and a parenthesis ("Biden, during …, said")."""
    end = cue - 1
    while end >= 0 and not tokens[end + 1].brk and tokens[end].text.casefold() in _ADVERBS:
        end -= 1
    if end < 0:
        return None
    if not tokens[end + 1].brk:
        if tokens[end].text.casefold() in _PRONOUNS or tokens[end].text == "who":
            return (end, end)
        span = _phrase_back(tokens, end)
        return _with_apposition(tokens, span) if span else None
    # "X, <parenthesis>, said": the speaker is X, or the parenthesis when X is no speaker
    opening = next((i for i in range(end, 0, -1) if tokens[i].brk), 0)
    if opening == 0:
        return None
    before = _phrase_back(tokens, opening - 1)
    inside = _phrase_back(tokens, end)
    if before and (not inside or _is_name(tokens, before) or not _is_name(tokens, inside)):
        return before
    return inside


def _phrase_back(tokens: Sequence[_Token], end: int) -> tuple[int, int] | None:
    """Names, roles and their modifiers ending at ``end`` ("Western intelligence officials", "the ministry")."""
    head = _kind(tokens[end].text)
    if head != "head" or _possessive(tokens[end].text):
        return None
    start, pending, i = end, 0, end - 1
    while i >= 0 and not tokens[i + 1].brk:
        kind = _kind(tokens[i].text)
        if kind == "head":
            start, pending = i, 0
        elif kind == "det":
            start = i
            if i == 0 or tokens[i].brk or _kind(tokens[i - 1].text) != "connector":
                return (start, end)
        elif kind == "connector" or (kind == "modifier" and pending < 2 and not tokens[end].text[:1].isupper()):
            pending += 1
        else:
            return (start, end)
        i -= 1
    if pending and _kind(tokens[i + 1].text) == "modifier":
        start = i + 1
    return (start, end)


def _speaker_after(tokens: Sequence[_Token], begin: int, *, strict: bool) -> tuple[int, int] | None:
    """The phrase right after the cue; after a verb it must end the clause ("…," said Kirby.)."""
    if strict and begin < len(tokens) and tokens[begin].brk:
        return None
    begin = _past_document(tokens, begin)
    i, end = begin, -1
    while i < len(tokens) and (i == begin or not tokens[i].brk):
        kind = _kind(tokens[i].text)
        if kind == "head":
            end = i
        elif kind not in ("det", "connector", "modifier") or (
            kind == "det" and i > begin and not _follows_connector(tokens, i)
        ):
            break
        i += 1
    if end < begin or (strict and end + 1 < len(tokens) and not tokens[end + 1].brk):
        return None
    return _with_apposition(tokens, (begin, end))


def _follows_connector(tokens: Sequence[_Token], i: int) -> bool:
    return i > 0 and _kind(tokens[i - 1].text) == "connector"


def _past_document(tokens: Sequence[_Token], begin: int) -> int:
    """Skip "a statement from" in "according to a statement from the ministry"."""
    i = begin + (begin < len(tokens) and tokens[begin].text.casefold() in _DETERMINERS)
    if i + 1 < len(tokens) and _singular(tokens[i].text) in _DOCUMENTS and tokens[i + 1].text in ("from", "by", "of"):
        return i + 2
    return begin


def _with_apposition(tokens: Sequence[_Token], span: tuple[int, int]) -> tuple[int, int]:
    """A bare role set off by commas from a name uses the name ("John Kirby, Pentagon Press Secretary told")."""
    start, end = span
    if _is_name(tokens, span):
        return span
    if start > 0 and tokens[start].brk:
        before = _phrase_back(tokens, start - 1)
        if before and _is_name(tokens, before) and (before[0] == 0 or tokens[before[0]].brk):
            return before
    if end + 1 < len(tokens) and tokens[end + 1].brk:
        after = _speaker_after(tokens, end + 1, strict=True)
        if after and _is_name(tokens, after):
            return after
    return span


def _mention(text: str, tokens: Sequence[_Token], span: tuple[int, int], cue_at: int, cue: str) -> _Mention:
    start, end = span
    words = [t.text for t in tokens[start : end + 1]]
    phrase = text[tokens[start].start : tokens[end].end]
    at = min(tokens[start].start, cue_at)
    lowered = words[0].casefold()
    if start == end and (lowered in _PRONOUNS or words[0] == "who"):
        if words[0] == "who" and start > 0:
            antecedent = _phrase_back(tokens, start - 1)
            if antecedent is not None:
                return _mention(text, tokens, antecedent, cue_at, cue)
        return _Mention(at, cue_at, cue, None, -1, phrase, lowered)
    if len(words) == 2 and lowered == "the" and _is_role(words[1]):
        return _Mention(at, cue_at, cue, phrase, tokens[start].start, phrase, _singular(words[1]))
    name_from = _name_start(words)
    return _Mention(
        at, cue_at, cue, text[tokens[start + name_from].start : tokens[end].end], tokens[start].start, phrase
    )


def _name_start(words: Sequence[str]) -> int:
    """Where the person's name begins after the last title ("Secretary of State Antony Blinken" -> 3)."""
    roles = [i for i, w in enumerate(words) if _is_role(w)]
    if not roles:
        return 0
    i = roles[-1] + 1
    while i < len(words) and (w := words[i].casefold()) and (w in _CONNECTORS or w in _PORTFOLIOS or w in _ORGS):
        i += 1
    if i < len(words) and all(w[:1].isupper() and not _is_role(w) for w in words[i:]):
        return i
    return 0


def _cjk_mention(text: str, masked: str, lo: int, match: re.Match[str]) -> _Mention | None:
    """The speaker of a Chinese or Japanese cue: the phrase before it, or the topic (Xは) of a と述べた clause."""
    before = masked[lo : match.start()]
    topical = match.group().startswith("と")
    if topical:
        topic = re.search(r"([^、。\s\ufffc「」]{1,24}?)[はが]", before)
        chunk = topic.group(1) if topic else ""
        at = lo + (topic.start(1) if topic else 0)
    else:
        found = _CJK_CHUNK.search(before)
        chunk = found.group() if found else ""
        at = lo + (found.start() if found else 0)
    lead = _CJK_LEAD.match(chunk)
    skip = lead.end() if lead else 0
    chunk = _CJK_TAIL.sub("", chunk[skip:])
    if not chunk or not _has_cjk(chunk):
        return None
    at += skip
    cue_at = match.start()
    if chunk in _CJK_PRONOUNS:
        return _Mention(cue_at, cue_at, match.group(), None, -1, chunk, chunk)
    roles = list(_CJK_ROLES.finditer(chunk))
    offset = roles[-1].end() if roles and roles[-1].end() < len(chunk) else 0
    begins = cue_at if topical else min(at, cue_at)
    return _Mention(begins, cue_at, match.group(), chunk[offset:], at + offset, text[at : at + len(chunk)])


# --- words ---------------------------------------------------------------------------------------------------------


def _kind(word: str) -> str:
    lowered = word.casefold()
    if lowered in _DETERMINERS:
        return "det"
    if word[:1].isupper():
        return "stop" if lowered in _STOP_CAPS else "head"
    if _is_role(word) or lowered in _ORGS:
        return "head"
    if lowered in _CONNECTORS:
        return "connector"
    return "modifier" if word.isalpha() else "stop"


def _is_role(word: str) -> bool:
    return _singular(word) in _ROLES


def _singular(word: str) -> str:
    lowered = word.casefold().rstrip(".")
    for cut in ("", "s", "es"):
        if cut and lowered.endswith(cut) and lowered[: -len(cut)] in _ROLES:
            return lowered[: -len(cut)]
    return lowered


def _possessive(word: str) -> bool:
    return word.endswith(("'s", "’s", "s'", "s’"))


def _is_name(tokens: Sequence[_Token], span: tuple[int, int]) -> bool:
    """A person's name: capitalised words and no role or organisation word."""
    words = [t.text for t in tokens[span[0] : span[1] + 1]]
    return all(w[:1].isupper() and not _is_role(w) and w.casefold() not in _ORGS for w in words)


def _plain_words(name: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", name.casefold())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    words = re.findall(r"[^\W_]+(?:['’.\-][^\W_]+)*", folded)
    return [re.sub(r"['’]s$", "", w) for w in words if w not in _DETERMINERS]


def _identity(name: str) -> list[str]:
    """The words that identify a speaker once titles, roles and connectors are set aside."""
    return [w for w in _plain_words(name) if not _is_role(w) and w not in _CONNECTORS]


def _names_someone(claimed: str, outlet: str | None) -> bool:
    """Whether the model named a person (not the outlet, not a generic "the article")."""
    words = _plain_words(claimed)
    if not words or all(w in _GENERIC for w in words):
        return False
    if outlet and same_speaker(claimed, outlet):
        return False
    return not any(w in _ORGS for w in words)


def _has_cjk(text: str) -> bool:
    return any("\u3040" <= c <= "\u30ff" or "\u4e00" <= c <= "\u9fff" for c in text)

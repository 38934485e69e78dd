"""Grounding of the model's headline, summary, actor names and stances: no number or name the sources lack.

A proper name is told from an ordinary word by its capital letter, except where capitals say nothing: in a
Title Case headline and at the start of a sentence. There a capitalised word is taken for an ordinary word when
the sources use it (or its inflection) anywhere, or when English dictionaries list it in lower case only
(Webster's word list, which keeps proper nouns capitalised: "drag" is a word, "British" and "Columbia" are not).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Sequence
from functools import cached_property, lru_cache

import snowballstemmer
import stopwords

from briefer import _facts as facts

__all__ = [
    "PLACEHOLDERS",
    "allowed_scripts",
    "foreign_script_runs",
    "is_word",
    "same_word",
    "stem",
    "ungrounded_terms",
    "word_tokens",
]

# A field filled with one of these is a template leftover, not text.
PLACEHOLDERS = frozenset(
    ["null", "none", "n/a", "na", "nil", "unknown", "tbd", "undefined", "string", "location", "name", "role",
     "stance", "kind", "speaker", "statement", "quote", "text"]
)  # fmt: skip
# Function words never name anyone, capitalised or not; modals too ("Residents May Return").
STOPWORDS = frozenset(stopwords.get_stopwords("en")) | {"may", "might", "must", "will", "can", "shall", "amid", "vs"}
_JAPANESE = frozenset({"Han", "Hiragana", "Katakana"})
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
# A word: letters and digits with inner apostrophes or hyphens ("Okonjo-Hale", "Pell's"); each CJK character
# is a word of its own, since those scripts put no spaces between words.
_LETTERS = rf"(?:(?![{_CJK}])[^\W_])+"
_WORD = re.compile(rf"[{_CJK}]|{_LETTERS}(?:['’\-]{_LETTERS})*")
# The same words in ASCII text, found without a look-ahead at every letter (four times faster).
_ASCII_WORD = re.compile(r"[A-Za-z0-9]+(?:['\-][A-Za-z0-9]+)*")
_POSSESSIVE = re.compile(r"['’]s?$", re.IGNORECASE)
_SEGMENT_BREAK = re.compile(r"(?<=[.!?。！？])\s+|\n+")
# After these a capital letter starts a sentence or a quotation, whatever the word.
_OPENERS = ":;—–-\"“‘'(«「"
_KIND_WORDS = r"country|person|organi[sz]ation|government[ _]body|group|location|role|kind|name|speaker|stance|actor"
_PARENTHESISED_KIND = re.compile(
    rf"(?:\b(?:location|role|kind|name|speaker|actor|stance)\s+)?\((?:{_KIND_WORDS}|null|none|unknown|n/a)\)",
    re.IGNORECASE,
)
_IDENTIFIER = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")
_BRACKETED = re.compile(r"\{[^{}\n]{1,40}\}|<[^<>\n]{1,40}>|\[[^\[\]\n]{1,40}\]")
_DIGITS = re.compile(r"\d+(?:[.:,]\d+)*")
_STEMMER = snowballstemmer.stemmer("english")


def stem(word: str) -> str:
    """The English Snowball stem of a word, lower-cased."""
    return _folded_stem(word.casefold())


@lru_cache(maxsize=65536)  # a morning's vocabulary, whatever the case it is written in
def _folded_stem(word: str) -> str:
    return str(_STEMMER.stemWord(word))


def same_word(a: str, b: str) -> bool:
    """Whether two words are forms of one word ("forces" / "forced"), ignoring case."""
    return stem(a) == stem(b)


def word_tokens(text: str) -> list[str]:
    """The words of a text, each CJK character counting as one."""
    return (_ASCII_WORD if text.isascii() else _WORD).findall(text)


def word_starts(text: str) -> list[int]:
    """Where each of ``word_tokens(text)`` begins in the text."""
    return [match.start() for match in (_ASCII_WORD if text.isascii() else _WORD).finditer(text)]


def allowed_scripts(source_scripts: set[str] | frozenset[str]) -> frozenset[str]:
    """Scripts a text about these sources may use: theirs, Latin (the briefing's own), and their writing system's."""
    allowed = set(source_scripts) | {"Latin"}
    if allowed & {"Hiragana", "Katakana"}:
        allowed |= _JAPANESE  # Japanese mixes all three freely; an article may just lack one
    if "Hangul" in allowed:
        allowed.add("Han")
    return frozenset(allowed)


def foreign_script_runs(text: str, allowed: set[str] | frozenset[str]) -> list[str]:
    """Runs of characters written in scripts outside `allowed` (digits and punctuation belong to all)."""
    return [text[start:end] for start, end in _foreign_spans(text, allowed)]


def _foreign_spans(text: str, allowed: set[str] | frozenset[str]) -> Iterator[tuple[int, int]]:
    """Offsets of the runs `foreign_script_runs` returns (spaces inside a run stay in it)."""
    start = end = -1
    for index, char in enumerate(text):
        if facts.scripts(char) - allowed:
            start = index if start < 0 else start
            end = index + 1
        elif start >= 0 and not char.isspace():
            yield start, end
            start = -1
    if start >= 0:
        yield start, end


class _Sources:
    """What the sources say, indexed for the lookups below; their numbers and dates only once a text has some."""

    def __init__(self, text: str) -> None:
        tokens = {_bare(token) for token in set(word_tokens(text))}  # each word once: a story repeats its words
        self.text = text
        self.folded = " ".join(text.casefold().split())
        self.words = frozenset(token.casefold() for token in tokens)
        self.stems = frozenset(stem(token) for token in tokens)
        # stems of words the sources write in lower case: ordinary words, not names
        self.lower_stems = frozenset(stem(token) for token in tokens if token.islower())
        self.digit_runs = frozenset(_DIGITS.findall(text))
        self.scripts = frozenset(facts.scripts(text))

    @cached_property
    def numbers(self) -> tuple[facts.Number, ...]:
        """The sources' quantities (reading a whole story's text for them is the index's dearest part)."""
        return tuple(facts.numbers(self.text))

    @cached_property
    def dates(self) -> frozenset[str]:
        """The values of the sources' dates."""
        return frozenset(date.value for date in facts.dates(self.text))


@lru_cache(maxsize=16)
def _index(sources: tuple[str, ...]) -> _Sources:
    """Index the sources once per set (a story's headline, summary and actors share them)."""
    return _Sources("\n\n".join(sources))


def _bare(word: str) -> str:
    """A word without its possessive ending ("Rovers'" → "Rovers", "Saltford's" → "Saltford")."""
    return _POSSESSIVE.sub("", word) or word


def ungrounded_terms(text: str, sources: Sequence[str]) -> list[str]:
    """The numbers, names, template leftovers and foreign-script words in `text` that no source carries."""
    index = _index(tuple(sources))
    spans = [
        *_leftover_spans(text, index),
        *_foreign_spans(text, allowed_scripts(index.scripts)),
        *_number_spans(text, index),
        *_name_spans(text, index),
    ]
    kept: list[tuple[int, int]] = []
    for start, end in sorted(spans, key=lambda span: (span[0], -span[1])):
        if not kept or start >= kept[-1][1]:
            kept.append((start, end))
    terms = [text[start:end].strip() for start, end in kept]
    return list(dict.fromkeys(term for term in terms if term))


def _leftover_spans(text: str, index: _Sources) -> Iterator[tuple[int, int]]:
    """Template leftovers: a placeholder for a whole field, "(country)", snake_case names, "[location]"."""
    if text.casefold().strip(" .") in PLACEHOLDERS:
        yield 0, len(text)
        return
    for pattern in (_PARENTHESISED_KIND, _IDENTIFIER, _BRACKETED):
        for match in pattern.finditer(text):
            if " ".join(match.group().casefold().split()) not in index.folded:
                yield match.span()


def _number_spans(text: str, index: _Sources) -> Iterator[tuple[int, int]]:
    """Numbers (with their units) and dates written with digits that no source carries."""
    for number in facts.numbers(text):
        # A bare number also counts where the sources write it inside a date or a time ("Jan. 26").
        bare = number.unit is None and number.text in index.digit_runs
        if not bare and not any(_same_quantity(number, other) for other in index.numbers):
            yield number.start, number.end
    spans = [(number.start, number.end) for number in facts.numbers(text)]
    for date in facts.dates(text):
        spans.append((date.start, date.end))
        if any(char.isdigit() for char in date.text) and date.value not in index.dates:
            yield date.start, date.end
    # Digits neither parser reads (times such as "2:40", scores, codes) must be in the sources as written.
    for match in _DIGITS.finditer(text):
        covered = any(start <= match.start() < end for start, end in spans)
        if not covered and match.group() not in index.digit_runs:
            yield match.span()


def _same_quantity(a: facts.Number, b: facts.Number) -> bool:
    """Same value, and the same unit where both have one ("3.5%" = "3.50 percent", "12" = "twelve")."""
    same_unit = a.unit is None or b.unit is None or a.unit == b.unit
    return same_unit and math.isclose(a.value, b.value, rel_tol=1e-9, abs_tol=1e-9)


def _name_spans(text: str, index: _Sources) -> Iterator[tuple[int, int]]:
    """Capitalised words the sources lack, each with the name-words next to it ("British Columbia")."""
    for offset, segment in _segments(text):
        title_case = _is_title_case(segment)
        for run in _capitalised_runs(segment):
            kinds = [_word_kind(segment, start, end, index, title_case) for start, end in run]
            if title_case:
                stretches = list(_missing_stretches(kinds))
            elif "missing" in kinds or _unknown_compound(segment, run, kinds, index):
                # In running text capitals mark a whole name: "Brantley Industries", not "Brantley".
                stretches = [_trimmed(segment, run)]
            else:
                stretches = []
            for first, last in stretches:
                yield offset + run[first][0], offset + run[last][1]


def _unknown_compound(segment: str, run: Sequence[tuple[int, int]], kinds: Sequence[str], index: _Sources) -> bool:
    """Whether capitalised ordinary words form a name the sources never write ("Arland Chemical Safety Board").

    "Saltford City Council" passes when the sources say "city council": the name-word may come from elsewhere.
    """
    stretch: list[str] = []
    for span, kind in [*zip(run, kinds, strict=True), ((0, 0), "end")]:
        word = _bare(segment[slice(*span)]).casefold()
        if kind == "ordinary" and word not in STOPWORDS:
            stretch.append(word)
            continue
        if len(stretch) >= 2 and " ".join(stretch) not in index.folded:
            return True
        stretch = []
    return False


def _trimmed(segment: str, run: Sequence[tuple[int, int]]) -> tuple[int, int]:
    """The run's index range without function words at its ends ("The", "In")."""
    first, last = 0, len(run) - 1
    while first < last and segment[slice(*run[first])].casefold() in STOPWORDS:
        first += 1
    while last > first and segment[slice(*run[last])].casefold() in STOPWORDS:
        last -= 1
    return first, last


def _segments(text: str) -> Iterator[tuple[int, str]]:
    """Sentences and lines of the text with their offsets: the units in which capitals are read."""
    start = 0
    for match in _SEGMENT_BREAK.finditer(text):
        yield start, text[start : match.start()]
        start = match.end()
    yield start, text[start:]


def _is_title_case(segment: str) -> bool:
    """Whether nearly every word but the function words is capitalised, as in a Title Case headline."""
    words = [word for word in word_tokens(segment) if word[0].isalpha() and word.casefold() not in STOPWORDS]
    capitalised = [word for word in words if word[0].isupper()]
    return len(words) >= 2 and len(capitalised) >= 0.85 * len(words)


def _capitalised_runs(segment: str) -> Iterator[list[tuple[int, int]]]:
    """Runs of capitalised words separated by single spaces only: candidate names."""
    run: list[tuple[int, int]] = []
    for match in _WORD.finditer(segment):
        if not match.group()[0].isupper():
            if run:
                yield run
            run = []
            continue
        if run and segment[run[-1][1] : match.start()] != " ":
            yield run
            run = []
        run.append(match.span())
    if run:
        yield run


def _word_kind(segment: str, start: int, end: int, index: _Sources, title_case: bool) -> str:
    """'ordinary', 'name' (a name the sources carry) or 'missing' (a name the sources lack)."""
    lenient = title_case or _starts_sentence(segment, start)
    parts = [_part_kind(part, index, lenient) for part in _bare(segment[start:end]).split("-")]
    whole = _bare(segment[start:end]).casefold()
    if "missing" in parts and whole not in index.words:
        return "missing"
    return "name" if "name" in parts else "ordinary"


def _part_kind(word: str, index: _Sources, lenient: bool) -> str:
    """How one word (or one part of a hyphenated word) stands against the sources."""
    folded = word.casefold()
    if folded in STOPWORDS or not word[:1].isalpha():
        return "ordinary"
    if folded in index.words or stem(folded) in index.stems:
        return "ordinary" if stem(folded) in index.lower_stems else "name"
    if not word[0].isupper():
        return "ordinary"
    return "ordinary" if lenient and _is_dictionary_word(folded) else "missing"


def _starts_sentence(segment: str, start: int) -> bool:
    """Whether the word at `start` opens the segment, a clause after a colon or dash, or a quotation."""
    before = segment[:start].rstrip()
    return not before or before[-1] in _OPENERS


def _missing_stretches(kinds: Sequence[str]) -> Iterator[tuple[int, int]]:
    """Index ranges of missing words, widened over the name-words beside them."""
    index = 0
    while index < len(kinds):
        if kinds[index] != "missing":
            index += 1
            continue
        first = last = index
        while first > 0 and kinds[first - 1] == "name":
            first -= 1
        while last + 1 < len(kinds) and kinds[last + 1] in ("missing", "name"):
            last += 1
        yield first, last
        index = last + 1


class _WordList:
    """A set of words kept as a few thousand strings, not a quarter of a million (a tenth of the memory).

    The words are grouped by their first letters, each group one string with every word on a line of its own,
    so that a word is in the list exactly when its line is in its group's string.
    """

    def __init__(self, words: Iterable[str]) -> None:
        groups: dict[str, list[str]] = {}
        self.odd: frozenset[str] = frozenset()  # words a line cannot hold: none in web2, kept for exactness
        odd = []
        for word in words:
            if word and "\n" not in word:
                groups.setdefault(word[:_PREFIX], []).append(word)
            else:
                odd.append(word)
        self.odd = frozenset(odd)
        self.groups = {prefix: "\n" + "\n".join(group) + "\n" for prefix, group in groups.items()}

    def __contains__(self, word: str) -> bool:
        if not word or "\n" in word:
            return word in self.odd
        return f"\n{word}\n" in self.groups.get(word[:_PREFIX], "")


_PREFIX = 3


@lru_cache(maxsize=1)
def _dictionary() -> _WordList:
    """Webster's word list (web2), with proper nouns capitalised: loaded once, on first use."""
    from english_words import get_english_words_set

    return _WordList(get_english_words_set(["web2"], lower=False))


def _is_dictionary_word(folded: str) -> bool:
    """Whether a lower-case word (or its base form) is an ordinary English word, never written capitalised."""
    dictionary = _dictionary()
    return any(form in dictionary and form.capitalize() not in dictionary for form in _base_forms(folded))


def is_word(folded: str) -> bool:
    """Whether a lower-case word (or its base form) is in the English word list at all."""
    return any(form in _dictionary() for form in _base_forms(folded))


def _base_forms(word: str) -> Iterator[str]:
    """The word and the forms it may be inflected from: "drags" → "drag", "hopes" → "hope", "cities" → "city"."""
    yield word
    for suffix, replacements in (("ies", ("y",)), ("es", ("", "e")), ("s", ("",)), ("ied", ("y",)),
                                 ("ed", ("", "e")), ("ing", ("", "e")), ("'s", ("",))):  # fmt: skip
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            root = word[: -len(suffix)]
            yield from (root + replacement for replacement in replacements)
            if len(root) > 2 and root[-1] == root[-2]:
                yield root[:-1]  # "planned" → "plan"

"""The checkable facts of a text: numbers, dates, proper names, negations, content words and scripts.

Model-free and deterministic, so that a claim can be compared with its evidence, and a headline with its
article, in code. Works on text without spaces between words (Chinese, Japanese): content "words" there are
character bigrams.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import simplemma
import stopwords
import unicodedataplus
from text_to_num import text2num

from briefer._numerals import DateRef, Number, dates, numbers

__all__ = [
    "DateRef",
    "Number",
    "content_word_sequence",
    "content_words",
    "dates",
    "negated_words",
    "negations",
    "normalise_name",
    "numbers",
    "proper_names",
    "scripts",
]

_Word = tuple[str, int, int]
_CJK_SCRIPTS = frozenset({"Han", "Hiragana", "Katakana", "Hangul"})

# Initialisms ("U.S."), single initials ("F."), then words (hyphens and apostrophes inside them).
_TOKEN = re.compile(
    r"(?:Mr|Mrs|Ms|Dr|St|Mt|Ft|Gen|Sen|Rep|Gov|Lt|Col|Sgt|Capt|Prof|Rev)\.(?= [A-Z])|(?:[^\W\d_]\.){2,}|"
    r"[^\W\d_]\.(?=\s[^\W\d_])|[^\W\d_]+(?:['’-][^\W\d_]+)*"
)
# Lower-case words that may sit inside a name: "Bank of Canada", "Ludwig van Beethoven".
_NAME_CONNECTORS = frozenset({"of", "de", "la", "le", "del", "della", "van", "von", "der", "den", "da", "di", "du",
                              "bin", "al", "y"})  # fmt: skip
_DATE_WORDS = frozenset(
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march",
     "april", "may", "june", "july", "august", "september", "october", "november", "december", "jan", "feb",
     "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "today", "yesterday", "tomorrow"]
)  # fmt: skip

_ENGLISH_NEGATION = (
    r"(?i:\b(?:not|no|never|none|nobody|nothing|nowhere|neither|nor|without|cannot|"
    r"den(?:y|ies|ied|ying)|refus(?:e|es|ed|ing)|declin(?:e|es|ed|ing)(?= to\b)|reject(?:s|ed|ing)?|"
    r"fail(?:s|ed|ing)?(?= to\b)|unable)\b|n[’']t\b)"
)
_NEGATION = re.compile(
    _ENGLISH_NEGATION
    + r"|没有|沒有|并非|並非|不|没|沒|未|無|无|否认|否認|拒绝|拒絕|非"
    + r"|ない|なかった|ません|ずに|せず|否定|拒否"
)
# In ASCII text only the English words can match; alone, they let the scan skip ahead to likely letters.
_ASCII_NEGATION = re.compile(_ENGLISH_NEGATION)
_SPEECH_VERB = re.compile(r"\s+(?:said|says|told|added|wrote|asked|argued|warned)\b")
_POSTFIX_NEGATIONS = frozenset({"ない", "なかった", "ません", "せず"})
_CLAUSE_END = re.compile(r"[,.;:!?，。；：！？—]|\bbut\b")
# Common words that merely contain a negation character ("不过" however, "非常" very, "少ない" few).
_NOT_NEGATIONS = ("不过", "不過", "不斷", "不断", "不仅", "不僅", "不少", "不久", "不管", "不得不", "非常", "非洲",
                  "无论", "無論", "无人机", "無人機", "没收", "沒收", "未来", "未來", "少ない", "危ない")  # fmt: skip


def _is_cjk(char: str) -> bool:
    return unicodedataplus.script(char) in _CJK_SCRIPTS


def scripts(text: str) -> set[str]:
    """The Unicode scripts of the letters in ``text``: "Latin", "Han", "Hiragana", "Katakana", "Cyrillic", …"""
    return set(_scripts(text))


_LATIN = frozenset({"Latin"})
_ASCII_LETTER = re.compile(r"[A-Za-z]")


# The agreement table asks about the same sentences for every claim of a story: remember the answers.
@lru_cache(maxsize=65536)
def _scripts(text: str) -> frozenset[str]:
    if text.isascii():  # most text, and looking up every letter is dear: ASCII letters are all Latin
        return _LATIN if _ASCII_LETTER.search(text) else frozenset()
    found = {unicodedataplus.script(char) for char in text if char.isalpha()}
    return frozenset(found - {"Common", "Inherited", "Unknown"})


@lru_cache(maxsize=65536)  # the names of a morning of thousands
def normalise_name(name: str) -> str:
    """The form in which two spellings of one name compare equal: "the U.S." = "US", "Kovač's" = "kovac"."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = re.sub(r"['’]s\b", "", text)
    text = text.replace(".", "").replace("-", " ").replace("‐", " ")
    words = text.casefold().split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def negations(text: str) -> list[str]:
    """The negations in ``text`` in reading order, lower-cased: "not", "n't", "never", "denied", "没有", "ない", …"""
    return [word for word, _, _ in _negation_matches(text)]


def negated_words(text: str) -> set[str]:
    """The content words that the negations of ``text`` govern: the next two in the same clause (CJK: 4 bigrams).

    "The company did not confirm the layoffs" gives {"confirm", "layoff"}: a statement that asserts
    "confirmed the layoffs" contradicts that evidence.
    """
    governed: set[str] = set()
    for word, start, end in _negation_matches(text):
        # two words; four CJK bigrams span about as much
        count = 4 if _is_cjk(word[0]) else 2
        if word in _POSTFIX_NEGATIONS:  # Japanese negates the verb before it: 発表していない
            clause = _CLAUSE_END.split(text[max(0, start - 40) : start])[-1]
            governed.update(content_word_sequence(clause)[-count:])
        else:
            clause = _CLAUSE_END.split(text[end : end + 80], maxsplit=1)[0]
            governed.update(content_word_sequence(clause)[:count])
    return governed


@lru_cache(maxsize=4096)  # every claim's evidence is asked about again for each claim it might support
def _negation_matches(text: str) -> tuple[tuple[str, int, int], ...]:
    found: list[tuple[str, int, int]] = []
    for match in (_ASCII_NEGATION if text.isascii() else _NEGATION).finditer(text):
        around = text[max(0, match.start() - 2) : match.end() + 2]
        if any(word in around for word in _NOT_NEGATIONS):
            continue
        word = match[0].lower().replace("’", "'")
        found.append(("n't" if word.endswith("n't") else word, match.start(), match.end()))
    return tuple(found)


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    return frozenset(stopwords.get_stopwords("english"))


@lru_cache(maxsize=65536)
def _lemma(word: str) -> str:
    return str(simplemma.lemmatize(word, lang="en")).lower()


@lru_cache(maxsize=65536)
def _is_common_word(word: str) -> bool:
    """True when ``word`` (lower-cased) is an ordinary English word rather than a name."""
    lower = word.lower()
    return lower in _stop_words() or bool(simplemma.is_known(lower, lang="en"))


@lru_cache(maxsize=4096)
def _is_number_word(word: str) -> bool:
    """True for "twelve", "hundred", "million": numbers are compared as numbers, not as words."""
    try:
        text2num(word, "en")
    except ValueError:
        return False
    return True


def content_words(text: str) -> set[str]:
    """Lower-cased lemmas of the words that carry meaning (no stop words); character bigrams for CJK text."""
    return set(_content_words(text))


def content_word_sequence(text: str) -> list[str]:
    """content_words in reading order, repeats kept."""
    return list(_content_words(text))


# The support check meets the same sentences once per claim: cache what it reads from them.
@lru_cache(maxsize=8192)
def _content_words(text: str) -> tuple[str, ...]:
    words: list[str] = []
    for run in re.findall(r"[^\W\d_]+(?:['’][^\W\d_]+)?", text):
        if _is_cjk(run[0]):
            words += _cjk_bigrams(run)
            continue
        lower = run.lower().replace("’", "'")
        if len(lower) > 1 and lower not in _stop_words() and not _is_number_word(lower):
            words.append(_lemma(lower.removesuffix("'s")))
    return tuple(words)


@lru_cache(maxsize=1)
def _cjk_stop_chars() -> frozenset[str]:
    single = [word for language in ("chinese", "japanese") for word in stopwords.get_stopwords(language)]
    return frozenset(word for word in single if len(word) == 1)


def _cjk_bigrams(run: str) -> list[str]:
    """Bigrams of a CJK run, split at function characters; all-hiragana bigrams are inflection, not content."""
    bigrams: list[str] = []
    pieces = re.split("|".join(map(re.escape, _cjk_stop_chars())) or "$^", run)
    for piece in pieces:
        cjk = "".join(char for char in piece if _is_cjk(char))
        for index in range(len(cjk) - 1):
            pair = cjk[index : index + 2]
            if not all(unicodedataplus.script(char) == "Hiragana" for char in pair):
                bigrams.append(pair)
        if len(cjk) == 1 and unicodedataplus.script(cjk) != "Hiragana":
            bigrams.append(cjk)
    return bigrams


def proper_names(text: str) -> list[str]:
    """People, places and organisations as written ("Lee Hsien Loong", "U.S.", "Bank of Canada"), in order.

    A capitalised word that starts a sentence counts only when it is not an ordinary word ("Officials",
    "The"); weekday and month names are dates, not names. Scripts without capitals yield no names.
    """
    return list(_proper_names(text))


@lru_cache(maxsize=32768)
def _proper_names(text: str) -> tuple[str, ...]:
    names: list[str] = []
    for run in _capitalised_runs(text):
        words = list(run)
        while words and _drop_leading(words, text):
            words.pop(0)
        for part in _split_at_connectors(words):
            while part and part[-1][0] in _NAME_CONNECTORS:
                part.pop()
            if part:
                names.append(re.sub(r"['’]s$", "", text[part[0][1] : part[-1][2]]))
    return tuple(names)


def _split_at_connectors(words: list[_Word]) -> list[list[_Word]]:
    """Keep "Bank of Canada" whole but split "Corinne Baptiste of St. Aldric": a name before "of" is a person's."""
    parts: list[list[_Word]] = [[]]
    for word in words:
        left = parts[-1]
        is_connector = word[0] in _NAME_CONNECTORS
        if is_connector and left and not all(_is_common_word(w.rstrip(".")) for w, _, _ in left):
            parts.append([])
        elif not (is_connector and not left):
            left.append(word)
    return [part for part in parts if part]


def _drop_leading(words: list[_Word], text: str) -> bool:
    """True when the run's first word is no part of a name: a date word, or an ordinary word opening a sentence."""
    first, start, _ = words[0]
    lower = first.lower().rstrip(".")
    if lower in _DATE_WORDS or _is_number_word(lower):
        return True
    if len(words) == 1 and lower in _stop_words():
        return True  # "I", and "We" or "But" opening a sentence
    if not _opens_sentence(text, start):
        return False
    if lower in _stop_words():
        return True
    if len(words) > 1 or not _is_common_word(lower):
        return False
    # "Kettle said" names a person; "Officials said" does not (a plural is a common noun's)
    speaks = _SPEECH_VERB.match(text, words[0][2]) is not None
    return not speaks or _lemma(lower) != lower


def _opens_sentence(text: str, start: int) -> bool:
    """True when the word at ``start`` is the first of a sentence, a line, a quotation or a dateline's text."""
    window = max(0, start - 12)
    before = text[window:start].rstrip(" \t\u00a0\"“‘'([")
    if not before:
        return True
    before = before.rstrip("\"”’')]")  # the closing quote after a full stop: 'said." Then'
    return not before or before[-1] in ".!?。！？\n—:;"


def _capitalised_runs(text: str) -> list[list[_Word]]:
    """Runs of capitalised words (with connectors inside), separated only by single spaces."""
    runs: list[list[_Word]] = []
    current: list[_Word] = []
    previous_end = -1
    for match in _TOKEN.finditer(text):
        word, start, end = match[0], match.start(), match.end()
        adjacent = previous_end >= 0 and text[previous_end:start] in {" ", "\u00a0"}
        capital = word[0].isupper()
        if current and adjacent and (capital or word in _NAME_CONNECTORS):
            current.append((word, start, end))
        else:
            if current:
                runs.append(current)
            current = [(word, start, end)] if capital else []
        previous_end = end
    if current:
        runs.append(current)
    return runs

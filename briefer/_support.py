"""Does a claim's evidence say what the claim says? A deterministic, model-free check.

Every number (with its unit) and date in the statement must be in the evidence; every proper name too
(the speaker's own name may instead be in ``context``, the evidence's paragraph, and so may the names that
introduce the speaker there: "Philip Varnum, a spokesman for Ostrander Chemical"); negation must agree; and the
statement must share enough content words with the evidence. What fails is listed in words a re-ask to the
model and a drop reason can use verbatim ("the evidence does not contain: number "15 percent"").
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from briefer._facts import (
    Number,
    content_words,
    dates,
    negated_words,
    negations,
    normalise_name,
    numbers,
    proper_names,
    scripts,
)
from briefer._numerals import canonical

__all__ = [
    "TOO_LITTLE_IN_COMMON",
    "Support",
    "Wording",
    "check_support",
    "evidence_stems",
    "shared_share",
    "supports",
    "wording",
]

TOO_LITTLE_IN_COMMON = "too little in common with the evidence"

# Words compare on their first letters, so that "hospitalised" meets "hospital" and "evacuation" "evacuate".
_STEM_LENGTH = 5
# Share of the statement's content words the evidence must carry; see _enough_in_common.
_SHARED_SHARE = 1 / 3
# How far from the speaker's name in the paragraph their title and organisation may stand.
_INTRODUCTION_CHARS = 60
# Reporting verbs say who spoke, not what: they count neither for nor against the statement.
_REPORTING = frozenset({"say", "tell", "add", "accord", "state"})
_CJK = frozenset({"Han", "Hiragana", "Katakana", "Hangul"})


@dataclass(frozen=True)
class Support:
    """The verdict: ``supported``, and what the evidence lacks, in words fit for a re-ask or a drop reason."""

    supported: bool
    missing: list[str]


def check_support(statement: str, evidence: str, *, context: str = "", speaker: str | None = None) -> Support:
    """Check that ``evidence`` (the article's own sentences) supports ``statement``; see the module docstring."""
    # supports() runs these same tests cheapest first for the agreement table: a test added here goes there too
    missing_names, from_context = _check_names(statement, evidence, context=context, speaker=speaker)
    missing = [
        *_missing_numbers(statement, evidence),
        *_missing_dates(statement, evidence),
        *missing_names,
        *_negation_disagreements(statement, evidence),
    ]
    # the speaker's name and introduction come from the paragraph: the evidence need not share those words
    excused = set().union(*(content_words(name) for name in from_context)) | _REPORTING
    if not _enough_in_common(statement, evidence, excused=excused):
        missing.append(TOO_LITTLE_IN_COMMON)
    return Support(supported=not missing, missing=missing)


def supports(statement: str, evidence: str, *, context: str = "") -> bool:
    """``check_support(statement, evidence, context=context).supported`` (no speaker), cheapest test first.

    The verdict is the same: the statement is supported when no test finds anything missing, so the first test
    that does decides. Without a speaker nothing is excused by the paragraph: the word test excuses only
    reporting verbs.
    """
    return (
        _enough_in_common(statement, evidence, excused=_REPORTING)
        and not _missing_dates(statement, evidence)
        and not _missing_numbers(statement, evidence)
        and not _negation_disagreements(statement, evidence)
        and not _check_names(statement, evidence, context=context, speaker=None)[0]
    )


def _same_number(a: Number, b: Number) -> bool:
    """Equal values in the same unit; a bare number matches any unit ("3.5" in "3.5 percent")."""
    (value_a, unit_a), (value_b, unit_b) = canonical(a.value, a.unit), canonical(b.value, b.unit)
    units_agree = unit_a is None or unit_b is None or unit_a == unit_b
    return units_agree and math.isclose(value_a, value_b, rel_tol=1e-6)


def _missing_numbers(statement: str, evidence: str) -> list[str]:
    said = numbers(statement)
    in_evidence = numbers(evidence) if said else []  # most statements give no figure: the evidence is not read
    return [
        f'number "{number.text}"' for number in said if not any(_same_number(number, other) for other in in_evidence)
    ]


def _missing_dates(statement: str, evidence: str) -> list[str]:
    said = dates(statement)
    known: set[tuple[str, str]] = set()
    for date in dates(evidence) if said else ():
        known.add((date.kind, date.value))
        if date.kind == "day" and " " in date.value:
            known.add(("month", date.value.split()[0]))  # "March 3" also says "March"
    return [f'date "{date.text}"' for date in said if (date.kind, date.value) not in known]


def _check_names(statement: str, evidence: str, *, context: str, speaker: str | None) -> tuple[list[str], list[str]]:
    """The statement's names the evidence lacks, and those found only where the paragraph names the speaker."""
    missing: list[str] = []
    from_context: list[str] = []
    introduction = _speaker_introduction(context, speaker) if speaker else ""
    for name in dict.fromkeys(proper_names(statement)):
        if _name_in(name, evidence, context=context):
            continue
        if speaker and _names_overlap(name, speaker) and _name_in(name, context, context=context):
            from_context.append(name)
        elif introduction and _name_in(name, introduction, context=context):
            from_context.append(name)  # "Philip Varnum, a spokesman for Ostrander Chemical": who the speaker is
        else:
            missing.append(f'name "{name}"')
    return missing, from_context


def _speaker_introduction(context: str, speaker: str) -> str:
    """The words around the speaker's name in the paragraph, where an article says who they are."""
    found = _first_whole_word(context, [word for word in speaker.split() if len(word) > 1])
    if found is None:
        return ""
    return context[max(0, found[0] - _INTRODUCTION_CHARS) : found[1] + _INTRODUCTION_CHARS]


# A morning names thousands of people: a regular expression per name would be compiled again and again (re's own
# cache holds 512), so names are found with str.find and the word edges tested as \b would.
def _first_whole_word(text: str, words: Sequence[str]) -> tuple[int, int] | None:
    """Where the earliest of ``words`` stands in ``text`` as a whole word (the first listed wins a tie)."""
    best: tuple[int, int] | None = None
    for word in words:
        at = text.find(word)
        while at >= 0 and not (_edge(text, at) and _edge(text, at + len(word))):
            at = text.find(word, at + 1)
        if at >= 0 and (best is None or at < best[0]):
            best = (at, at + len(word))
    return best


def _edge(text: str, at: int) -> bool:
    """Whether a word starts or ends at ``at`` (regular expressions' \b)."""
    return _is_word_char(text, at - 1) != _is_word_char(text, at)


def _is_word_char(text: str, at: int) -> bool:
    return 0 <= at < len(text) and (text[at].isalnum() or text[at] == "_")


def _has_whole(text: str, name: str) -> bool:
    """Whether ``name`` stands in ``text`` with no word character on either side."""
    at = text.find(name)
    while at >= 0:
        if not _is_word_char(text, at - 1) and not _is_word_char(text, at + len(name)):
            return True
        at = text.find(name, at + 1)
    return False


def _name_words(text: str) -> list[str]:
    return normalise_name(text).split()


def _names_overlap(name: str, speaker: str) -> bool:
    return bool(set(_name_words(name)) & set(_name_words(speaker)) - {"of", "the"})


def _word_matches(word: str, words: set[str]) -> bool:
    """``word`` is among ``words``, or shares a long prefix with one: "Canada" ~ "Canadian", "Britain" ~ "British"."""
    if word in words:
        return True
    for other in words:
        shorter = min(len(word), len(other))
        prefix = len(_common_prefix(word, other))
        if shorter >= 4 and prefix >= max(4, shorter - 3):
            return True
    return False


def _common_prefix(a: str, b: str) -> str:
    index = 0
    while index < min(len(a), len(b)) and a[index] == b[index]:
        index += 1
    return a[:index]


def _name_in(name: str, text: str, *, context: str) -> bool:
    """The name is in ``text`` whole, or by all its words, or by its last word when ``context`` has it whole."""
    normal = normalise_name(name)
    haystack = normalise_name(text)
    if not normal or _has_whole(haystack, normal):
        return True
    words = set(haystack.split())
    name_words = [word for word in normal.split() if word not in {"of", "the", "and"}]
    if all(_word_matches(word, words) for word in name_words):
        return True
    # "John Kirby" backed by "Kirby said", when the paragraph names John Kirby
    surname = name_words[-1] if name_words else ""
    return bool(surname) and surname in words and normal in normalise_name(context)


def _negation_disagreements(statement: str, evidence: str) -> list[str]:
    said = negations(statement)
    if said:
        return [] if negations(evidence) else [f'negation "{said[0]}"']
    negated = negated_words(evidence) & content_words(statement)
    return [f'the evidence negates "{word}"' for word in sorted(negated)]


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    return word if any(ord(char) > 0x2E7F for char in word) else word[:_STEM_LENGTH]


def _enough_in_common(statement: str, evidence: str, *, excused: set[str] | frozenset[str]) -> bool:
    """The statement shares at least a third of its content words with the evidence (at least one).

    Paraphrase keeps the nouns and names and changes the verbs, so a third is what a faithful paraphrase
    keeps; a statement backed by an unrelated sentence shares one word at most. Words compare by stem.
    """
    shared, said = _shared_words(statement, evidence, excused)
    if not said:
        return False
    return shared >= _needed(statement, said)


def _needed(statement: str, said: int) -> int:
    """How many of the statement's ``said`` content words the evidence must share."""
    if scripts(statement) & _CJK:
        return max(1, math.ceil(said * _SHARED_SHARE / 2))  # bigrams: half of them straddle two words
    return max(1, math.ceil(said * _SHARED_SHARE))


def shared_share(statement: str, evidence: str) -> float:
    """The share of the statement's content words (by stem) that the evidence carries: 0.0 to 1.0."""
    shared, said = _shared_words(statement, evidence, _REPORTING)
    return shared / said if said else 0.0


def _shared_words(statement: str, evidence: str, excused: set[str] | frozenset[str]) -> tuple[int, int]:
    """How many of the statement's content words (less ``excused``) the evidence carries, by stem, of how many."""
    said = content_words(statement) - excused
    stems = evidence_stems(evidence)
    return sum(1 for word in said if _stem(word) in stems), len(said)


# The agreement table tries every sentence and pair of a story's articles for each claim: the same evidences.
@lru_cache(maxsize=4096)
def evidence_stems(evidence: str) -> frozenset[str]:
    """The stems of the evidence's content words, as the word test compares them."""
    return frozenset(_stem(word) for word in content_words(evidence))


@dataclass(frozen=True)
class Wording:
    """A statement's content words by stem (less reporting verbs), and how many the evidence must share."""

    stems: tuple[str, ...]
    needed: int

    def may_support(self, stems: frozenset[str]) -> bool:
        """False when evidence with these stems fails check_support without a speaker: a cheap test to run first.

        It is the check's own word test (``_enough_in_common`` with nothing excused but reporting verbs, which is
        all it excuses when no speaker is given), so it never turns away evidence the whole check accepts.
        """
        return sum(1 for stem in self.stems if stem in stems) >= self.needed


def wording(statement: str) -> Wording | None:
    """The statement's side of the word test, computed once for many evidences; None: no evidence can support it."""
    said = content_words(statement) - _REPORTING
    if not said:
        return None
    return Wording(tuple(_stem(word) for word in said), _needed(statement, len(said)))

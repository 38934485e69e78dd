"""Quantities and what they count, so that briefer itself finds figures that differ between outlets.

"12 workers were taken to hospital" and "17 workers were hospitalised" count the same thing with different
values; "12 workers" and "3 firefighters" count different things. What a number counts is read from the
content words of its clause, nearest first; two quantities are the same when their units agree and what
they count overlaps.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from briefer._facts import content_word_sequence, numbers
from briefer._numerals import canonical

__all__ = ["FigureConflict", "Mention", "Quantity", "contradicts", "figure_conflicts", "quantities", "same_quantity"]


@dataclass(frozen=True)
class Quantity:
    """A number, its unit, and the content words that say what it counts ("worker", "hospital")."""

    value: float
    unit: str | None
    about: frozenset[str]
    text: str
    start: int
    end: int
    counted: str | None = None  # the word right after a bare count: "worker" in "12 workers were hurt"


@dataclass(frozen=True)
class Mention:
    """A quantity as one outlet's article states it, in the sentence at ``sentence_start:sentence_end``."""

    article: str
    outlet: str
    sentence_start: int
    sentence_end: int
    quantity: Quantity


@dataclass(frozen=True)
class FigureConflict:
    """Outlets that give different values for the same quantity: ``what`` is counted, by ``mentions``."""

    what: str
    mentions: list[Mention]


# Where the clause of a number ends: punctuation, a dash, a conjunction joining two clauses.
_CLAUSE_BREAK = re.compile(r"[,;:()\"“”.!?，。；：！？]|\s[—–-]\s|\b(?:and|but|while|whereas|or)\b")
# A counted noun follows its number at once or after "of its", "of our": "12 workers", "12 of its employees".
_COUNTED = re.compile(r"\s*(?:(?:of|the|its|our|their|his|her|those|these)\s+)*[^\W\d_]")
_WORDS_BEFORE = 3
_WORDS_AFTER = 4
# Words that say nothing about what is counted: reporting verbs, dates and times, hedges, prepositions.
_NOT_ABOUT = frozenset(
    {"will", "would", "say", "tell", "accord", "report", "add", "state", "estimate", "least", "roughly",
     "approximately", "nearly", "almost", "around", "within", "toward", "towards", "since", "per", "also",
     "still", "just", "well", "mostly",
     "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march",
     "april", "may", "june", "july", "august", "september", "october", "november", "december", "morning",
     "afternoon", "evening", "night", "overnight", "today", "yesterday", "early", "late", "last", "first"}
)  # fmt: skip
_STEM_LENGTH = 5
# Units of measure say much about what is measured (a distance, an area): one shared word then suffices.
# Counts, percentages and money do not: "rate" alone joins a 3.75% policy rate and a 5.1% jobless rate.
_MEASURES = frozenset({"km", "km2", "m", "mile", "hectare", "acre", "kg", "tonne", "litre", "degree"})


def quantities(text: str) -> list[Quantity]:
    """Every quantity in ``text`` with what it counts: up to 3 content words before it and 4 after, in its clause."""
    return list(_quantities(text))


# A story's every claim is held against every sentence of its articles: the same sentences, read once (enough
# for the few stories checked at a time).
@lru_cache(maxsize=2048)
def _quantities(text: str) -> tuple[Quantity, ...]:
    found = numbers(text)
    result: list[Quantity] = []
    for index, number in enumerate(found):
        left_limit = found[index - 1].end if index > 0 else 0
        right_limit = found[index + 1].start if index + 1 < len(found) else len(text)
        before = _CLAUSE_BREAK.split(text[max(left_limit, number.start - 120) : number.start])[-1]
        after = _CLAUSE_BREAK.split(text[number.end : min(right_limit, number.end + 160)], maxsplit=1)[0]
        words_after = _ordered_words(after)
        # CJK "words" are character bigrams: twice as many cover about as much text
        scale = 2 if any(not word.isascii() for word in words_after[:1]) else 1
        about = frozenset(_ordered_words(before)[-_WORDS_BEFORE * scale :] + words_after[: _WORDS_AFTER * scale])
        counted = words_after[0] if words_after and _COUNTED.match(after) else None
        result.append(Quantity(number.value, number.unit, about, number.text, number.start, number.end, counted))
    return tuple(result)


def _ordered_words(text: str) -> list[str]:
    return list(dict.fromkeys(word for word in content_word_sequence(text) if word not in _NOT_ABOUT))


def _stems(words: frozenset[str]) -> set[str]:
    return {word if not word.isascii() else word[:_STEM_LENGTH] for word in words}


def same_quantity(a: Quantity, b: Quantity) -> bool:
    """Same unit (after conversion: 2,000 m is 2 km) and two shared words in what they count (one if each has one,
    or for a measure such as km).

    "280 firefighters" and "two firefighters were treated in hospital" count different people: one shared
    word is not enough when either side says more.
    """
    if canonical(1.0, a.unit)[1] != canonical(1.0, b.unit)[1]:
        return False
    stems_a, stems_b = _stems(a.about), _stems(b.about)
    needed = 1 if a.unit in _MEASURES else max(1, min(2, max(len(stems_a), len(stems_b))))
    return len(stems_a & stems_b) >= needed and not _count_different_things(a, b)


def _count_different_things(a: Quantity, b: Quantity) -> bool:
    """ "12 workers were taken to hospital" and "3 firefighters were taken to hospital" count different people."""
    if a.unit is not None or a.counted is None or b.counted is None:
        return False
    return a.counted not in b.about and b.counted not in a.about


def _same_value(a: Quantity, b: Quantity) -> bool:
    return math.isclose(canonical(a.value, a.unit)[0], canonical(b.value, b.unit)[0], rel_tol=1e-6)


def contradicts(statement: str, evidence: str) -> list[tuple[Quantity, Quantity]]:
    """The statement's quantities that the evidence gives with another value (and never with the same one)."""
    found: list[tuple[Quantity, Quantity]] = []
    stated = _quantities(statement)
    evidence_quantities = _quantities(evidence) if stated else ()  # no figure stated: nothing to contradict
    for said in stated:
        same = [other for other in evidence_quantities if same_quantity(said, other)]
        if same and not any(_same_value(said, other) for other in same):
            found.append((said, same[0]))
    return found


def figure_conflicts(mentions: Sequence[Mention]) -> list[FigureConflict]:
    """Groups of mentions of one quantity where two outlets give different values; an outlet may repeat itself."""
    groups: list[list[Mention]] = []
    for mention in mentions:
        home = next((group for group in groups if _belongs(mention, group)), None)
        if home is None:
            groups.append([mention])
        else:
            home.append(mention)
    conflicting = _merged([group for group in groups if _outlets_disagree(group)])
    return [FigureConflict(_what(group), group) for group in conflicting]


def _merged(groups: list[list[Mention]]) -> list[list[Mention]]:
    """Join conflicts about one quantity that no pair of sentences linked: "2 km of the site" and "a 2-km radius".

    Two conflicts merge when what they count shares two words, or one word and the same disputed values.
    """
    merged: list[list[Mention]] = []
    for group in groups:
        home = next((other for other in merged if _same_subject(group, other)), None)
        if home is None:
            merged.append(list(group))
        else:
            home.extend(group)
    return merged


def _same_subject(a: Sequence[Mention], b: Sequence[Mention]) -> bool:
    if canonical(1.0, a[0].quantity.unit)[1] != canonical(1.0, b[0].quantity.unit)[1]:
        return False
    stems_a = set().union(*(_stems(mention.quantity.about) for mention in a))
    stems_b = set().union(*(_stems(mention.quantity.about) for mention in b))
    shared = len(stems_a & stems_b)
    return shared >= 2 or (shared == 1 and _values(a) == _values(b))


def _values(group: Sequence[Mention]) -> set[float]:
    return {round(canonical(mention.quantity.value, mention.quantity.unit)[0], 6) for mention in group}


def _belongs(mention: Mention, group: Sequence[Mention]) -> bool:
    return any(same_quantity(mention.quantity, other.quantity) for other in group)


def _outlets_disagree(group: Sequence[Mention]) -> bool:
    return any(a.outlet != b.outlet and not _same_value(a.quantity, b.quantity) for a in group for b in group)


def _what(group: Sequence[Mention]) -> str:
    """The words most mentions share, most shared first, and the unit: "hospital worker", "evacuation zone (km)"."""
    counts: Counter[str] = Counter()
    spelled: dict[str, str] = {}
    for mention in group:
        for word in mention.quantity.about:
            stem = word if not word.isascii() else word[:_STEM_LENGTH]
            counts[stem] += 1
            spelled.setdefault(stem, word)
    shared = [stem for stem, count in counts.most_common() if count * 2 >= len(group)]
    words = " ".join(spelled[stem] for stem in shared[:3]) or "figure"
    unit = canonical(1.0, group[0].quantity.unit)[1]
    return f"{words} ({unit})" if unit else words

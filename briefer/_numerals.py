"""Numbers (with their units) and dates in a text, normalised so that differently written forms compare equal.

"twelve" = "12", "3.5%" = "3.50 percent", "$62m" = "$62 million", "2 km" = "two kilometres", "120人" = 120.
Years and calendar days are dates, not quantities; ordinals ("third", "21st") are neither.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, NamedTuple

from text_to_num import find_numbers, text2num

__all__ = ["DateRef", "Number", "canonical", "dates", "numbers"]


@dataclass(frozen=True)
class Number:
    """A quantity written in the text: its value, its normalised unit (None for a bare count) and where it stands."""

    value: float
    unit: str | None
    text: str
    start: int
    end: int


DateKind = Literal["weekday", "month", "year", "day"]


@dataclass(frozen=True)
class DateRef:
    """A date written in the text: a weekday, a month, a year or a day ("march 3", "yesterday")."""

    kind: DateKind
    value: str
    text: str
    start: int
    end: int


_UNITS: dict[str, tuple[str, ...]] = {
    "percent": ("%", "％", "percent", "per cent", "pct", "per-cent"),
    "point": ("percentage points", "percentage point", "points", "point", "个百分点", "ポイント"),
    "basis point": ("basis points", "basis point", "bps", "bp"),
    "km": ("km", "kilometres", "kilometre", "kilometers", "kilometer", "公里", "千米", "キロメートル", "キロ"),
    "km/h": ("km/h", "kph", "kilometres an hour", "kilometres per hour", "kilometers an hour", "kilometers per hour"),
    "mph": ("mph", "miles an hour", "miles per hour"),
    "km2": ("km2", "km²", "square kilometres", "square kilometre", "square kilometers", "square kilometer"),
    "m": ("metres", "metre", "meters", "meter", "米", "メートル"),
    "mile": ("miles", "mile"),
    "hectare": ("hectares", "hectare", "ha", "公顷"),
    "acre": ("acres", "acre"),
    "kg": ("kg", "kilograms", "kilogram", "kilos", "公斤"),
    "tonne": ("tonnes", "tonne", "tons", "ton", "吨"),
    "litre": ("litres", "litre", "liters", "liter"),
    "degree": ("°c", "°f", "℃", "degrees", "degree", "度"),
    "second": ("seconds", "second", "秒"),
    "minute": ("minutes", "minute", "分钟", "分間"),
    "hour": ("hours", "hour", "小时", "時間"),
    "day": ("days", "day", "天"),
    "week": ("weeks", "week", "周", "週間"),
    "month": ("months", "month", "个月", "か月", "ヶ月"),
    "year": ("years", "year", "年"),
    "usd": ("dollars", "dollar", "美元", "ドル"),
    "gbp": ("pounds sterling", "pounds", "pound"),
    "eur": ("euros", "euro", "欧元", "ユーロ"),
    "jpy": ("yen", "日元", "円"),
    "cny": ("yuan", "renminbi", "元"),
}
_UNIT_OF = {surface: unit for unit, surfaces in _UNITS.items() for surface in surfaces}
_CURRENCY_OF = {"us$": "usd", "$": "usd", "£": "gbp", "€": "eur", "¥": "jpy", "₹": "inr", "c$": "cad", "a$": "aud"}
_SCALE_OF = {
    "thousand": 1e3, "k": 1e3, "千": 1e3, "million": 1e6, "mn": 1e6, "mln": 1e6, "m": 1e6, "百万": 1e6,
    "billion": 1e9, "bn": 1e9, "trillion": 1e12, "tn": 1e12, "万": 1e4, "萬": 1e4, "亿": 1e8, "億": 1e8,
}  # fmt: skip


def _alternation(words: Iterable[str]) -> str:
    """A regex alternation of ``words``, longest first so that "kilometres" wins over "km"."""
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


# A letter after a unit or scale word means it was the start of a longer word ("m" in "metro").
_WORD_END = r"(?![A-Za-z])"
_DIGITS = re.compile(
    rf"""(?<![A-Za-z0-9.,:/])(?<![A-Za-z]-)
    (?P<cur>US\$|C\$|A\$|[$£€¥₹])?\s?
    (?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![\d,]\d|:\d)
    (?P<ordinal>st|nd|rd|th)?
    (?:[\s-]?(?P<scale>{_alternation(_SCALE_OF)}){_WORD_END})?
    (?:[\s-]?(?P<unit>{_alternation(_UNIT_OF)}){_WORD_END})?
    (?P<clock>\s?(?:a\.m\.|p\.m\.|am\b|pm\b))?""",
    re.IGNORECASE | re.VERBOSE,
)
_UNIT_AFTER = re.compile(rf"[\s-]?(?P<unit>{_alternation(_UNIT_OF)}){_WORD_END}", re.IGNORECASE)
_FRACTION = re.compile(
    r"\b(?P<count>an?|one|two|three)[\s-](?P<part>half|thirds?|quarters?)\b(?=\s+of\b|[\s-]\w)", re.IGNORECASE
)
_FRACTION_PART = {"half": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4}
_FRACTION_COUNT = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3}
_PLURAL_NEXT = re.compile(r"\s+(?!metres\b|meters\b|long\b|high\b)(?:people|[a-z]{3,}s)\b")
# "half a million", "a dozen", "two dozen": the count times the scale.
_MULTIPLE = re.compile(
    r"\b(?:(?P<half>half) an?|(?P<count>an?|one|two|three|four|five|six)) (?P<scale>million|billion|thousand|dozen)\b",
    re.IGNORECASE,
)
_ANY_DIGIT = re.compile(r"\d")
_FRACTION_PARTS = ("half", "third", "quarter")
_MULTIPLE_SCALES = ("million", "billion", "thousand", "dozen")
_OF_A = re.compile(r"\s+of\s+an?(?=\s)", re.IGNORECASE)
_WORD_TOKEN = re.compile(r"[A-Za-z]+|[^\sA-Za-z-]")


class _WordToken(NamedTuple):
    """A token for text_to_num's ``find_numbers``, with its place in the text (a tuple: made for every word)."""

    word: str
    start: int
    end: int

    def text(self) -> str:
        return self.word

    def nt_separated(self, previous: _WordToken) -> bool:
        return False

    def not_a_number_part(self) -> bool:
        return False


# Units that are another unit scaled: "25 basis points" = "a quarter point", "2,000 m" = "2 km".
_SCALED_UNITS = {"basis point": ("point", 0.01), "m": ("km", 0.001), "tonne": ("kg", 1000.0)}


def canonical(value: float, unit: str | None) -> tuple[float, str | None]:
    """The value in its unit's base unit, so that "25 basis points" compares equal to "0.25 points"."""
    base, factor = _SCALED_UNITS.get(unit or "", (unit, 1.0))
    return value * factor, base


def numbers(text: str) -> list[Number]:
    """Every quantity in ``text`` in reading order: digits, number words, simple fractions; not dates or years."""
    return list(_numbers(text))


@lru_cache(maxsize=4096)
def _numbers(text: str) -> tuple[Number, ...]:
    date_spans = [(date.start, date.end) for date in _dates(text)]
    # each pattern scans the whole text: those that need a digit or a word the text lacks are skipped
    lower = text.lower()
    digits = _digit_numbers(text) if _ANY_DIGIT.search(text) else ()
    fractions = _fractions(text) if any(part in lower for part in _FRACTION_PARTS) else ()
    multiples = _multiples(text) if any(scale in lower for scale in _MULTIPLE_SCALES) else ()
    found = [*digits, *_word_numbers(text), *fractions, *multiples]
    found.sort(key=lambda number: (number.start, -(number.end - number.start)))
    kept: list[Number] = []
    for number in found:
        overlaps_date = any(start < number.end and number.start < end for start, end in date_spans)
        if not overlaps_date and (not kept or number.start >= kept[-1].end):
            kept.append(number)
    return tuple(kept)


@lru_cache(maxsize=1)  # the numbers of a text read its dates first: both read the same digits
def _digit_matches(text: str) -> tuple[re.Match[str], ...]:
    return tuple(_DIGITS.finditer(text))


def _digit_numbers(text: str) -> Iterator[Number]:
    for match in _digit_matches(text):
        if match["ordinal"] or match["clock"] or _is_year(match):
            continue
        value = float(match["num"].replace(",", ""))
        currency = _CURRENCY_OF.get((match["cur"] or "").lower())
        scale = (match["scale"] or "").lower()
        unit = _UNIT_OF.get((match["unit"] or "").lower())
        if scale == "m" and currency is None and not _PLURAL_NEXT.match(text, match.end()):
            unit, scale = "m", ""  # "a 200m climb" is a length; "$62m" and "1.2m people" are millions
        yield Number(value * _SCALE_OF.get(scale, 1.0), currency or unit, match[0], match.start(), match.end())


def _is_year(match: re.Match[str]) -> bool:
    """A bare four-digit number from 1900 to 2099 (or one followed by 年) is a year."""
    digits = match["num"]
    if not re.fullmatch(r"(?:19|20)\d\d", digits) or match["cur"] or match["scale"]:
        return False
    return match["unit"] is None or match["unit"] == "年"


def _word_numbers(text: str) -> Iterator[Number]:
    """Numbers written in English words ("twelve", "three hundred", "two million"), with a unit if one follows."""
    # Reading a text token by token is dear and most sentences hold no number word: each stretch up to a full
    # stop (which ends any number) is read only when one of its words is a number.
    at = 0
    for stop in [*_STRETCH_END.finditer(text), None]:
        end = stop.start() if stop else len(text)
        if any(_is_number_part(word) for word in set(_LETTERS.findall(text[at:end].lower()))):
            yield from _stretch_word_numbers(text, at, end)
        at = stop.end() if stop else end


def _stretch_word_numbers(text: str, at: int, until: int) -> Iterator[Number]:
    tokens = [_WordToken(m[0], m.start(), m.end()) for m in _WORD_TOKEN.finditer(text, at, until)]
    # digits are read by _digit_numbers; a placeholder keeps "3 million" from being read twice
    tokens = [token if not token.word.isdigit() else _WordToken("|", token.start, token.end) for token in tokens]
    for occurrence in find_numbers(tokens, "en", 0.0):
        if occurrence.is_ordinal:
            continue
        start, end = tokens[occurrence.start].start, tokens[occurrence.end - 1].end
        if text[start:end].lower().endswith("s"):
            continue  # "hundreds of families", "thousands": no figure to check
        unit_match = _UNIT_AFTER.match(text, end)
        if text[start:end].lower() in {"one", "a"} and unit_match is None:
            continue  # "one of them", "one official": a pronoun or an article far more often than a count
        unit = _UNIT_OF.get(unit_match["unit"].lower()) if unit_match else None
        end = unit_match.end() if unit_match else end
        yield Number(float(occurrence.value), unit, text[start:end], start, end)


_STRETCH_END = re.compile(r"(?<=[.!?;])\s+")
_LETTERS = re.compile(r"[a-z]+")


@lru_cache(maxsize=65536)
def _is_number_part(word: str) -> bool:
    """Whether text_to_num reads ``word`` alone as a number: every number it finds holds such a word."""
    return bool(find_numbers([_WordToken(word, 0, len(word))], "en", 0.0))


def _multiples(text: str) -> Iterator[Number]:
    for match in _MULTIPLE.finditer(text):
        count = (
            0.5 if match["half"] else _FRACTION_COUNT.get(match["count"].lower(), 0) or text2num(match["count"], "en")
        )
        scale = 12.0 if match["scale"].lower() == "dozen" else _SCALE_OF[match["scale"].lower()]
        yield Number(count * scale, None, match[0], match.start(), match.end())


def _fractions(text: str) -> Iterator[Number]:
    """ "a quarter of a percentage point" (0.25 point), "two thirds of residents" (0.667)."""
    for match in _FRACTION.finditer(text):
        value = _FRACTION_COUNT[match["count"].lower()] / _FRACTION_PART[match["part"].lower()]
        end = match.end()
        of_a = _OF_A.match(text, end)
        unit_match = _UNIT_AFTER.match(text, of_a.end() if of_a else end)
        if unit_match:
            end = unit_match.end()
        unit = _UNIT_OF.get(unit_match["unit"].lower()) if unit_match else None
        yield Number(round(value, 4), unit, text[match.start() : end], match.start(), end)


_MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
_MONTH_ABBREVIATIONS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
                        "oct": 10, "nov": 11, "dec": 12}  # fmt: skip
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTH_NAME = (
    rf"(?:{'|'.join(m.capitalize() for m in _MONTHS)}|(?:{'|'.join(a.capitalize() for a in _MONTH_ABBREVIATIONS)})\.?)"
)
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?(?![\d:])"
_DAY_PATTERNS = (
    re.compile(rf"\b(?P<month>{_MONTH_NAME})\s+{_DAY}"),
    re.compile(rf"(?<![\d.,]){_DAY}(?:\s+of)?\s+(?P<month>{_MONTH_NAME})(?![^\W\d_])"),
)
# "May" is a month only next to a preposition that takes one: otherwise it is the modal verb.
_MONTH_ALONE = re.compile(
    rf"\b(?:(?P<month>{'|'.join(m.capitalize() for m in _MONTHS if m != 'may')})"
    r"|\b(?:in|since|until|by|of|last|next|early|late|mid)\s+(?P<may>May))\b"
)
_MONTH_STARTS = tuple(month[:3].capitalize() for month in _MONTHS)
_WEEKDAY = re.compile(rf"\b(?:{'|'.join(d.capitalize() for d in _WEEKDAYS)})s?\b")
_RELATIVE = {"yesterday": "yesterday", "today": "today", "tonight": "today", "tomorrow": "tomorrow",
             "昨天": "yesterday", "今天": "today", "明天": "tomorrow", "昨日": "yesterday", "今日": "today",
             "明日": "tomorrow"}  # fmt: skip
_RELATIVE_WORD = re.compile(
    rf"(?i:\b(?:yesterday|today|tonight|tomorrow)\b)|{'|'.join(w for w in _RELATIVE if not w.isascii())}"
)
_CJK_DAY = re.compile(r"(?<!\d)(?P<month>1[0-2]|0?[1-9])月(?:(?P<day>[0-3]?\d)[日号])?")
_CJK_WEEKDAY = re.compile(r"(?:星期|礼拜|周)(?P<zh>[一二三四五六日天])|(?P<ja>[月火水木金土日])曜日?")
_ZH_WEEKDAY = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_JA_WEEKDAY = {"月": 0, "火": 1, "水": 2, "木": 3, "金": 4, "土": 5, "日": 6}


def dates(text: str) -> list[DateRef]:
    """Every weekday, month, calendar day, year and yesterday/today/tomorrow in ``text``, in reading order."""
    return list(_dates(text))


@lru_cache(maxsize=4096)
def _dates(text: str) -> tuple[DateRef, ...]:
    # most sentences hold no digit, and the patterns of days and years scan every position for one
    with_digits = [*_days(text), *_years(text)] if _ANY_DIGIT.search(text) else []
    found = [*with_digits, *_months(text), *_weekdays(text), *_relative_days(text)]
    found.sort(key=lambda date: (date.start, -(date.end - date.start)))
    kept: list[DateRef] = []
    for date in found:
        if not kept or date.start >= kept[-1].end:
            kept.append(date)
    return tuple(kept)


def _month_number(name: str) -> int:
    key = name.lower().rstrip(".")
    return _MONTHS.index(key) + 1 if key in _MONTHS else _MONTH_ABBREVIATIONS[key]


def _days(text: str) -> Iterator[DateRef]:
    for pattern in _DAY_PATTERNS if _names_a_month(text) else ():
        for match in pattern.finditer(text):
            day = int(match["day"])
            if 1 <= day <= 31:
                value = f"{_MONTHS[_month_number(match['month']) - 1]} {day}"
                yield DateRef("day", value, match[0], match.start(), match.end())
    for match in _CJK_DAY.finditer(text) if "月" in text else ():
        month = _MONTHS[int(match["month"]) - 1]
        if match["day"]:
            yield DateRef("day", f"{month} {int(match['day'])}", match[0], match.start(), match.end())
        else:
            yield DateRef("month", month, match[0], match.start(), match.end())


def _names_a_month(text: str) -> bool:
    """Whether a capitalised month name or abbreviation may be in ``text`` (every one starts with one of these)."""
    return any(start in text for start in _MONTH_STARTS)


def _months(text: str) -> Iterator[DateRef]:
    for match in _MONTH_ALONE.finditer(text) if _names_a_month(text) else ():
        group = "month" if match["month"] else "may"
        yield DateRef("month", match[group].lower(), match[group], match.start(group), match.end(group))


def _weekdays(text: str) -> Iterator[DateRef]:
    for match in _WEEKDAY.finditer(text) if "day" in text else ():  # every weekday's name ends so
        yield DateRef("weekday", match[0].lower().removesuffix("s"), match[0], match.start(), match.end())
    for match in () if text.isascii() else _CJK_WEEKDAY.finditer(text):
        index = _ZH_WEEKDAY[match["zh"]] if match["zh"] else _JA_WEEKDAY[match["ja"]]
        yield DateRef("weekday", _WEEKDAYS[index], match[0], match.start(), match.end())


def _years(text: str) -> Iterator[DateRef]:
    for match in _digit_matches(text):
        if _is_year(match) and not match["ordinal"] and not match["clock"]:
            end = match.start("num") + 4 + (1 if match["unit"] == "年" else 0)
            yield DateRef("year", match["num"], text[match.start("num") : end], match.start("num"), end)


def _relative_days(text: str) -> Iterator[DateRef]:
    lower = text.lower()
    if text.isascii() and not any(word in lower for word in ("yesterday", "today", "tonight", "tomorrow")):
        return
    for match in _RELATIVE_WORD.finditer(text):
        yield DateRef("day", _RELATIVE[match[0].lower()], match[0], match.start(), match.end())

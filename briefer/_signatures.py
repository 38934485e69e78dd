"""Event signatures: when an article's event happened, and its key figures, read from its title and lede.

News puts the when in the first paragraph ("on Tuesday", "late on Saturday", "April 17", "yesterday"), so
dates come from the title and the first paragraph that has one, resolved against the publication date:
a weekday is the latest such day on or before publication, a day without a year the nearest to it, and
"two days after" / "the day before" count back from the date they follow. A date after publication is a plan
or a deadline, not the event ("until Friday", "goes on sale on October 1"), and is left out.

An article's own event date is the first one its lede gives that is not just when someone spoke ("said on
Tuesday"): later dates in the lede often place another event ("two days after a national rail strike").
Two signatures conflict when their own event dates lie more than a day apart, or when both give a figure of
one kind (a percentage, a quake's magnitude, a sum of money) and share none.

A dozen regular expressions rather than ``dateparser.search``: it is two orders of magnitude slower, and
grouping must read ten thousand articles in seconds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

__all__ = [
    "DATE_SLACK_DAYS",
    "Signature",
    "conflicts",
    "date_conflict",
    "event_dates",
    "figure_conflicts",
    "figures",
    "signature",
]

DATE_SLACK_DAYS = 1  # an event late at night, or told a day later, is still the same day's event
LEDE_PARAGRAPHS = 3  # look no further than this for a paragraph with a date

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}
_COUNT = r"\d{1,2}|" + "|".join(_NUMBERS)
_DATE = re.compile(
    rf"\b(?P<weekday>{'|'.join(_WEEKDAYS)})(?:'s|’s)?\b"
    rf"|\b(?P<month>{_MONTH})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>\d{{4}}))?"
    rf"|\b(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month2>{_MONTH})\b\.?(?:,?\s+(?P<year2>\d{{4}}))?"
    r"|\b(?P<yesterday>yesterday|last night)\b"
    r"|\b(?P<today>today|tonight|this morning|this afternoon|this evening|overnight)\b"
    rf"|\b(?P<count>{_COUNT})\s+days?\s+(?:after|earlier|ago|before)\b"
    r"|\bthe\s+(?P<previous>day|night|evening)\s+before\b|\bthe\s+previous\s+(?:day|night|evening)\b",
    re.IGNORECASE,
)
# a weekday after one of these is a plan or a deadline, not when the event happened
_NOT_EVENT = re.compile(
    r"\b(?:until|till|by|next|before|from|coming|every)\W+\w*\W*\Z|\b(?:will|would|due|expected)\b(?:\W+\w+){0,5}\W*\Z",
    re.IGNORECASE,
)
_REPORTED = re.compile(
    r"\b(?:said|says|announced|told|confirmed|reported|added|stated|warned)\b(?:\W+\w+){0,2}?\W+on\W*\Z", re.I
)
_PARAGRAPHS = re.compile(r"\n\s*\n|\n")
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*(?:%|percent\b|per cent\b)", re.IGNORECASE)
_MAGNITUDE = re.compile(r"\bmagnitude[-\s]+(\d(?:\.\d)?)\b|\b(\d\.\d)[-\s]+magnitude\b", re.IGNORECASE)
# "$62m" or "62 million": a bare "m" is a sum only after a currency sign (else it is metres)
_MONEY = re.compile(r"([$€£]\s?)?(\d+(?:[.,]\d+)?)\s*(billion|bn|million|m)\b", re.IGNORECASE)
_SCALE = {"billion": 1e9, "bn": 1e9, "million": 1e6, "m": 1e6}


@dataclass(frozen=True)
class Signature:
    """What identifies an article's event beyond its words: when it happened, and its key figures."""

    dates: frozenset[date] = frozenset()
    primary: date | None = None  # the article's own event date: the lede's first, unless only a speech's
    figures: dict[str, frozenset[str]] = field(default_factory=dict)


def signature(title: str, text: str, published: datetime | None) -> Signature:
    """The event signature of one article, from its title and lede."""
    found: list[tuple[date, bool]] = []
    for paragraph in _lede_paragraphs(text):
        found = _dated(paragraph, published)
        if found:
            break
    events = [day for day, reported in found if not reported] or [day for day, _ in found]
    dates = {day for day, _ in found} | event_dates(title, published)
    lede = _lede_paragraphs(text)[:1]
    return Signature(frozenset(dates), events[0] if events else None, figures("\n".join([title, *lede])))


def _lede_paragraphs(text: str) -> list[str]:
    return [p for p in (part.strip() for part in _PARAGRAPHS.split(text.strip(), LEDE_PARAGRAPHS)) if p][
        :LEDE_PARAGRAPHS
    ]


def event_dates(text: str, published: datetime | None) -> set[date]:
    """Dates of events in ``text``, resolved against the publication date (none without one)."""
    return {day for day, _ in _dated(text, published)}


def _dated(text: str, published: datetime | None) -> list[tuple[date, bool]]:
    """Dates in ``text`` in order, each with whether it only says when someone spoke ("said on Monday")."""
    if published is None:
        return []
    day = published.date()
    found: list[tuple[date, bool]] = []
    anchor = day
    for match in _DATE.finditer(text):
        resolved = _resolve(match, day, anchor, text)
        if resolved is not None and resolved <= day + timedelta(days=DATE_SLACK_DAYS):
            found.append((resolved, bool(_REPORTED.search(text[max(0, match.start() - 40) : match.start()]))))
            anchor = resolved
    return found


def _resolve(match: re.Match[str], day: date, anchor: date, text: str) -> date | None:
    """One date match as a calendar day, or None when it names no past event."""
    groups = match.groupdict()
    if groups["weekday"]:
        if _NOT_EVENT.search(text[max(0, match.start() - 50) : match.start()]):
            return None
        return day - timedelta(days=(day.weekday() - _WEEKDAYS.index(groups["weekday"].lower())) % 7)
    if groups["month"] or groups["month2"]:
        month = _MONTHS[(groups["month"] or groups["month2"]).lower()]
        year = groups["year"] or groups["year2"]
        return _calendar_day(int(year) if year else None, month, int(groups["day"] or groups["day2"]), day)
    return _relative(groups, day, anchor)


def _relative(groups: dict[str, str | None], day: date, anchor: date) -> date:
    """Yesterday, today, "two days after" (counted back from the date before it), "the day before"."""
    if groups["yesterday"]:
        return day - timedelta(days=1)
    if groups["today"]:
        return day
    count = (groups["count"] or "1").lower()
    return anchor - timedelta(days=_NUMBERS.get(count) or int(count))


def _calendar_day(year: int | None, month: int, day_of_month: int, near: date) -> date | None:
    """A day of a month; without a year, the one nearest ``near``. None for impossible dates."""
    candidates = []
    for y in [year] if year else [near.year - 1, near.year, near.year + 1]:
        try:
            candidates.append(date(y, month, day_of_month))
        except ValueError:
            continue
    return min(candidates, key=lambda d: abs((d - near).days), default=None)


def figures(text: str) -> dict[str, frozenset[str]]:
    """Key figures by kind: percentages, earthquake magnitudes, sums of money (normalised)."""
    found: dict[str, set[str]] = {}
    for value in _PERCENT.findall(text):
        found.setdefault("percent", set()).add(f"{float(value):g}")
    for first, second in _MAGNITUDE.findall(text):
        found.setdefault("magnitude", set()).add(f"{float(first or second):g}")
    for sign, amount, scale in _MONEY.findall(text):
        if scale.lower() == "m" and not sign:
            continue
        # "1,200 million" has a thousands separator, "1,2 billion" a decimal comma
        number = amount.replace(",", "") if re.fullmatch(r"\d{1,3}(?:,\d{3})+", amount) else amount.replace(",", ".")
        found.setdefault("money", set()).add(f"{float(number) * _SCALE[scale.lower()]:g}")
    return {kind: frozenset(values) for kind, values in found.items()}


def conflicts(a: Signature, b: Signature) -> list[str]:
    """Why two signatures cannot be one event: dates apart, or different figures of one kind."""
    reasons = [f"event dates {a.primary} vs {b.primary}"] if date_conflict(a, b) else []
    for kind in figure_conflicts(a, b):
        reasons.append(f"{kind} {', '.join(sorted(a.figures[kind]))} vs {', '.join(sorted(b.figures[kind]))}")
    return reasons


def date_conflict(a: Signature, b: Signature) -> bool:
    """Both give their own event date, and these lie more than DATE_SLACK_DAYS apart."""
    return a.primary is not None and b.primary is not None and abs((a.primary - b.primary).days) > DATE_SLACK_DAYS


def figure_conflicts(a: Signature, b: Signature) -> list[str]:
    """Kinds of figure that both give, with no value in common."""
    return [kind for kind in sorted(a.figures.keys() & b.figures.keys()) if not a.figures[kind] & b.figures[kind]]

"""Grouping articles into stories: one real-world event or thread each.

Similarity of two articles = half named-entity overlap (people, organisations, places: from the title, the
lede and the briefing's actors), half TF-IDF cosine of title, lede and briefing summary, scaled down when
they were published days apart. Groups form by average linkage, so one article that resembles two stories
cannot chain them together, and two fires in different towns stay apart because their places differ.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from briefer.models import Briefing

__all__ = ["StoryItem", "explain", "group_stories", "similarity"]

THRESHOLD = 0.2
_LEDE_CHARS = 700
_NAME = re.compile(r"\b[A-Z][\w'’-]+(?:\s+(?:of\s+|the\s+)?[A-Z][\w'’-]+)*")
_WORD = re.compile(r"[a-z][a-z'-]{2,}")
_STOP = frozenset(
    [
        "the",
        "a",
        "an",
        "and",
        "or",
        "but",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "from",
        "by",
        "with",
        "as",
        "is",
        "was",
        "were",
        "be",
        "been",
        "are",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "said",
        "says",
        "say",
        "after",
        "before",
        "over",
        "under",
        "into",
        "about",
        "than",
        "more",
        "most",
        "also",
        "has",
        "have",
        "had",
        "not",
        "new",
        "will",
        "would",
        "could",
        "can",
        "may",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "percent",
        "per",
        "cent",
        "year",
        "years",
        "week",
        "day",
        "days",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "mr",
        "mrs",
        "ms",
        "dr",
    ]
)


@dataclass(frozen=True)
class StoryItem:
    """What grouping looks at in one article."""

    title: str
    text: str
    published: datetime | None
    briefing: Briefing | None = None


def _entities(item: StoryItem) -> set[str]:
    sources = [item.title, item.text[:_LEDE_CHARS]]
    if item.briefing is not None:
        sources += [actor.name for actor in item.briefing.actors]
    names = {match.group(0).casefold() for text in sources for match in _NAME.finditer(text)}
    words = {word for name in names for word in name.split() if word not in _STOP and len(word) > 2}
    return words


def _terms(item: StoryItem) -> Counter[str]:
    text = f"{item.title} {item.title} {item.text[:_LEDE_CHARS]}"
    if item.briefing is not None:
        text += f" {item.briefing.headline} {item.briefing.summary}"
    return Counter(word for word in _WORD.findall(text.casefold()) if word not in _STOP)


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    dot = sum(weight * b.get(term, 0.0) for term, weight in a.items())
    norm = math.sqrt(sum(w * w for w in a.values())) * math.sqrt(sum(w * w for w in b.values()))
    return dot / norm if norm else 0.0


def _time_factor(a: StoryItem, b: StoryItem) -> float:
    if a.published is None or b.published is None:
        return 1.0
    days = abs((a.published - b.published).total_seconds()) / 86400
    return 1.0 if days <= 2 else max(0.3, 1.0 - (days - 2) / 10)


class _Batch:
    """TF-IDF weights over one batch of articles, so common words of the day weigh little."""

    def __init__(self, items: Sequence[StoryItem]) -> None:
        self.items = list(items)
        self.entities = [_entities(item) for item in self.items]
        counts = [_terms(item) for item in self.items]
        frequency = Counter(term for count in counts for term in count)
        total = len(counts)
        self.vectors = [
            {term: n * math.log((1 + total) / (1 + frequency[term])) for term, n in count.items()} for count in counts
        ]

    def parts(self, i: int, j: int) -> dict[str, float]:
        entity = _jaccard(self.entities[i], self.entities[j])
        words = _cosine(self.vectors[i], self.vectors[j])
        time = _time_factor(self.items[i], self.items[j])
        return {"entities": entity, "words": words, "time": time, "similarity": (entity + words) / 2 * time}


def explain(a: StoryItem, b: StoryItem) -> dict[str, float]:
    """The components of ``similarity``: entity overlap, word cosine, time factor, and the result."""
    return _Batch([a, b]).parts(0, 1)


def similarity(a: StoryItem, b: StoryItem) -> float:
    """How likely two articles report the same story, 0 to 1."""
    return explain(a, b)["similarity"]


def group_stories(items: Sequence[StoryItem], *, threshold: float = THRESHOLD) -> list[list[int]]:
    """Every index in exactly one group, groups ordered by their first index (average linkage)."""
    batch = _Batch(items)
    n = len(batch.items)
    pair = {(i, j): batch.parts(i, j)["similarity"] for i in range(n) for j in range(i + 1, n)}
    groups = [[i] for i in range(n)]
    while len(groups) > 1:
        best, score = None, threshold
        for a in range(len(groups)):
            for b in range(a + 1, len(groups)):
                link = sum(pair[min(i, j), max(i, j)] for i in groups[a] for j in groups[b])
                link /= len(groups[a]) * len(groups[b])
                if link >= score:
                    best, score = (a, b), link
        if best is None:
            break
        a, b = best
        groups[a] = sorted(groups[a] + groups[b])
        del groups[b]
    return sorted(groups, key=lambda group: group[0])

"""A generated corpus for timing story grouping: invented events, each told by one to four outlets.

Names are random syllables, so a batch of ten thousand articles has the spread of rare names and common words
real news has; the text is filler, good for timing and nothing else.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from briefer._grouping import StoryItem

__all__ = ["generate"]

_SYLLABLES = [
    "ka",
    "ro",
    "mer",
    "tal",
    "vin",
    "os",
    "bre",
    "du",
    "len",
    "sa",
    "to",
    "rik",
    "an",
    "fel",
    "ho",
    "mar",
    "quin",
    "ast",
    "el",
    "dor",
    "pe",
    "lu",
    "gar",
    "nis",
    "bo",
    "ur",
    "ves",
    "ti",
]
_KINDS = [
    ("fire", "A fire broke out at the {org} warehouse in {place} on {day}, {person} of the fire service said."),
    ("vote", "The {place} council voted on {day} to approve {amount} million euros for the {org} project."),
    ("strike", "Workers at {org} in {place} walked out on {day} over pay, union leader {person} said."),
    ("launch", "{org} launched a new product in {place} on {day}, chief executive {person} told reporters."),
    ("crash", "{count} people were hurt when a bus crashed near {place} on {day}, police chief {person} said."),
]
_FILLER = (
    "Residents said they had never seen anything like it. Officials promised to publish more details soon. "
    "The company said it was cooperating fully. Critics said the authorities should have acted sooner."
)
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _name(rng: random.Random, parts: int = 3) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(parts)).title()


def generate(count: int, seed: int = 1) -> list[StoryItem]:
    """``count`` articles about invented events over two months, in random order."""
    rng = random.Random(seed)
    start = datetime(2027, 3, 1, 6, tzinfo=UTC)
    items: list[StoryItem] = []
    while len(items) < count:
        kind, lede = rng.choice(_KINDS)
        when = start + timedelta(days=rng.randrange(60), hours=rng.randrange(12))
        facts = {
            "org": f"{_name(rng)} {rng.choice(['Group', 'Systems', 'Foods', 'Logistics'])}",
            "place": _name(rng, 4),
            "person": f"{_name(rng)} {_name(rng, 4)}",
            "day": _WEEKDAYS[when.weekday()],
            "amount": rng.randrange(5, 500),
            "count": rng.randrange(2, 40),
        }
        for outlet in range(rng.randint(1, 4)):
            published = when + timedelta(hours=outlet * 3 + rng.randrange(3))
            title = f"{facts['place']}: {kind} at {facts['org']} ({outlet + 1})"
            text = f"{lede.format(**facts)}\n\n{_FILLER} {_name(rng)} {_name(rng, 4)} was quoted."
            items.append(StoryItem(title, text, published))
    rng.shuffle(items)
    return items[:count]

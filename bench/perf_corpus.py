"""Generated news articles for the performance bench: invented events, each told by one to four outlets.

Names are random syllables (bench/corpus.py's), so a large batch has the spread of rare names real news has.
Every article is a title line and four paragraphs of three sentences. Most sentences report what a named
person said in the form "<what>, <First Last> said." so the bench's simulated model can cite them and write
statements briefer's checks accept; the rest are filler. Good for timing, not for judging quality.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from bench.corpus import _name

__all__ = ["GeneratedArticle", "generate_articles", "write_corpus"]

# What each kind of event's sources say: at most 14 words each, so a statement can restate one without copying
# 15 words; each opens with a name, a number or one of bench/perf_answers.py's common openers.
_KINDS = {
    "Fire at {org} in {place}": (
        "A fire broke out at the {org} warehouse in {place} on {day}",
        "{count} workers were taken to hospital after the fire at {org}",
        "the {place} council approved {amount} million euros for repairs on {day}",
        "{org} will close its {place} site for {weeks} weeks",
        "the blaze at {org} started in a storage room shortly after {hour} o'clock",
        "about {residents} residents of {place} were told to keep their windows shut",
        "{org} had passed its last safety inspection in {year}",
        "insurers put the damage at {org} at {damage} million euros",
    ),
    "Strike at {org} in {place}": (
        "about {residents} staff at {org} in {place} stopped work on {day}",
        "the union wants a pay rise of {count} percent at {org}",
        "{org} offered its {place} staff a one-off bonus of {amount} euros",
        "the strike at {org} could last {weeks} weeks",
        "deliveries from the {place} depot fell by {damage} percent",
        "{org} last raised wages in {year}",
        "talks between {org} and the union will resume at {hour} o'clock",
        "a mediator from {place} has been asked to help",
    ),
    "{place} council votes on {org} plan": (
        "the {place} council voted {count} to {hour} for the {org} housing plan",
        "{org} will build {residents} flats on the old {place} rail yard",
        "the {org} plan will cost {amount} million euros over {weeks} years",
        "a first {place} vote on the plan failed in {year}",
        "about {damage} percent of the new {org} flats will be affordable",
        "the {org} building work in {place} could start on {day}",
        "opponents in {place} collected {residents} signatures against the {org} plan",
        "the {place} rail yard has stood empty since {year}",
    ),
}
_FILLER = (
    "Residents said they had never seen anything like it.",
    "Officials promised to publish more details soon.",
    "The company said it was cooperating fully.",
    "Critics said the authorities should have acted sooner.",
    "Traffic in the area was diverted for most of the day.",
    "Neighbours gathered outside the site to watch.",
)
_OUTLETS = ("Harbour Times", "Metro Wire", "Coastline Daily", "Northshore Courier", "Valley Herald", "City Ledger")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class GeneratedArticle:
    """One article: its file stem, title, outlet and text (the title is the text's first line)."""

    stem: str
    title: str
    outlet: str
    text: str


def _event(rng: random.Random) -> dict[str, object]:
    return {
        "kind": rng.choice(list(_KINDS)),
        "org": f"{_name(rng)} {_name(rng, 3)}",
        "place": _name(rng, 4),
        "day": rng.choice(_WEEKDAYS),
        "count": rng.randrange(2, 40),
        "amount": rng.randrange(5, 500),
        "weeks": rng.randrange(2, 12),
        "hour": rng.randrange(1, 12),
        "residents": rng.randrange(100, 900),
        "year": rng.randrange(2015, 2027),
        "damage": rng.randrange(2, 90),
        "people": [f"{_name(rng, 3)} {_name(rng, 4)}" for _ in range(4)],
        # the event's own words: different events share template words, as real news shares common words
        "words": [_name(rng, 3).lower() for _ in range(12)],
    }


def _article(rng: random.Random, event: dict[str, object], outlet: str) -> GeneratedArticle:
    people = list(event["people"])  # type: ignore[call-overload]
    claims = rng.sample(_KINDS[str(event["kind"])], 8)
    said = [f"{claim.format(**event)}, {rng.choice(people)} said." for claim in claims]
    said = [sentence[0].upper() + sentence[1:] for sentence in said]
    words = list(event["words"])  # type: ignore[call-overload]
    filler = [
        f"{rng.choice(_FILLER)[:-1]}, and the {' and the '.join(rng.sample(words, 3))} were mentioned."
        for _ in range(4)
    ]
    sentences = [*said[:2], filler[0], *said[2:4], filler[1], *said[4:6], filler[2], *said[6:], filler[3]]
    paragraphs = [" ".join(sentences[i : i + 3]) for i in range(0, 12, 3)]
    title = str(event["kind"]).format(**event)
    text = f"{title}\n\n" + "\n\n".join(paragraphs) + "\n"
    return GeneratedArticle(stem="", title=title, outlet=outlet, text=text)


def generate_articles(count: int, seed: int = 1) -> list[GeneratedArticle]:
    """``count`` articles about invented events; one in twenty is a wire copy another outlet ran verbatim."""
    rng = random.Random(seed)
    articles: list[GeneratedArticle] = []
    while len(articles) < count:
        event = _event(rng)
        outlets = rng.sample(_OUTLETS, rng.randint(1, 4))
        articles += [_article(rng, event, outlet) for outlet in outlets]
        if rng.random() < 0.05:
            copy = articles[-1]
            articles.append(GeneratedArticle("", copy.title, rng.choice(_OUTLETS), copy.text))
    return [
        GeneratedArticle(f"{index:05d}-{article.outlet.lower().replace(' ', '')}", article.title, article.outlet, text)
        for index, (article, text) in enumerate((a, a.text) for a in articles[:count])
    ]


def write_corpus(folder: Path, count: int, seed: int = 1) -> list[Path]:
    """Write ``count`` generated articles as .txt files into ``folder``; their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for article in generate_articles(count, seed):
        path = folder / f"{article.stem}.txt"
        path.write_text(article.text, encoding="utf-8")
        paths.append(path)
    return paths

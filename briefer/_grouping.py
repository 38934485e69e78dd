"""Grouping articles into stories: one real-world event or thread each.

Two articles are compared on evidence that ``explain`` reports part by part:

- names: proper nouns (people, organisations, places) from the title, the lede, and the briefing's actors and
  claim speakers when there is one; cosine of their counts weighted by how rare each is in the batch;
- words: TF-IDF cosine of title, lede and briefing headline and summary, so the day's common words weigh little;
- place factor: places come from the dateline and from "in", "near", "at"... When both articles name places
  and neither mentions any place the other names, they are most likely different events (two fires in two
  towns told in the same words), and the score is scaled down;
- name factor: likewise when both name people or organisations and neither mentions any the other names;
- name parts: a name part both articles use counts as shared only when one article's full name with it (its
  longest run of capitalised words) is mentioned in the other. "Fire at Brandvik Timber" and "Fire at Brandvik
  Haulage", or Jane Okafor and Samuel Okafor, share a word, not a name; "Rosalind Teague" and "Teague" share
  one. Such a part weighs nothing in the pair's names and words and does not count as a shared name or place
  for the two factors above;
- time factor: falls when the articles were published days apart;
- date and figure factors: each article's event signature (``briefer._signatures``: the dates its title and
  lede give for the event, resolved against publication, and its key figures) may rule out one event: two
  fires on Monday and on Wednesday, a rate held at 3.25% and one raised to 4.75%, whatever words they share.

The score is the mean of names and words times the five factors. Groups form by average linkage: two groups
merge only when their members are similar on average, so one article that resembles two stories cannot chain
them into one, as single-link grouping would. Pairs that land close to the threshold can be put to the model
("same event?", ``briefer._pipeline.same_event``); its verdicts override their scores.
"""

from __future__ import annotations

import heapq
import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from briefer._models import Briefing
from briefer._signatures import conflicts, date_conflict, figure_conflicts, signature

__all__ = [
    "DATE_CONFLICT",
    "FIGURE_CONFLICT",
    "NO_SHARED_NAMES",
    "PLACE_CONFLICT",
    "THRESHOLD",
    "Grouping",
    "StoryItem",
    "explain",
    "group_stories",
    "lede",
    "similarity",
]

THRESHOLD = 0.12
NAMES_WEIGHT = 0.5
PLACE_CONFLICT = 0.5
NO_SHARED_NAMES = 0.3
# a signature conflict is strong evidence of two events; not quite a veto, as dates read from text can be wrong
DATE_CONFLICT = 0.25
# outlets round and update figures, so different figures alone weigh less than different dates
FIGURE_CONFLICT = 0.6
# scores in [THRESHOLD * BORDERLINE_LOW, THRESHOLD * BORDERLINE_HIGH) are put to the model when it may be asked
BORDERLINE_LOW = 0.6
BORDERLINE_HIGH = 1.5
# a name or word used by more items than this is too common to find candidate pairs by
MAX_POSTINGS = 100
SHOWN_NAMES = 12
MIN_NAMES = 2
LEDE_CHARS = 900
SAME_STORY_HOURS = 36.0
FADE_HOURS = 168.0
OLDEST_FACTOR = 0.3

_STOP_WORDS = """
    a an the and or but nor of in on at to for from by with as is was were be been being are am it its this that
    these those there here he she they we you i his her their our your him them us who whom whose which what when
    where why how not no yes so if then than too very also just only more most less least much many some any all
    each every both either neither other another such own same new old said says say told tells according after
    before over under into onto about above below between during since until while amid against toward towards
    per via will would could can may might must shall should has have had do does did done up down out off again
    one two three four five six seven eight nine ten first second third last next year years month months week
    weeks day days today yesterday tonight morning afternoon evening night monday tuesday wednesday thursday friday
    saturday sunday january february march april june july august september october november december jan feb mar
    apr jun jul aug sep sept oct nov dec mr mrs ms dr st percent cent i'm i've i'll i'd we're we've they're you're
    it's don't can't won't isn't mayor governor minister president chairman chair chief executive director manager
    spokesman spokeswoman spokesperson councillor councilor senator judge officer analyst coach captain goalkeeper"""
_STOP = frozenset(_STOP_WORDS.split())
# words that make up place names without telling one place from another
_PLACE_WORDS_TEXT = """
    county city town village district region regional national central north south east west northern southern
    eastern western upper lower greater new old port saint centre center hall square street road lane avenue park
    bridge river lake bay island hills valley airport station stadium hospital school university"""
_PLACE_WORDS = frozenset(_PLACE_WORDS_TEXT.split())
_LOWER = re.compile(r"(?<![\w'’-])[a-z][\w'’-]*")
_CAPITAL = re.compile(r"(?<![\w'’-])[A-Z][\w'’-]*")
_NEXT_CAPITAL = re.compile(r"[ \t]+[A-Z]")
_OPENERS = frozenset('.!?:;"“”‘—–\n(')
_DATELINE = re.compile(
    r"\A\W*([A-Z][A-Z'’.-]+(?:\s+[A-Z][A-Z'’.-]+)*)\s*(?:,[^—–\n]{0,40})?(?:\([^)\n]{0,40}\))?(?:\s*[—–]|\s+--?\s)"
)
# a run of capitalised words: one name as written ("Pevesbo Feltifel", "Rosalind Teague")
_RUN = re.compile(r"(?<![\w'’-])[A-Z][\w'’-]*(?:[ \t]+[A-Z][\w'’-]*)*")
_PLACE = re.compile(r"\b(?i:in|near|outside|at|across)\s+(?:the\s+|nearby\s+)?([A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)")
_TERM = re.compile(r"[^\W\d_][\w'-]{2,}|\d+(?:[.,]\d+)*")


@dataclass(frozen=True)
class StoryItem:
    """What grouping looks at in one article."""

    title: str
    text: str
    published: datetime | None
    briefing: Briefing | None = None


@dataclass(frozen=True)
class _Features:
    names: Counter[str]
    places: frozenset[str]
    mentions: frozenset[str]
    terms: Counter[str]
    # name -> the full names it is written in, each as its set of parts
    written: dict[str, frozenset[frozenset[str]]]


@lru_cache(maxsize=65536)  # a batch's names and words recur across its articles
def _key(token: str) -> str:
    """A token as compared: case-folded, straight apostrophes, no possessive ending."""
    token = token.casefold().replace("’", "'")
    return token.removesuffix("'s").rstrip("'")


def lede(text: str, chars: int = LEDE_CHARS) -> str:
    """The opening of an article, cut at a word boundary: where news puts who, what and where."""
    return text if len(text) <= chars else text[: chars + 1].rsplit(None, 1)[0]


def _singular(word: str) -> str:
    """A plural and its singular as one term (libraries, library; branches, branch; fires, fire)."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")) else word


def _name_sources(item: StoryItem) -> tuple[list[str], list[str]]:
    """Running text that may name things (the title twice, as the surest guide), and names by construction."""
    texts = [item.title, item.title, lede(item.text)]
    names: list[str] = []
    if item.briefing is not None:
        texts += [item.briefing.headline, item.briefing.summary]
        names += [actor.name for actor in item.briefing.actors]
        names += [claim.speaker for claim in item.briefing.key_claims]
    return texts, names


def _capitalised(text: str) -> Iterator[tuple[str, bool]]:
    """Capitalised tokens of ``text``, each with whether it opens a sentence (where any word is capitalised)."""
    for match in _CAPITAL.finditer(text):
        # a short look back is enough: only the last non-blank character before the word matters
        before = text[max(0, match.start() - 16) : match.start()].rstrip(" \t")
        # "Rosalind Teague said" opens a sentence with a name: a capitalised word follows
        opening = (not before or before[-1] in _OPENERS) and not _NEXT_CAPITAL.match(text, match.end())
        # "Kestrow-based" names Kestrow; "Marrow-Quaye" is two name parts
        for part in match.group(0).split("-"):
            if part[:1].isupper():
                yield _key(part), opening


def _features(item: StoryItem) -> _Features:
    """Names (with counts), places, every capitalised word, and weighted terms of one item."""
    texts, names = _name_sources(item)
    # a word the article also writes in lower case is a common word, capitalised only by position or style
    lower = {_key(word) for text in [item.title, item.text, *texts] for word in _LOWER.findall(text)}
    common = lower | {_singular(word) for word in lower} | _STOP
    seen = [found for text in texts for found in _capitalised(text)]
    seen += [(token, False) for name in names for token, _ in _capitalised(name)]
    places = {token for text in texts for phrase in _PLACE.findall(text) for token, _ in _capitalised(phrase)}
    if dateline := _DATELINE.match(item.text):
        places |= {token for token, _ in _capitalised(dateline.group(1))}
    # a word that only ever opens a sentence is no evidence of a name, unless the dateline has it
    known = ({token for token, opening in seen if not opening} | places) - common
    counts = Counter(token for token, _ in seen if token in known and len(token) > 1)
    # runs of capitalised words: the article's own hold every capitalised word it has
    title_runs, runs = _RUN.findall(item.title), _RUN.findall(item.text)
    words = (word for run in [*title_runs, *runs] for word in run.split())
    mentions = {_key(part) for word in words for part in word.split("-") if part} | set(counts)
    # headlines (the article's and the briefing's) are left out: in Title Case a whole headline is one run
    runs += [run for text in [*texts[4:], *names] for run in _RUN.findall(text)]
    written = _written(counts.keys(), runs, common)
    named_places = frozenset((places & counts.keys()) - _PLACE_WORDS)
    return _Features(counts, named_places, frozenset(mentions), _terms(item), written)


def _written(names: Iterable[str], runs: list[str], common: set[str]) -> dict[str, frozenset[frozenset[str]]]:
    """Each name's full names: the longest of ``runs`` (of capitalised words) it appears in.

    A run keeps its common words ("Brandvik Haulage" is not "Brandvik Timber", though the article also writes
    "haulage"), bar titles and the like (stop words) and a common word that opens it ("Owner Harald Brandvik").
    A run inside a longer one is the short form of a name ("Okafor" of "Jane Okafor") and is left out, so that
    one outlet's Jane Okafor and another's Samuel Okafor stay two people.
    """
    found: dict[str, set[frozenset[str]]] = {name: set() for name in names}
    # a name written alone is the short form of a longer run if there is one, and no evidence either way if not
    for run in (run for run in runs if " " in run or "\t" in run or "-" in run):
        keys = [_key(part) for word in run.split() for part in word.split("-") if part[:1].isupper()]
        if keys and keys[0] in common:
            keys = keys[1:]
        parts = frozenset(key for key in keys if key not in _STOP)
        for part in parts & found.keys():
            found[part].add(parts)
    return {name: frozenset(r for r in full if not any(r < other for other in full)) for name, full in found.items()}


def _terms(item: StoryItem) -> Counter[str]:
    parts = [item.title, item.title, lede(item.text)]
    if item.briefing is not None:
        parts += [item.briefing.headline, item.briefing.summary]
    terms: Counter[str] = Counter()
    for token in _TERM.findall(" ".join(parts).casefold().replace("’", "'")):
        if token[0].isdigit():
            if len(token) > 1:  # figures such as 3.50 or 2,300 are specific; a lone digit is not
                terms[token.replace(",", "")] += 1
        elif (word := _key(token)) not in _STOP:
            terms[_singular(word)] += 1
    return terms


def _unit(weights: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(w * w for w in weights.values()))
    return {term: w / norm for term, w in weights.items()} if norm else {}


def _dot(a: dict[str, float], b: dict[str, float], leave_out: set[str]) -> float:
    # the key intersection runs in C: most pairs share a handful of keys out of dozens
    shared = a.keys() & b.keys()
    return sum(a[term] * b[term] for term in (shared - leave_out if leave_out else shared))


def _time_factor(a: datetime | None, b: datetime | None) -> float:
    """1 within a day and a half, then down to OLDEST_FACTOR over a week: stories run on, but fade."""
    if a is None or b is None:
        return 1.0
    late = max(0.0, abs((a - b).total_seconds()) / 3600 - SAME_STORY_HOURS)
    return max(OLDEST_FACTOR, 1.0 - (1.0 - OLDEST_FACTOR) * late / FADE_HOURS)


class Grouping:
    """A batch of items compared pair by pair, with names and words weighted by how rare they are in it.

    Only candidate pairs are scored: those sharing a name or word that at most MAX_POSTINGS items use.
    Pairs that share nothing rarer score near zero and never reach the threshold, so the batch costs time
    in proportion to its items, not to its pairs.
    """

    def __init__(self, items: Sequence[StoryItem], *, scores: Mapping[tuple[int, int], float] | None = None) -> None:
        """Score the candidate pairs of ``items``; or take ``scores`` an earlier run computed for the same items."""
        self.items = list(items)
        self._prepared = False
        if scores is not None:
            self.scores = dict(scores)  # features are computed only if a pair is looked at more closely
            return
        keys, frequency = self._prepare()
        self.scores = {pair: self.parts(*pair)["similarity"] for pair in _candidates(keys, frequency)}

    def _prepare(self) -> tuple[list[set[str]], Counter[str]]:
        """Every item's names, places, words and signature, weighted by how rare they are in the batch."""
        self._prepared = True
        features = [_features(item) for item in self.items]
        keys = [{*f.terms, *(f"name:{n}" for n in f.names)} for f in features]
        frequency = Counter(key for item_keys in keys for key in item_keys)
        n = len(features)

        def idf(term: str) -> float:
            # smoothed, so that a pair compared alone still counts the words it shares
            return math.log((n + 1) / (frequency[term] + 1)) + 1.0

        self.places = [f.places for f in features]
        self.mentions = [f.mentions for f in features]
        self.named = [frozenset(f.names) for f in features]
        self.counts = [f.names for f in features]
        self.written = [f.written for f in features]
        self.signatures = [signature(item.title, item.text, item.published) for item in self.items]
        # unit vectors, so that a cosine is a dot product; repeated mentions count, less than linearly
        self.names = [_unit({n: (1 + math.log(k)) * idf(f"name:{n}") for n, k in f.names.items()}) for f in features]
        self.words = [_unit({t: (1 + math.log(k)) * idf(t) for t, k in f.terms.items()}) for f in features]
        return keys, frequency

    def _ready(self) -> None:
        if not self._prepared:
            self._prepare()

    def parts(self, i: int, j: int) -> dict[str, float]:
        """The parts of one pair's similarity, and the similarity itself (last)."""
        self._ready()
        contested = self.contested(i, j)
        names = min(1.0, _dot(self.names[i], self.names[j], contested))
        words = min(1.0, _dot(self.words[i], self.words[j], {_singular(part) for part in contested}))
        place_factor = PLACE_CONFLICT if self._strangers(self.places, i, j, 1, contested) else 1.0
        name_factor = NO_SHARED_NAMES if self._strangers(self.named, i, j, MIN_NAMES, contested) else 1.0
        time_factor = _time_factor(self.items[i].published, self.items[j].published)
        a, b = self.signatures[i], self.signatures[j]
        date_factor = DATE_CONFLICT if date_conflict(a, b) else 1.0
        figure_factor = FIGURE_CONFLICT if figure_conflicts(a, b) else 1.0
        factors = place_factor * name_factor * time_factor * date_factor * figure_factor
        return {
            "names": names,
            "words": words,
            "place_factor": place_factor,
            "name_factor": name_factor,
            "time_factor": time_factor,
            "date_factor": date_factor,
            "figure_factor": figure_factor,
            "similarity": (NAMES_WEIGHT * names + (1 - NAMES_WEIGHT) * words) * factors,
        }

    def _strangers(self, sets: list[frozenset[str]], i: int, j: int, least: int, contested: set[str]) -> bool:
        """Both have at least ``least`` of these, and neither mentions any the other has (bar contested parts)."""
        a, b = sets[i], sets[j]
        if len(a) < least or len(b) < least:
            return False
        return not (a & self.mentions[j]) - contested and not (b & self.mentions[i]) - contested

    def contested(self, i: int, j: int) -> set[str]:
        """Name parts both items use, where neither writes a full name with it that the other mentions."""
        self._ready()
        return {part for part in self.named[i] & self.named[j] if self._written_apart(part, i, j)}

    def _written_apart(self, part: str, i: int, j: int) -> bool:
        """Neither item writes ``part`` in a full name the other mentions all of."""
        runs_i, runs_j = self.written[i][part], self.written[j][part]
        # a name seen in no run of capitalised words is no evidence either way
        if not runs_i or not runs_j:
            return False
        return not any(run <= self.mentions[j] for run in runs_i) and not any(run <= self.mentions[i] for run in runs_j)

    def similarity(self, i: int, j: int) -> float:
        """The similarity of items i and j (0 for pairs that share no rare name or word)."""
        return self.scores.get((min(i, j), max(i, j)), 0.0)

    def conflicts(self, i: int, j: int) -> list[str]:
        """Why items i and j cannot be one event, read from their signatures (empty when nothing conflicts)."""
        self._ready()
        return conflicts(self.signatures[i], self.signatures[j])

    def signature_view(self, i: int) -> dict[str, list[str]]:
        """Item i's event signature in words: event dates, places, the most named names, key figures."""
        self._ready()
        sig = self.signatures[i]
        names = sorted(self.named[i] - self.places[i], key=lambda n: (-self.counts[i][n], n))[:SHOWN_NAMES]
        return {
            "dates": [d.isoformat() for d in sorted(sig.dates, key=lambda d: (d != sig.primary, d))],
            "places": sorted(place.title() for place in self.places[i]),
            "names": [name.title() for name in names],
            "figures": [f"{kind} {value}" for kind, values in sorted(sig.figures.items()) for value in sorted(values)],
        }

    def borderline(self, threshold: float = THRESHOLD, limit: int | None = None) -> list[tuple[int, int]]:
        """Pairs too close to the threshold for the score to settle, the closest first: the model's to judge."""
        low, high = threshold * BORDERLINE_LOW, threshold * BORDERLINE_HIGH
        close = [pair for pair, score in self.scores.items() if low <= score < high]
        close.sort(key=lambda pair: (abs(math.log(self.scores[pair] / threshold)), pair))
        return close[:limit]

    def groups(
        self, threshold: float = THRESHOLD, verdicts: Mapping[tuple[int, int], bool] | None = None
    ) -> list[list[int]]:
        """Every index in exactly one group, groups ordered by their first index (average linkage).

        ``verdicts`` (the model's "same event?" answers, keyed by ordered index pairs) override the score:
        a pair judged the same event counts as clearly similar, a pair judged different as not at all.
        """
        scores = dict(self.scores)
        for (i, j), same in (verdicts or {}).items():
            pair = (min(i, j), max(i, j))
            scores[pair] = max(scores.get(pair, 0.0), threshold * BORDERLINE_HIGH) if same else 0.0
        return _average_linkage(len(self.items), scores, threshold)


def _candidates(keys: list[set[str]], frequency: Counter[str]) -> set[tuple[int, int]]:
    """Pairs of items that share at least one name or word used by at most MAX_POSTINGS items."""
    postings: dict[str, list[int]] = {}
    for index, item_keys in enumerate(keys):
        for key in item_keys:
            if 1 < frequency[key] <= MAX_POSTINGS:
                postings.setdefault(key, []).append(index)
    return {pair for members in postings.values() for pair in itertools.combinations(members, 2)}


def explain(a: StoryItem, b: StoryItem, *, context: Sequence[StoryItem] = ()) -> dict[str, float]:
    """The parts of ``similarity``: names and words cosines, the factors, and the result.

    ``context`` (the rest of the batch) sets how rare each name and word is; ``group_stories`` compares
    ``items[i]`` and ``items[j]`` exactly as ``explain(items[i], items[j], context=items)`` does.
    """
    batch = list(context)
    i, j = _index(batch, a), _index(batch, b)
    return Grouping(batch).parts(i, j)


def _index(batch: list[StoryItem], item: StoryItem) -> int:
    for i, other in enumerate(batch):
        if other is item:
            return i
    batch.append(item)
    return len(batch) - 1


def similarity(a: StoryItem, b: StoryItem, *, context: Sequence[StoryItem] = ()) -> float:
    """How likely two articles report the same story, from 0 to 1 (``explain`` gives its parts)."""
    return explain(a, b, context=context)["similarity"]


def group_stories(
    items: Sequence[StoryItem],
    *,
    threshold: float = THRESHOLD,
    verdicts: Mapping[tuple[int, int], bool] | None = None,
) -> list[list[int]]:
    """Every index in exactly one group; groups ordered by their first index (average linkage)."""
    return Grouping(items).groups(threshold, verdicts)


def _average_linkage(n: int, pairs: dict[tuple[int, int], float], threshold: float) -> list[list[int]]:
    """Merge the two groups of highest mean pairwise similarity while that mean reaches ``threshold``."""
    # total[a][b]: the sum of similarities over member pairs of groups a and b; their mean decides a merge
    total: dict[int, dict[int, float]] = {i: {} for i in range(n)}
    for (i, j), score in pairs.items():
        if score > 0.0:
            total[i][j] = total[j][i] = score
    members = {i: [i] for i in range(n)}
    version = [0] * n
    # best mean first, ties to the lowest indices; entries of groups changed since they were pushed are stale
    queue = [(-score, i, j, 0, 0) for (i, j), score in pairs.items() if score >= threshold]
    heapq.heapify(queue)
    while queue:
        _, a, b, seen_a, seen_b = heapq.heappop(queue)
        if a not in members or b not in members or version[a] != seen_a or version[b] != seen_b:
            continue
        _merge(total, members, a, b)
        version[a] += 1
        # only groups with some similarity to the merged one can reach the threshold with it
        for c, summed in total[a].items():
            mean = summed / (len(members[a]) * len(members[c]))
            if mean >= threshold:
                low, high = min(a, c), max(a, c)
                heapq.heappush(queue, (-mean, low, high, version[low], version[high]))
    return sorted(members.values(), key=lambda group: group[0])


def _merge(total: dict[int, dict[int, float]], members: dict[int, list[int]], a: int, b: int) -> None:
    """Fold group b into group a: sums of similarities to every other group add up."""
    for c, score in total.pop(b).items():
        if c != a:
            total[a][c] = total[c][a] = total[a].get(c, 0.0) + score
            del total[c][b]
    total[a].pop(b, None)
    members[a] = sorted(members[a] + members.pop(b))

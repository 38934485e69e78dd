"""Story grouping on two labelled sets (pairwise precision and recall), the tempting near-misses, and the parts."""

from __future__ import annotations

import itertools
import math
import random
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bench.clustering import LabelledSet, Scores, collapse, generated_events, load_set, pairwise, story_item
from bench.corpus import generate
from briefer._grouping import (
    BORDERLINE_HIGH,
    DATE_CONFLICT,
    NO_SHARED_NAMES,
    OLDEST_FACTOR,
    PLACE_CONFLICT,
    THRESHOLD,
    Grouping,
    StoryItem,
    _average_linkage,
    explain,
    group_stories,
    similarity,
)
from briefer._models import Actor, ActorKind, Briefing, Generation, GroundingReport, Source
from tests.conftest import EXAMPLES

MORNING = EXAMPLES / "morning"
SECOND = Path(__file__).parent / "data" / "stories"
HARD = Path(__file__).parent / "data" / "lookalikes"
NAME_PARTS = Path(__file__).parent / "data" / "nameparts"
DAY = datetime(2027, 3, 9, 8, tzinfo=UTC)


def grouped(folder: Path) -> tuple[LabelledSet, list[StoryItem], list[str], list[list[int]]]:
    """Collapse duplicates, group what is left: the set, the items, their labels and the groups."""
    labelled = load_set(folder)
    keep, _ = collapse(labelled.articles)
    items = [story_item(labelled.articles[i]) for i in keep]
    return labelled, items, [labelled.stories[i] for i in keep], group_stories(items)


def labels_per_group(truth: list[str], groups: list[list[int]]) -> list[set[str]]:
    return [{truth[i] for i in group} for group in groups]


def test_example_morning_pairwise_precision_and_recall() -> None:
    labelled, _, truth, groups = grouped(MORNING)
    scores = pairwise(groups, truth)
    assert len(truth) == len(labelled.articles) - len(labelled.duplicates)  # the wire copies were collapsed
    # measured: tp=10 fp=0 fn=0, precision 1.00, recall 1.00 (bench/clustering.py prints the groups)
    assert scores.precision >= 0.9 and scores.recall >= 0.9, scores
    assert scores == Scores(10, 0, 0)


def test_second_labelled_set_pairwise_precision_and_recall() -> None:
    _, _, truth, groups = grouped(SECOND)
    scores = pairwise(groups, truth)
    # measured: tp=10 fp=0 fn=0, precision 1.00, recall 1.00; weakest same-story pair 0.167 (the Nuvola staff
    # story against the share-price story), closest different-story pair 0.128 (the two tenants' protests)
    assert scores.precision >= 0.9 and scores.recall >= 0.9, scores
    assert scores == Scores(10, 0, 0)


def test_the_two_fires_stay_apart() -> None:
    _, items, truth, groups = grouped(MORNING)
    assert not any({"a", "d"} <= labels for labels in labels_per_group(truth, groups))
    plant = [i for i, label in enumerate(truth) if label == "a"]
    wildfire = [i for i, label in enumerate(truth) if label == "d"]
    across = [explain(items[i], items[j], context=items) for i in plant for j in wildfire]
    within = [explain(items[i], items[j], context=items)["similarity"] for i in plant for j in plant if i < j]
    # Brennick Falls and Dunmore Hollow: each names places the other never mentions (they share "Arland", the
    # country, so the name factor stays 1)
    assert all(p["place_factor"] == PLACE_CONFLICT and p["names"] < 0.05 for p in across)
    assert max(p["similarity"] for p in across) * 10 < min(within)  # measured: at most 0.029 across, 0.386 within


def test_the_two_protests_stay_apart_and_one_event_in_other_words_stays_together() -> None:
    _, items, truth, groups = grouped(SECOND)
    labels = labels_per_group(truth, groups)
    assert not any({"veldmark-rent", "harwick-rent"} <= found for found in labels)
    assert {"nuvola"} in labels and sum(truth[i] == "nuvola" for group in groups for i in group) == 3
    veldmark = [i for i, label in enumerate(truth) if label == "veldmark-rent"]
    harwick = [i for i, label in enumerate(truth) if label == "harwick-rent"]
    across = [similarity(items[i], items[j], context=items) for i in veldmark for j in harwick]
    # measured: the closest pair (a Veldmark story that mentions the Harwick march) scores 0.128, above the
    # threshold, but the two groups' mean is 0.046: average linkage keeps them apart where single link would not
    assert max(across) < 0.15 and sum(across) / len(across) < THRESHOLD


def test_explain_reports_its_parts() -> None:
    _, items, _, _ = grouped(MORNING)
    a, b = items[0], items[1]
    parts = explain(a, b, context=items)
    factors = ["place_factor", "name_factor", "time_factor", "date_factor", "figure_factor"]
    assert list(parts) == ["names", "words", *factors, "similarity"]
    assert all(0.0 <= value <= 1.0 for value in parts.values())
    mean = (parts["names"] + parts["words"]) / 2
    assert parts["similarity"] == pytest.approx(mean * math.prod(parts[f] for f in factors))
    assert explain(b, a, context=items) == pytest.approx(parts)
    assert similarity(a, b, context=items) == parts["similarity"]
    alone = explain(a, b)  # without a batch, rarity is judged on the pair alone
    assert set(alone) == set(parts) and 0.0 <= alone["similarity"] <= 1.0
    assert explain(a, a)["similarity"] == pytest.approx(1.0)


def test_time_apart_lowers_similarity() -> None:
    _, items, _, _ = grouped(MORNING)
    a = items[0]

    def factor(days: float) -> float:
        return explain(StoryItem(a.title, a.text, DAY), StoryItem(a.title, a.text, DAY + timedelta(days=days)))[
            "time_factor"
        ]

    assert factor(0) == factor(1.4) == 1.0
    assert 1.0 > factor(3) > factor(5) > OLDEST_FACTOR
    assert factor(30) == OLDEST_FACTOR
    assert explain(StoryItem(a.title, a.text, None), StoryItem(a.title, a.text, DAY))["time_factor"] == 1.0


def test_every_index_in_exactly_one_group_ordered_deterministic_and_order_free() -> None:
    _, items, _, groups = grouped(SECOND)
    assert sorted(i for group in groups for i in group) == list(range(len(items)))
    assert [group[0] for group in groups] == sorted(group[0] for group in groups)
    assert all(group == sorted(group) for group in groups)
    assert group_stories(items) == groups
    order = list(range(len(items)))
    random.Random(7).shuffle(order)
    shuffled = group_stories([items[i] for i in order])
    assert {frozenset(order[i] for i in group) for group in shuffled} == {frozenset(group) for group in groups}
    assert group_stories([]) == []
    assert group_stories(items[:1]) == [[0]]


def test_one_article_bridging_two_stories_does_not_chain_them() -> None:
    _, items, truth, _ = grouped(MORNING)
    fire = next(i for i, label in enumerate(truth) if label == "a")
    stadium = next(i for i, label in enumerate(truth) if label == "c")
    roundup = StoryItem(
        f"{items[fire].title}; {items[stadium].title}",
        f"{items[fire].text[:450]}\n\n{items[stadium].text[:450]}",
        items[fire].published,
    )
    batch = [*items, roundup]
    groups = group_stories(batch)
    labels = labels_per_group([*truth, "roundup"], groups)
    assert not any({"a", "c"} <= found for found in labels)


def test_average_linkage_resists_chaining_and_matches_the_textbook_procedure() -> None:
    # 0~1 and 1~2 are close, 0 and 2 unrelated: single link would make one group of three
    assert _average_linkage(3, {(0, 1): 0.9, (1, 2): 0.8, (0, 2): 0.0}, 0.5) == [[0, 1], [2]]

    def textbook(n: int, pairs: dict[tuple[int, int], float], threshold: float) -> list[list[int]]:
        groups = [[i] for i in range(n)]
        while True:
            means = {
                (a, b): sum(pairs[min(i, j), max(i, j)] for i in groups[a] for j in groups[b])
                / (len(groups[a]) * len(groups[b]))
                for a in range(len(groups))
                for b in range(a + 1, len(groups))
            }
            best = max(means, key=lambda ab: (means[ab], -ab[0], -ab[1]), default=None)
            if best is None or means[best] < threshold:
                return sorted(groups)
            groups[best[0]] = sorted(groups[best[0]] + groups.pop(best[1]))

    rng = random.Random(3)
    for _ in range(200):
        n = rng.randint(1, 16)
        pairs = {(i, j): rng.random() ** 3 for i in range(n) for j in range(i + 1, n)}
        threshold = rng.choice([0.1, 0.2, 0.4])
        assert _average_linkage(n, pairs, threshold) == textbook(n, pairs, threshold)


def briefing(headline: str, actors: list[str]) -> Briefing:
    return Briefing(
        headline=headline,
        summary=headline,
        key_claims=[],
        actors=[Actor(name=name, kind=ActorKind.PERSON, stance="spoke") for name in actors],
        open_questions=[],
        source=Source(),
        generation=Generation(model="m", endpoint="e", prompt_name="p", prompt_version="1", output_mode="json"),
        grounding=GroundingReport(),
    )


def test_briefing_actors_are_names() -> None:
    a = StoryItem("Rates held", "the committee kept rates where they were.", DAY)
    b = StoryItem("No change", "borrowers will pay what they paid last month.", DAY)
    assert explain(a, b)["names"] == 0.0
    with_actors = [
        StoryItem(item.title, item.text, item.published, briefing(item.title, ["Elspeth Marrow-Quaye"]))
        for item in (a, b)
    ]
    assert explain(*with_actors)["names"] > 0.5


def test_articles_that_share_no_names_are_scaled_down() -> None:
    a = StoryItem("Fire at Ostrander plant", "Crews fought a fire at the Ostrander plant, chief Ronan Tesk said.", DAY)
    b = StoryItem("Fire at Delmar plant", "Crews fought a fire at the Delmar plant, chief Dana Ruiz said.", DAY)
    parts = explain(a, b)
    assert parts["name_factor"] == NO_SHARED_NAMES and parts["names"] == 0.0 and parts["words"] > 0.3


def test_a_shared_name_part_with_different_full_names_is_not_a_shared_name() -> None:
    fire = StoryItem(
        "Fire at Pevesbo Foods in Alder",
        "A fire broke out at the Pevesbo Foods depot in Alder. Pevesbo Foods said staff were safe, Ana Lirr said.",
        DAY,
    )
    strike = StoryItem(
        "Strike at Pevesbo Logistics in Carrow",
        "Drivers at Pevesbo Logistics in Carrow stopped work. Pevesbo Logistics offered a bonus, Tom Vey said.",
        DAY,
    )
    grouping = Grouping([fire, strike])
    assert grouping.contested(0, 1) == {"pevesbo"}
    parts = grouping.parts(0, 1)
    assert parts["names"] == 0.0 and parts["place_factor"] == PLACE_CONFLICT and parts["name_factor"] == NO_SHARED_NAMES
    # the same company named in full by one outlet and by its short name by another shares a name
    short = StoryItem("Fire at Pevesbo depot", "Pevesbo said the depot in Alder burned, Ana Lirr said.", DAY)
    surname = StoryItem("Depot fire", "Rosalind Teague of Pevesbo Foods said the fire in Alder is out.", DAY)
    assert Grouping([fire, short]).contested(0, 1) == set() and explain(fire, short)["names"] > 0.5
    assert Grouping([surname, short]).contested(0, 1) == set()
    # a Title Case headline is no one's full name: "Teague Wins Vote" does not make the bare "Teague" another name
    full = StoryItem("Calder budget passes", "Mayor Rosalind Teague won the vote on the Calder budget.", DAY)
    headline = StoryItem("Teague Wins Budget Vote", "The Calder budget passed, Teague said after the vote.", DAY)
    assert Grouping([full, headline]).contested(0, 1) == set()


def test_generated_look_alike_events_that_share_a_name_part_stay_apart() -> None:
    # bench/perf_corpus.py's events are made of a small pool of syllables, so organisations share name parts
    # ("Fire at Pevesbo Feltifel in ..." and "Strike at Pevesbo Hotiur in ..."); measured before name parts
    # were compared as full names: precision 0.94 at 1,000 articles and 0.73 at 5,000; after, 1.00 and 1.00
    items, events = generated_events(600)
    scores = pairwise(group_stories(items), events)
    assert scores.precision >= 0.98 and scores.recall >= 0.98, scores


def test_events_whose_names_share_a_part_on_written_articles() -> None:
    labelled, items, truth, groups = grouped(NAME_PARTS)
    names = [path.name for path in labelled.paths]
    grouping = Grouping(items)

    def pair(a: str, b: str) -> tuple[int, int]:
        return names.index(a), names.index(b)

    # measured once the set was written: P 0.500 (the two fires and the two Okafors merged) with the first form
    # of the rule as with none; after the rule took the longest run of each name and kept its common words:
    # P 0.556 R 1.000. The fires still merge through the article that names both (Esker's, saying the two firms
    # are not connected): alone, Holm's and Esker's reports are apart
    assert pairwise(groups, truth) == Scores(5, 4, 0)
    okafors = pair("harbourtimes--jane-okafor-quits.txt", "valley--okafor-hospital-chief.txt")
    assert grouping.contested(*okafors) == {"okafor"} and grouping.similarity(*okafors) < THRESHOLD / 2
    fires = pair("ledger--brandvik-timber-yard-fire.txt", "valley--esker-lorries-burned.txt")
    assert grouping.contested(*fires) == {"brandvik"} and grouping.similarity(*fires) < THRESHOLD / 2
    # one mayor written "Rosalind Teague", "Ros Teague" and "the mayor ... Teague" stays one story
    assert {"teague-budget"} in labels_per_group(truth, groups)


def test_words_that_only_open_sentences_are_not_names() -> None:
    a = StoryItem("Council meets", "Residents were angry. Officials said the budget was tight. The vote is due.", DAY)
    b = StoryItem("Storm warning", "Residents were told to stay in. Officials closed the roads. The rain goes on.", DAY)
    assert explain(a, b)["names"] == 0.0


def test_same_words_about_other_places_and_people_stay_apart() -> None:
    # three copies of the example morning, each with its own invented names: the wording is identical
    labelled = load_set(MORNING)
    keep, _ = collapse(labelled.articles)
    items, truth = [], []
    for world in ("Qa", "Xu", "Zo"):
        for i in keep:
            article = labelled.articles[i]
            lower = set(re.findall(r"\b[a-z]+\b", article.text))

            def rename(match: re.Match[str], lower: set[str] = lower, world: str = world) -> str:
                word = match.group(0)
                return word if word.lower() in lower else word + (world.upper() if word.isupper() else world)

            title = re.sub(r"\b[A-Z][A-Za-z]+\b", rename, article.source.title or "")
            items.append(StoryItem(title, re.sub(r"\b[A-Z][A-Za-z]+\b", rename, article.text), DAY))
            truth.append(f"{world}:{labelled.stories[i]}")
    scores = pairwise(group_stories(items), truth)
    assert scores.precision >= 0.9 and scores.recall >= 0.9, scores  # measured: 1.00 and 1.00


def test_hard_set_of_look_alike_events_pairwise_precision_and_recall() -> None:
    # weights fixed before the first measurement on this set: P 0.855 R 1.000 (two same-week pairs merged:
    # ledes dating the other event); after the one change made since (own event date, not every date in the
    # lede): tp=59 fp=0 fn=0. See bench/README.md.
    _, _, truth, groups = grouped(HARD)
    scores = pairwise(groups, truth)
    assert scores.precision >= 0.97 and scores.recall >= 0.90, scores
    assert scores == Scores(59, 0, 0)


def test_look_alikes_are_kept_apart_by_their_event_dates() -> None:
    labelled, items, truth, _ = grouped(HARD)
    grouping = Grouping(items)
    name = {p.name: i for i, p in enumerate(labelled.paths)}
    tarrow, elsby = name["wire--tarrow-warehouse-fire.txt"], name["ledger--elsby-furniture-factory-fire.txt"]
    parts = grouping.parts(tarrow, elsby)
    assert parts["date_factor"] == DATE_CONFLICT
    assert grouping.conflicts(tarrow, elsby) == ["event dates 2027-05-10 vs 2027-05-12"]
    # the follow-up a day later, dated by "the day before", joins its event
    wiring = name["radionord--tarrow-fire-wiring.txt"]
    assert grouping.parts(tarrow, wiring)["date_factor"] == 1.0
    assert truth[tarrow] == truth[wiring] != truth[elsby]


def test_verdicts_override_scores_and_borderline_pairs_are_the_close_ones() -> None:
    _, items, _, groups = grouped(SECOND)
    grouping = Grouping(items)
    close = grouping.borderline()
    assert close and all(0.6 * THRESHOLD <= grouping.similarity(*pair) < BORDERLINE_HIGH * THRESHOLD for pair in close)
    distance = [abs(math.log(grouping.similarity(*pair) / THRESHOLD)) for pair in close]
    assert distance == sorted(distance) and grouping.borderline(limit=1) == close[:1]
    together = next(group for group in groups if len(group) == 2)
    a, b = together[0], together[1]
    split = grouping.groups(verdicts={pair: False for pair in itertools.combinations(together, 2)})
    assert not any(a in group and b in group for group in split)
    apart = next(group[0] for group in groups if len(group) == 1)
    joined = grouping.groups(verdicts={(a, apart): True, (apart, b): True})
    assert any({a, apart} <= set(group) for group in joined)


def test_candidate_pairs_grow_with_articles_not_with_pairs() -> None:
    small, large = Grouping(generate(300)), Grouping(generate(1200))
    # four times the articles: about four times the candidate pairs, where all pairs would grow sixteenfold
    assert len(large.scores) < 8 * len(small.scores)
    assert len(large.scores) < 1200 * 1199 / 2 / 50


def test_candidates_give_the_all_pairs_grouping_on_the_labelled_sets() -> None:
    for folder in (MORNING, SECOND, HARD):
        _, items, _, groups = grouped(folder)
        grouping = Grouping(items)
        every = {(i, j): grouping.parts(i, j)["similarity"] for i, j in itertools.combinations(range(len(items)), 2)}
        assert _average_linkage(len(items), every, THRESHOLD) == groups

"""Story grouping on the labelled example set: pairwise precision and recall, and the tempting near-misses."""

from __future__ import annotations

import itertools
import tomllib

from briefer.dedupe import find_duplicates
from briefer.ingest import load_article
from briefer.pipeline.story import parse_published
from briefer.stories import StoryItem, explain, group_stories
from tests.conftest import EXAMPLES

MORNING = EXAMPLES / "morning"


def labelled_items():
    labels = tomllib.loads((MORNING / "labels.toml").read_text(encoding="utf-8"))["stories"]
    paths = sorted((MORNING / "articles").glob("*.html"))
    articles = [load_article(str(p)) for p in paths]
    copies = {d for g in find_duplicates(articles) for d in g.duplicates}
    keep = [i for i in range(len(paths)) if i not in copies]
    items = [
        StoryItem(articles[i].source.title or "", articles[i].text, parse_published(articles[i].source.published))
        for i in keep
    ]
    return items, [labels[paths[i].name] for i in keep]


def test_pairwise_precision_and_recall_on_the_labelled_set() -> None:
    items, truth = labelled_items()
    groups = group_stories(items)
    predicted = {i: n for n, group in enumerate(groups) for i in group}
    assert sorted(i for group in groups for i in group) == list(range(len(items)))
    tp = fp = fn = 0
    for a, b in itertools.combinations(range(len(items)), 2):
        same, labelled = predicted[a] == predicted[b], truth[a] == truth[b]
        tp, fp, fn = tp + (same and labelled), fp + (same and not labelled), fn + (labelled and not same)
    assert (tp, fp, fn) == (10, 0, 0)  # precision 1.0, recall 1.0 (bench/clustering.py prints the groups)


def test_the_two_fires_stay_apart() -> None:
    items, truth = labelled_items()
    plant = [i for i, label in enumerate(truth) if label == "a"]
    wildfire = [i for i, label in enumerate(truth) if label == "d"]
    across = [explain(items[i], items[j])["similarity"] for i in plant for j in wildfire]
    within = [explain(items[i], items[j])["similarity"] for i in plant for j in plant if i < j]
    assert max(across) * 4 < min(within)  # measured: at most 0.026 across, at least 0.125 within

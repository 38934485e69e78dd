"""Pairwise precision and recall of story grouping on the labelled example set.

    python bench/clustering.py [THRESHOLD] [--with-briefings DIR]

Duplicates are collapsed first, as in the pipeline; a pair of articles is positive when both belong to the
same labelled story. --with-briefings DIR adds per-article briefings (DIR/<article>.json) as features.
"""

from __future__ import annotations

import argparse
import itertools
import tomllib
from pathlib import Path

from briefer.dedupe import find_duplicates
from briefer.ingest import load_article
from briefer.models import Briefing
from briefer.pipeline.story import parse_published
from briefer.stories import THRESHOLD, StoryItem, group_stories

ROOT = Path(__file__).resolve().parent.parent / "examples" / "morning"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("threshold", nargs="?", type=float, default=THRESHOLD)
    parser.add_argument("--with-briefings", type=Path)
    args = parser.parse_args()
    labels = tomllib.loads((ROOT / "labels.toml").read_text(encoding="utf-8"))["stories"]
    paths = sorted((ROOT / "articles").glob("*.html"))
    articles = [load_article(str(p)) for p in paths]
    copies = {d for group in find_duplicates(articles) for d in group.duplicates}
    keep = [i for i in range(len(articles)) if i not in copies]

    def briefing(path: Path) -> Briefing | None:
        found = args.with_briefings / f"{path.stem}.json" if args.with_briefings else None
        return Briefing.model_validate_json(found.read_text(encoding="utf-8")) if found and found.exists() else None

    items = [
        StoryItem(
            title=articles[i].source.title or "",
            text=articles[i].text,
            published=parse_published(articles[i].source.published),
            briefing=briefing(paths[i]),
        )
        for i in keep
    ]
    groups = group_stories(items, threshold=args.threshold)
    predicted = {keep[i]: n for n, group in enumerate(groups) for i in group}
    truth = {i: labels[paths[i].name] for i in keep}
    tp = fp = fn = 0
    for a, b in itertools.combinations(keep, 2):
        same, labelled = predicted[a] == predicted[b], truth[a] == truth[b]
        tp, fp, fn = tp + (same and labelled), fp + (same and not labelled), fn + (labelled and not same)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    print(
        f"{len(articles)} articles, {len(copies)} duplicates collapsed, {len(keep)} grouped, threshold {args.threshold}"
    )
    print(f"pairs: tp={tp} fp={fp} fn={fn}  precision={precision:.2f} recall={recall:.2f}")
    for group in groups:
        print("  ", [truth[keep[i]] for i in group], [paths[keep[i]].stem for i in group])


if __name__ == "__main__":
    main()

"""How well story grouping matches a labelled set: pairwise precision, recall and F1, and the duplicates found.

    python bench/clustering.py [FOLDER] [--threshold T] [--with-briefings DIR] [--explain]

FOLDER holds the articles (.html, or .txt with Title/Outlet/Published header lines) and labels.toml;
by default examples/morning. Duplicates are collapsed first, as in the pipeline. See bench/README.md.
"""

from __future__ import annotations

import argparse
import itertools
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

from briefer.dedupe import find_duplicates
from briefer.ingest import load_article
from briefer.models import Article, Briefing, Source
from briefer.pipeline.ranking import parse_published
from briefer.stories import THRESHOLD, StoryItem, explain, group_stories

ROOT = Path(__file__).resolve().parent.parent
MORNING = ROOT / "examples" / "morning"
HEADERS = {"title", "outlet", "published", "author"}


@dataclass(frozen=True)
class LabelledSet:
    """Articles in file-name order, their labelled story ids, and labelled copy -> original file names."""

    paths: list[Path]
    articles: list[Article]
    stories: list[str]
    duplicates: dict[str, str]


@dataclass(frozen=True)
class Scores:
    """Pairwise counts over article pairs: a pair is positive when both articles are in the same story."""

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def load_text_article(path: Path) -> Article:
    """A .txt article: ``Key: value`` header lines (title, outlet, published, author), a blank line, the body."""
    head, _, body = path.read_text(encoding="utf-8").partition("\n\n")
    fields = {}
    for line in head.splitlines():
        key, _, value = line.partition(":")
        if key.strip().lower() in HEADERS:
            fields[key.strip().lower()] = value.strip()
    return Article(text=body.strip(), source=Source(path=str(path), **fields))


def load_set(folder: Path = MORNING) -> LabelledSet:
    """The labelled articles of ``folder`` (``articles/`` under it when there is one)."""
    labels = tomllib.loads((folder / "labels.toml").read_text(encoding="utf-8"))
    where = folder / "articles" if (folder / "articles").is_dir() else folder
    paths = sorted(p for p in where.iterdir() if p.suffix in {".html", ".txt"})
    articles = [load_text_article(p) if p.suffix == ".txt" else load_article(str(p)) for p in paths]
    return LabelledSet(paths, articles, [labels["stories"][p.name] for p in paths], labels.get("duplicates", {}))


def collapse(articles: list[Article]) -> tuple[list[int], dict[int, list[int]]]:
    """Indices of the articles kept after dropping copies, and each original's copies."""
    groups = {group.original: group.duplicates for group in find_duplicates(articles)}
    copies = {i for duplicates in groups.values() for i in duplicates}
    return [i for i in range(len(articles)) if i not in copies], groups


def story_item(article: Article, briefing: Briefing | None = None) -> StoryItem:
    """What grouping sees of an article: its title, text and publication time (and a briefing when given)."""
    return StoryItem(article.source.title or "", article.text, parse_published(article.source.published), briefing)


def pairwise(groups: list[list[int]], truth: list[str]) -> Scores:
    """Pairwise counts of predicted ``groups`` (indices into ``truth``) against the labelled story ids."""
    predicted = {i: n for n, group in enumerate(groups) for i in group}
    tp = fp = fn = 0
    for a, b in itertools.combinations(range(len(truth)), 2):
        same, labelled = predicted[a] == predicted[b], truth[a] == truth[b]
        tp, fp, fn = tp + (same and labelled), fp + (same and not labelled), fn + (labelled and not same)
    return Scores(tp, fp, fn)


def _briefing(folder: Path | None, path: Path) -> Briefing | None:
    found = folder / f"{path.stem}.json" if folder else None
    return Briefing.model_validate_json(found.read_text(encoding="utf-8")) if found and found.exists() else None


def _print_duplicates(labelled: LabelledSet, found: dict[int, list[int]]) -> None:
    names = [p.name for p in labelled.paths]
    pairs = {(names[j], names[i]) for i, copies in found.items() for j in copies}
    expected = set(labelled.duplicates.items())
    print(f"duplicates: {len(pairs & expected)} of {len(expected)} labelled found, {len(pairs - expected)} unlabelled")
    for copy, original in sorted(pairs | expected):
        mark = "ok " if (copy, original) in pairs & expected else ("NEW" if (copy, original) in pairs else "MISSED")
        print(f"  {mark} {copy} = {original}")


def _print_groups(labelled: LabelledSet, keep: list[int], groups: list[list[int]], items: list[StoryItem]) -> None:
    for group in groups:
        print(f"  story {[labelled.stories[keep[i]] for i in group]}")
        for i in group:
            print(f"    {labelled.paths[keep[i]].name}: {items[i].title}")


def _print_margins(labelled: LabelledSet, keep: list[int], items: list[StoryItem], *, every: bool) -> None:
    """The weakest same-story pair and the strongest different-story pair (with --explain, every close pair)."""
    rows = []
    for i, j in itertools.combinations(range(len(items)), 2):
        parts = explain(items[i], items[j], context=items)
        same = labelled.stories[keep[i]] == labelled.stories[keep[j]]
        rows.append((same, parts, f"{labelled.paths[keep[i]].stem} ~ {labelled.paths[keep[j]].stem}"))
    weakest = min((row for row in rows if row[0]), key=lambda row: row[1]["similarity"], default=None)
    closest = max((row for row in rows if not row[0]), key=lambda row: row[1]["similarity"], default=None)
    shown = [row for row in rows if row[0] or row[1]["similarity"] >= THRESHOLD / 2] if every else []
    for label, row in [("weakest same-story pair", weakest), ("closest different-story pair", closest)]:
        if row is not None:
            print(f"{label}: {row[1]['similarity']:.3f}  {row[2]}")
    for same, parts, names in shown:
        print(f"  {'same ' if same else 'other'} " + " ".join(f"{k}={v:.3f}" for k, v in parts.items()) + f"  {names}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", nargs="?", type=Path, default=MORNING)
    parser.add_argument("--threshold", type=float, default=THRESHOLD)
    parser.add_argument("--with-briefings", type=Path, help="DIR/<article stem>.json briefings to use as features")
    parser.add_argument("--explain", action="store_true", help="print the similarity parts of same-story pairs")
    args = parser.parse_args()
    started = time.perf_counter()
    labelled = load_set(args.folder)
    loaded = time.perf_counter()
    keep, found = collapse(labelled.articles)
    deduped = time.perf_counter()
    items = [story_item(labelled.articles[i], _briefing(args.with_briefings, labelled.paths[i])) for i in keep]
    groups = group_stories(items, threshold=args.threshold)
    done = time.perf_counter()
    scores = pairwise(groups, [labelled.stories[i] for i in keep])
    print(f"{args.folder}: {len(labelled.articles)} articles, {len(labelled.articles) - len(keep)} copies collapsed")
    print(
        f"pairs: tp={scores.tp} fp={scores.fp} fn={scores.fn}  precision={scores.precision:.3f} "
        f"recall={scores.recall:.3f} F1={scores.f1:.3f}  (threshold {args.threshold})"
    )
    print(
        f"time: {loaded - started:.3f}s loading, {deduped - loaded:.3f}s dedupe (with importing datasketch), "
        f"{done - deduped:.3f}s grouping"
    )
    _print_duplicates(labelled, found)
    print(f"{len(groups)} stories:")
    _print_groups(labelled, keep, groups, items)
    _print_margins(labelled, keep, items, every=args.explain)


if __name__ == "__main__":
    main()

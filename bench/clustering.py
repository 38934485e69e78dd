"""How well story grouping matches a labelled set: pairwise precision, recall and F1, and the duplicates found.

    python bench/clustering.py [FOLDER] [--threshold T] [--with-briefings DIR] [--explain] [--json FILE]
                               [--second-look]
    python bench/clustering.py --generate 1000 10000     # time grouping of generated articles
    python bench/clustering.py --events 1000 5000        # precision and recall on the perf bench's events

FOLDER holds the articles (.html, or .txt with Title/Outlet/Published header lines) and labels.toml;
by default examples/morning. Duplicates are collapsed first, as in the pipeline. See bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefer._dedupe import find_duplicates
from briefer._grouping import BORDERLINE_LOW, THRESHOLD, Grouping, StoryItem
from briefer._ingest import load_article
from briefer._models import Article, Briefing, Source

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
    return StoryItem(article.source.title or "", article.text, article.source.published_at, briefing)


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


def pair_reasons(grouping: Grouping, i: int, j: int, look: Any = None) -> dict[str, Any]:
    """Why items i and j were put together or kept apart: the score's parts, conflicts, the model's answer."""
    reasons: dict[str, Any] = {k: round(v, 4) for k, v in grouping.parts(i, j).items()}
    reasons["conflicts"] = grouping.conflicts(i, j)
    answer = look.answers.get((i, j)) if look is not None else None
    if answer is not None:
        reasons["model"] = {"same_event": answer.same_event, "reason": answer.reason}
    return reasons


def _rows(labelled: LabelledSet, keep: list[int], grouping: Grouping, look: Any) -> list[dict[str, Any]]:
    """Every same-story pair, and every other pair scored near the threshold or judged by the model."""
    rows = []
    for i, j in itertools.combinations(range(len(grouping.items)), 2):
        same = labelled.stories[keep[i]] == labelled.stories[keep[j]]
        judged = look is not None and (i, j) in look.answers
        if same or judged or grouping.similarity(i, j) >= THRESHOLD * BORDERLINE_LOW / 2:
            names = (labelled.paths[keep[i]].name, labelled.paths[keep[j]].name)
            rows.append({"a": names[0], "b": names[1], "same_story": same, **pair_reasons(grouping, i, j, look)})
    return rows


def _print_margins(rows: list[dict[str, Any]], *, every: bool) -> None:
    """The weakest same-story pair and the strongest different-story pair (with --explain, every close pair)."""
    weakest = min((r for r in rows if r["same_story"]), key=lambda r: r["similarity"], default=None)
    closest = max((r for r in rows if not r["same_story"]), key=lambda r: r["similarity"], default=None)
    for label, row in [("weakest same-story pair", weakest), ("closest different-story pair", closest)]:
        if row is not None:
            print(f"{label}: {row['similarity']:.3f}  {row['a']} ~ {row['b']}")
    for row in rows if every else []:
        parts = " ".join(f"{k}={v:.3f}" for k, v in row.items() if isinstance(v, float))
        extra = "".join(f"  conflict: {c}" for c in row["conflicts"])
        if "model" in row:
            extra += f"  model: {'same' if row['model']['same_event'] else 'different'} ({row['model']['reason']})"
        print(f"  {'same ' if row['same_story'] else 'other'} {parts}  {row['a']} ~ {row['b']}{extra}")


def _second_look(grouping: Grouping, articles: list[Article], threshold: float) -> Any:
    """Ask the configured endpoint about the borderline pairs (answers kept in a throwaway state file)."""
    from briefer._config import resolve_settings
    from briefer._llm import LLM
    from briefer._pipeline.same_event import PairContext, second_look
    from briefer._store import Store

    contexts = [PairContext(a.content_hash, a.source.outlet or "", a.source.published or "") for a in articles]

    async def run() -> Any:
        llm = LLM(resolve_settings())
        try:
            return await second_look(grouping, contexts, llm, Store(Path(":memory:")), threshold=threshold)
        finally:
            await llm.aclose()

    return asyncio.run(run())


def time_generated(counts: list[int]) -> None:
    """Time grouping (no model) of generated articles: features, candidate pairs and linkage."""
    from bench.corpus import generate

    for count in counts:
        items = generate(count)
        started = time.perf_counter()
        grouping = Grouping(items)
        groups = grouping.groups()
        elapsed = time.perf_counter() - started
        print(f"{count} articles: {elapsed:.2f}s, {len(grouping.scores)} candidate pairs scored, {len(groups)} stories")


def generated_events(count: int) -> tuple[list[StoryItem], list[str]]:
    """bench/perf_corpus.py's articles as grouping sees them (copies dropped), and each one's event (its title).

    Its events are named with a small pool of syllables, so unrelated events share parts of names, as a large
    batch of real news does more rarely: a test of grouping at the sizes the performance bench runs.
    """
    from bench.perf_corpus import generate_articles

    unique = list({article.text: article for article in generate_articles(count)}.values())
    return [StoryItem(a.title, a.text.partition("\n")[2].strip(), None) for a in unique], [a.title for a in unique]


def score_generated_events(counts: list[int]) -> None:
    """Group ``generated_events`` of each count and score the groups against the events."""
    for count in counts:
        items, events = generated_events(count)
        started = time.perf_counter()
        groups = Grouping(items).groups()
        elapsed = time.perf_counter() - started
        scores = pairwise(groups, events)
        largest = max(len(group) for group in groups)
        print(
            f"{count} articles ({len(items)} after copies): {len(groups)} stories, largest {largest}; "
            f"precision={scores.precision:.3f} recall={scores.recall:.3f} (fp={scores.fp} fn={scores.fn}); "
            f"{elapsed:.1f}s"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", nargs="?", type=Path, default=MORNING)
    parser.add_argument("--threshold", type=float, default=THRESHOLD)
    parser.add_argument("--with-briefings", type=Path, help="DIR/<article stem>.json briefings to use as features")
    parser.add_argument("--explain", action="store_true", help="why each same-story or close pair was grouped or not")
    parser.add_argument("--json", type=Path, help="write scores, groups and every pair's reasons to this file")
    parser.add_argument("--second-look", action="store_true", help="ask the configured model about borderline pairs")
    parser.add_argument("--generate", type=int, nargs="+", metavar="N", help="time grouping of N generated articles")
    parser.add_argument("--events", type=int, nargs="+", metavar="N", help="score grouping of N perf-bench articles")
    args = parser.parse_args()
    if args.generate or args.events:
        time_generated(args.generate or [])
        score_generated_events(args.events or [])
        return
    started = time.perf_counter()
    labelled = load_set(args.folder)
    loaded = time.perf_counter()
    keep, found = collapse(labelled.articles)
    deduped = time.perf_counter()
    items = [story_item(labelled.articles[i], _briefing(args.with_briefings, labelled.paths[i])) for i in keep]
    grouping = Grouping(items)
    groups = grouping.groups(args.threshold)
    done = time.perf_counter()
    look = _second_look(grouping, [labelled.articles[i] for i in keep], args.threshold) if args.second_look else None
    if look is not None:
        groups = grouping.groups(args.threshold, look.verdicts)
    scores = pairwise(groups, [labelled.stories[i] for i in keep])
    print(f"{args.folder}: {len(labelled.articles)} articles, {len(labelled.articles) - len(keep)} copies collapsed")
    print(
        f"pairs: tp={scores.tp} fp={scores.fp} fn={scores.fn}  precision={scores.precision:.3f} "
        f"recall={scores.recall:.3f} F1={scores.f1:.3f}  (threshold {args.threshold})"
    )
    print(
        f"time: {loaded - started:.3f}s loading, {deduped - loaded:.3f}s dedupe, "
        f"{done - deduped:.3f}s grouping; borderline pairs: {len(grouping.borderline(args.threshold))}"
    )
    if look is not None:
        print(
            f"second look: {look.asked} asked ({look.usage.requests} requests), {look.failed} failed, "
            f"{look.skipped} skipped; verdicts {sum(look.verdicts.values())} same / {len(look.verdicts)}"
        )
    _print_duplicates(labelled, found)
    print(f"{len(groups)} stories:")
    _print_groups(labelled, keep, groups, items)
    rows = _rows(labelled, keep, grouping, look)
    _print_margins(rows, every=args.explain)
    if args.json:
        stories = [[labelled.paths[keep[i]].name for i in group] for group in groups]
        report = {
            "set": str(args.folder),
            "threshold": args.threshold,
            "precision": scores.precision,
            "recall": scores.recall,
            "f1": scores.f1,
            "tp": scores.tp,
            "fp": scores.fp,
            "fn": scores.fn,
            "stories": stories,
            "pairs": rows,
        }
        args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()

"""How faithful briefings are, on a labelled set: evidence, support, speakers, duplicates, invented words, cost.

    python bench/faithfulness.py [--record-dir DIR | --replay-dir DIR | --briefings-dir DIR] [--json OUT]
    python bench/faithfulness.py --compare BEFORE.json AFTER.json

Each article of bench/faithfulness/articles is briefed with ``briefer.brief`` against the configured endpoint
(live), recorded (``--record-dir``: DIR/<stem>.yaml and the briefing as DIR/<stem>.json; an article whose
DIR/<stem>.json exists is not asked again), replayed from such recordings with no model (``--replay-dir``), or
only read back from the saved briefings (``--briefings-dir``). The checks are the bench's own, simple and
independent of briefer's; the labels are bench/faithfulness/labels.toml. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: measure this checkout's briefer, not an installed one
    sys.path.insert(0, str(ROOT))

from bench.faithfulness_checks import ArticleResult, article_paths, load_labels, measure  # noqa: E402

# --- running briefer -------------------------------------------------------------------------------------


def brief_one(
    path: Path, *, record: Path | None = None, replay: Path | None = None, update: bool = False
) -> dict[str, Any]:
    """Brief the article at ``path`` live, recording into ``record``, or replaying ``replay``; the briefing as JSON."""
    from dataclasses import replace

    import briefer
    from briefer._config import resolve_settings
    from briefer._replay import recording

    article = briefer.load_article(str(path))
    if replay is not None:
        with briefer.replaying(replay) as settings:
            return briefer.brief(article, settings=settings).model_dump(mode="json")
    settings = resolve_settings(None)
    if record is None:
        return briefer.brief(article, settings=settings).model_dump(mode="json")
    # a remembered output mode would hide the ladder's steps from the recording (as `briefer brief --record`)
    with recording(record, update=update):
        return briefer.brief(article, settings=replace(settings, remember_modes=False)).model_dump(mode="json")


def obtain(path: Path, args: argparse.Namespace) -> dict[str, Any]:
    """The briefing of one article as the mode asks: saved, replayed, recorded (and saved) or live."""
    if args.briefings_dir:
        return dict(json.loads((args.briefings_dir / f"{path.stem}.json").read_text(encoding="utf-8")))
    if args.replay_dir:
        briefing = brief_one(path, replay=args.replay_dir / f"{path.stem}.yaml")
        saved = args.replay_dir / f"{path.stem}.json"
        if saved.exists():  # the live run's time: a replay takes none
            recorded = json.loads(saved.read_text(encoding="utf-8")).get("generation") or {}
            briefing["generation"]["seconds"] = recorded.get("seconds", briefing["generation"]["seconds"])
        return briefing
    if args.record_dir:
        saved = args.record_dir / f"{path.stem}.json"
        if saved.exists() and not args.update:
            return dict(json.loads(saved.read_text(encoding="utf-8")))
        args.record_dir.mkdir(parents=True, exist_ok=True)
        try:
            briefing = brief_one(path, record=args.record_dir / f"{path.stem}.yaml", update=args.update)
        except Exception as exc:
            briefing = {"error": f"{type(exc).__name__}: {exc}"}
        saved.write_text(json.dumps(briefing, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        return briefing
    return brief_one(path)


def article_text(path: Path) -> str:
    """The article's text exactly as briefer reads it (the offsets of its briefing point into this)."""
    import briefer

    return briefer.load_article(str(path)).text


def run(args: argparse.Namespace) -> list[ArticleResult]:
    """Measure every article; one that raises is a failure, not the end of the run."""
    labels = load_labels()
    results = []
    for path in article_paths(only=args.only):
        started = time.monotonic()
        try:
            briefing = obtain(path, args)
        except Exception as exc:
            briefing = {"error": f"{type(exc).__name__}: {exc}"}
        if "error" in briefing:
            result = ArticleResult(article=path.stem, error=str(briefing["error"]))
        else:
            result = measure(path.stem, briefing, article_text(path), labels[path.stem])
        results.append(result)
        print(f"{path.stem}: {time.monotonic() - started:.0f}s {result.error or ''}", file=sys.stderr, flush=True)
    return results


# --- reporting -----------------------------------------------------------------------------------------


def _ratio(part: float, whole: float) -> float | None:
    return round(part / whole, 3) if whole else None


def totals(results: list[ArticleResult]) -> dict[str, Any]:
    """The whole set's figures: shares pooled over all published claims, costs summed and averaged per article."""
    done = [r for r in results if r.error is None]
    claims = sum(r.claims for r in done)
    tokens = sum(r.prompt_tokens + r.completion_tokens for r in done)
    return {
        "articles": len(results),
        "failures": len(results) - len(done),
        "claims": claims,
        "claims_per_briefing": _ratio(claims, len(done)),
        "verbatim": _ratio(sum(r.verbatim for r in done), claims),
        "supported": _ratio(sum(r.supported for r in done), claims),
        "speaker_accuracy": _ratio(sum(r.speaker_ok for r in done), sum(r.attributed for r in done)),
        "attributed": sum(r.attributed for r in done),
        "duplicate_evidence": _ratio(sum(r.duplicates for r in done), claims),
        "invented": sum(len(r.invented) for r in done),
        "briefings_with_invented": sum(bool(r.invented) for r in done),
        "facts_covered": _ratio(sum(r.facts_covered for r in done), sum(r.facts for r in done)),
        "requests": sum(r.requests for r in done),
        "prompt_tokens": sum(r.prompt_tokens for r in done),
        "completion_tokens": sum(r.completion_tokens for r in done),
        "tokens_per_article": _ratio(tokens, len(done)),
        "seconds": round(sum(r.seconds for r in done), 1),
        "seconds_per_article": _ratio(sum(r.seconds for r in done), len(done)),
    }


_COLUMNS = [
    "article",
    "claims",
    "verbatim",
    "support",
    "speaker",
    "dup",
    "invented",
    "facts",
    "req",
    "prompt",
    "compl",
    "s",
]


def _row(r: ArticleResult) -> list[str]:
    if r.error is not None:
        return [r.article, "FAILED: " + r.error[:90]]
    return [
        r.article,
        str(r.claims),
        f"{r.verbatim}/{r.claims}",
        f"{r.supported}/{r.claims}",
        f"{r.speaker_ok}/{r.attributed}",
        str(r.duplicates),
        str(len(r.invented)),
        f"{r.facts_covered}/{r.facts}",
        str(r.requests),
        str(r.prompt_tokens),
        str(r.completion_tokens),
        f"{r.seconds:.0f}",
    ]


def _fmt(value: Any) -> str:
    return "-" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)


def print_table(results: list[ArticleResult], total: dict[str, Any]) -> None:
    """Per article, then in total."""
    rows = [_COLUMNS, *(_row(r) for r in results)]
    widths = [max(len(row[i]) for row in rows if i < len(row)) for i in range(len(_COLUMNS))]
    for row in rows:
        print("  ".join(cell.ljust(widths[i]) if i < len(widths) else cell for i, cell in enumerate(row)))
    print()
    for key, value in total.items():
        print(f"{key:>24}  {_fmt(value)}")


def print_details(results: list[ArticleResult]) -> None:
    """What failed per claim: missing support, wrong speakers, duplicates; and invented words."""
    for r in results:
        print(f"\n{r.article}" + (f": FAILED {r.error}" if r.error else ""))
        for n, c in enumerate(r.checks, 1):
            notes = [f"lacks {', '.join(c.missing)}"] if c.missing else []
            notes += [f"speaker {c.speaker!r}, gold {c.gold_speaker!r}"] if c.speaker_ok is False else []
            notes += ["evidence shared"] if c.duplicate else []
            notes += ["evidence not verbatim"] if not c.verbatim else []
            if notes:
                print(f"  claim {n}: {'; '.join(notes)}  | {c.statement[:100]}")
        if r.invented:
            print(f"  invented in headline/summary: {', '.join(r.invented)}")


def print_compare(before: dict[str, Any], after: dict[str, Any]) -> None:
    """Two runs side by side: totals per metric, then the main figures per article."""
    print(f"{'':>24}  {'before':>10}  {'after':>10}")
    for key in dict.fromkeys([*before["total"], *after["total"]]):  # in the order totals() lists them
        print(f"{key:>24}  {_fmt(before['total'].get(key)):>10}  {_fmt(after['total'].get(key)):>10}")
    old = {r["article"]: r for r in before["articles"]}
    new = {r["article"]: r for r in after["articles"]}
    figures = ["claims", "supported", "speaker_ok", "attributed", "duplicates", "invented", "requests", "seconds"]
    print("\nper article (support and speaker: passing / checked claims):")
    for name in sorted(old.keys() | new.keys()):
        cells = [_article_figures(old.get(name), figures), _article_figures(new.get(name), figures)]
        print(f"{name:<22}  before {cells[0]}\n{'':<22}  after  {cells[1]}")


def _article_figures(result: dict[str, Any] | None, figures: list[str]) -> str:
    if result is None:
        return "absent"
    if result.get("error"):
        return "FAILED: " + str(result["error"])[:80]
    shown = {f: len(result[f]) if isinstance(result[f], list) else result[f] for f in figures}
    return (
        f"claims {shown['claims']}  support {shown['supported']}/{shown['claims']}  "
        f"speaker {shown['speaker_ok']}/{shown['attributed']}  dup {shown['duplicates']}  "
        f"invented {shown['invented']}  requests {shown['requests']}  {shown['seconds']:.0f}s  "
        f"tokens {result['prompt_tokens']}+{result['completion_tokens']}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--record-dir", type=Path, help="record DIR/<stem>.yaml and save DIR/<stem>.json per article")
    source.add_argument("--replay-dir", type=Path, help="replay DIR/<stem>.yaml (no model, no network)")
    source.add_argument("--briefings-dir", type=Path, help="only read the saved briefings DIR/<stem>.json")
    source.add_argument("--compare", nargs=2, type=Path, metavar=("BEFORE", "AFTER"), help="two --json files")
    parser.add_argument(
        "--update",
        action="store_true",
        help="with --record-dir: replay what the recordings hold, record only new requests, drop unused ones",
    )
    parser.add_argument("--json", type=Path, help="write every figure, per article and per claim, to this file")
    parser.add_argument("--only", action="append", default=[], metavar="STEM", help="only this article (repeatable)")
    parser.add_argument("--details", action="store_true", help="list each failing claim and invented word")
    args = parser.parse_args()
    if args.compare:
        before, after = (json.loads(p.read_text(encoding="utf-8")) for p in args.compare)
        print_compare(before, after)
        return
    results = run(args)
    total = totals(results)
    print_table(results, total)
    if args.details:
        print_details(results)
    if args.json:
        mode = (
            "record" if args.record_dir else "replay" if args.replay_dir else "saved" if args.briefings_dir else "live"
        )
        report: dict[str, Any] = {"created": datetime.now(UTC).isoformat(timespec="seconds"), "mode": mode}
        report |= {"total": total, "articles": [asdict(r) for r in results]}
        args.json.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

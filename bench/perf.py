"""briefer beside a naive loop and instructor, against a simulated OpenAI-compatible server, in one run.

    python -m bench.perf                 # quick: a few minutes on 2 cores, scaled-down latency and rate limit
    python -m bench.perf --full          # the issue's settings: 1 s latency, 120 requests/minute, 200 articles
    python -m bench.perf --large         # add 5,000 articles (CPU), 10,000 (grouping) and one 10,000-article run

Every program runs as its own process on the same generated articles (bench/perf_corpus.py) against the same
simulated server (bench/perf_server.py: a fake for timing, not a model); CPU and peak memory are the operating
system's accounting of that process, wall time is measured around it. It prints a table of medians and ratios
and writes every figure to JSON (--json). instructor runs from its own virtual environment (INSTRUCTOR_PYTHON,
default /work/bench-venvs/instructor/bin/python; made with ``python -m venv DIR && DIR/bin/pip install
instructor``); without it, that peer is skipped and the table says so.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.perf_corpus import write_corpus
from bench.perf_report import report
from bench.perf_run import Runner

ROOT = Path(__file__).resolve().parent.parent
QUICK = {"throughput_articles": 100, "latency": 0.4, "per_minute": 300}
FULL = {"throughput_articles": 200, "latency": 1.0, "per_minute": 120}


def _cpu(runner: Runner, corpora: dict[int, Path], repeat: int) -> dict[str, Any]:
    """CPU and memory per article at zero latency, every system on every size, medians of ``repeat``.

    Each round runs every size and, at each size, every system in turn (briefer, naive, instructor), so that a
    drift in the machine's speed, common on shared machines, falls on all sizes and systems alike; each run's
    CPU is kept for pair-by-pair ratios and round-by-round marginal costs.
    """
    runner.configure(latency=0.0)
    systems = [s for s in ("briefer", "naive", "instructor") if s != "instructor" or runner.instructor is not None]
    runs: dict[tuple[str, int], list[dict[str, Any]]] = {(s, size): [] for size in corpora for s in systems}
    for _ in range(repeat):
        for size, folder in corpora.items():
            for system in systems:
                runs[system, size].append(runner.run_system(system, folder))
    return {
        f"{system}/{size}": _medians(runs[system, size], size) | {"cpu_runs": [r["cpu"] for r in runs[system, size]]}
        for size in corpora
        for system in systems
    }


def _medians(runs: list[dict[str, Any]], articles: int) -> dict[str, Any]:
    keys = ("cpu", "wall", "peak_mb", "requests", "prompt_chars", "schema_chars", "failed", "most_in_flight")
    out: dict[str, Any] = {key: statistics.median(run.get(key, 0) for run in runs) for key in keys}
    out["runs"] = len(runs)
    out["articles"] = articles
    out["cpu_ms_per_article"] = 1000 * out["cpu"] / articles
    out["prompt_chars_per_article"] = (out["prompt_chars"] + out["schema_chars"]) / articles
    # the request mix is the same in every run of one system on one corpus; the first run's stands for all
    out["requests_by_kind"] = runs[0].get("by_schema", {})
    out["prompt_chars_by_kind"] = runs[0].get("chars_by_schema", {})
    return out


def _rerun(runner: Runner, folder: Path, repeat: int) -> dict[str, Any]:
    """Runs over the same articles and state file once nothing is left to ask: requests made and wall time.

    The second look asks at most 8 borderline pairs a run, so a batch with more settles over a few runs; those
    runs are counted (``settling_runs``), and the reruns measured after them.
    """
    runner.configure(latency=0.0)
    state = runner.fresh_state()
    runner.run_system("briefer", folder, state=state)
    settling = 0
    while settling < 10 and runner.run_system("briefer", folder, state=state)["requests"]:
        settling += 1
    runs = [runner.run_system("briefer", folder, state=state) for _ in range(repeat)]
    return _medians(runs, len(list(folder.glob("*.txt")))) | {"settling_runs": settling}


def _throughput(
    runner: Runner, folder: Path, settings: dict[str, Any], concurrencies: list[int], repeat: int
) -> dict[str, Any]:
    """Wall time against a latency and a rate limit, at default settings, configured, and per concurrency."""
    latency, per_minute = settings["latency"], settings["per_minute"]
    cases: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
        "default, limit announced": ({"announce": True}, {}),
        "limit configured": ({"announce": False}, {"requests_per_minute": per_minute}),
    }
    for concurrency in concurrencies:
        cases[f"concurrency {concurrency}, limit announced"] = ({"announce": True}, {"concurrency": concurrency})
    results: dict[str, Any] = {}
    for name, (server, config) in cases.items():
        runner.configure(latency=latency, requests_per_minute=per_minute, **server)
        run = runner.run_system("briefer", folder, config=config)
        run["bound"] = run["requests_answered"] / (per_minute / 60.0)
        run["ratio"] = run["wall"] / run["bound"]
        results[name] = run
    # the one case bound by latency alone is short and the most sensitive to the machine: the median of ``repeat``
    runner.configure(latency=latency)
    runs = []
    for _ in range(repeat):
        run = runner.run_system("briefer", folder, config={"concurrency": 16})
        run["bound"] = run["requests_answered"] * latency / 16
        run["ratio"] = run["wall"] / run["bound"]
        runs.append(run)
    results["no limit, concurrency 16"] = sorted(runs, key=lambda run: run["ratio"])[len(runs) // 2]
    results["no limit, concurrency 16"]["ratios"] = [round(run["ratio"], 3) for run in runs]
    return results


def _huge(runner: Runner, folder: Path, size: int = 10_000) -> dict[str, Any]:
    """One whole morning run of ``size`` articles at zero latency: its peak memory (and CPU) against the 1 GB bound."""
    write_corpus(folder, size)
    runner.configure(latency=0.0)
    return _medians([runner.run_system("briefer", folder)], size)


def _grouping(runner: Runner, sizes: list[int]) -> dict[str, Any]:
    """Story grouping alone on generated items: wall time and peak memory of a process that only groups."""
    results = {}
    for size in sizes:
        code = (
            "import time; from bench.corpus import generate; from briefer._grouping import group_stories; "
            f"items = generate({size}); t = time.perf_counter(); group_stories(items); "
            "print(time.perf_counter() - t)"
        )
        run = runner.measure([sys.executable, "-c", code], dict(os.environ), runner.scratch / "grouping.txt")
        results[str(size)] = {
            "group_seconds": float(run["stdout"].strip() or "nan"),
            "process_wall": run["wall"],
            "peak_mb": run["peak_mb"],
            "ok": run["exit"] == 0,
        }
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="the issue's latency, rate limit and article count")
    parser.add_argument("--large", action="store_true", help="add 5,000 articles (CPU) and 10,000 (grouping)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per CPU and rerun figure (median)")
    parser.add_argument("--sizes", default="200,1000", help="article counts for the CPU figures")
    parser.add_argument("--concurrency", default="1,4,16,32", help="concurrencies to try against the rate limit")
    parser.add_argument("--json", type=Path, default=Path("perf-results.json"), help="where to write the figures")
    args = parser.parse_args()
    settings = FULL if args.full else QUICK
    sizes = [int(size) for size in args.sizes.split(",")] + ([5000] if args.large else [])
    with tempfile.TemporaryDirectory(prefix="briefer-perf-") as tmp, Runner(Path(tmp)) as runner:
        corpora = {size: Path(tmp) / f"corpus-{size}" for size in sizes}
        for size, folder in corpora.items():
            write_corpus(folder, size)
        small = Path(tmp) / "corpus-throughput"
        write_corpus(small, int(settings["throughput_articles"]), seed=2)
        results = {
            "settings": settings | {"repeat": args.repeat, "instructor": runner.instructor_note},
            "cpu": _cpu(runner, corpora, args.repeat),
            "rerun": _rerun(runner, corpora[sizes[0]], args.repeat),
            "throughput": _throughput(
                runner, small, settings, [int(c) for c in args.concurrency.split(",")], args.repeat
            ),
            "grouping": _grouping(runner, [1000, 10000] if args.large else [1000]),
        }
        if args.large:
            results["huge"] = _huge(runner, Path(tmp) / "corpus-10000")
    args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(report(results))
    print(f"\nfigures written to {args.json}")


if __name__ == "__main__":
    main()

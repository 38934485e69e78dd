"""The performance bench's figures as Markdown tables (what BENCHMARKS.md holds)."""

from __future__ import annotations

import itertools
import statistics
from typing import Any

__all__ = ["report"]


def _cpu_table(cpu: dict[str, Any]) -> list[str]:
    lines = [
        "| system | articles | CPU s | CPU ms/article | wall s | peak MB | requests | prompt chars/article | failed |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, row in cpu.items():
        system, size = name.split("/")
        lines.append(
            f"| {system} | {size} | {row['cpu']:.2f} | {row['cpu_ms_per_article']:.1f} | {row['wall']:.2f} | "
            f"{row['peak_mb']:.0f} | {row['requests']:.0f} | {row['prompt_chars_per_article']:.0f} | "
            f"{row['failed']:.0f} |"
        )
    return lines


def _ratios(cpu: dict[str, Any]) -> list[str]:
    sizes = sorted({int(name.split("/")[1]) for name in cpu})
    lines = []
    for size in sizes:
        briefer, peer = cpu.get(f"briefer/{size}"), cpu.get(f"instructor/{size}")
        if briefer and peer:
            ratio = briefer["cpu_ms_per_article"] / peer["cpu_ms_per_article"]
            lines.append(
                f"- CPU per article, {size} articles: briefer / instructor = {ratio:.2f}{_paired(briefer, peer)}"
            )
            chars = briefer["prompt_chars_per_article"] / peer["prompt_chars_per_article"]
            lines.append(f"- prompt characters per article, {size} articles: briefer / instructor = {chars:.2f}")
    for a, b in itertools.pairwise(sizes):
        first, second = cpu.get(f"briefer/{a}"), cpu.get(f"briefer/{b}")
        if first and second:
            marginal = 1000 * (second["cpu"] - first["cpu"]) / (b - a)
            rounds = _by_round(first, second, b - a)
            lines.append(f"- briefer's marginal CPU per article from {a} to {b}: {marginal:.1f} ms{rounds}")
    return lines


def _by_round(first: dict[str, Any], second: dict[str, Any], articles: int) -> str:
    """The marginal cost round by round (each round ran every size in turn): its median and range."""
    rounds = [
        1000 * (b - a) / articles for a, b in zip(first.get("cpu_runs", []), second.get("cpu_runs", []), strict=False)
    ]
    if len(rounds) < 2:
        return ""
    return f" (round by round: median {statistics.median(rounds):.1f}, {min(rounds):.1f} to {max(rounds):.1f})"


def _paired(briefer: dict[str, Any], peer: dict[str, Any]) -> str:
    """The ratio run by run (the two ran in turn): its median and range, when each run's CPU was kept."""
    pairs = [a / b for a, b in zip(briefer.get("cpu_runs", []), peer.get("cpu_runs", []), strict=False) if b]
    if not pairs:
        return ""
    return f" (run by run: median {statistics.median(pairs):.2f}, {min(pairs):.2f} to {max(pairs):.2f})"


def _kinds_table(cpu: dict[str, Any]) -> list[str]:
    """Where the prompt characters go: per request kind (the prompt's name), for each system at its largest size."""
    largest = max(int(name.split("/")[1]) for name in cpu)
    lines = [
        f"| system ({largest} articles) | request kind | requests | chars/request | chars/article |",
        "|---|---|---|---|---|",
    ]
    for name, row in cpu.items():
        system, size = name.split("/")
        if int(size) != largest:
            continue
        for kind, chars in sorted(row.get("prompt_chars_by_kind", {}).items()):
            count = row["requests_by_kind"].get(kind, 0)
            lines.append(f"| {system} | {kind} | {count} | {chars / max(count, 1):.0f} | {chars / largest:.0f} |")
    return lines


def _throughput_table(throughput: dict[str, Any]) -> list[str]:
    lines = [
        "| case | requests | 429s | most in flight | wall s | bound s | ratio | failed |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, run in throughput.items():
        lines.append(
            f"| {name} | {run['requests_answered']} | {run['refused_429']} | {run['most_in_flight']} | "
            f"{run['wall']:.1f} | {run['bound']:.1f} | {run['ratio']:.2f} | {run['failed']} |"
        )
    ratios = [run["ratios"] for run in throughput.values() if "ratios" in run]
    if ratios:
        lines += ["", f"Without a limit the median of {len(ratios[0])} runs is shown (ratios: {ratios[0]})."]
    return lines


def report(results: dict[str, Any]) -> str:
    """Every table of one bench run."""
    settings = results["settings"]
    rerun = results["rerun"]
    lines = [f"## CPU, memory and prompt size (zero-latency server, medians of {settings['repeat']})", ""]
    lines += [*_cpu_table(results["cpu"]), "", *_ratios(results["cpu"]), f"- instructor: {settings['instructor']}"]
    lines += ["", "Prompt characters (messages and schema) by request kind:", "", *_kinds_table(results["cpu"])]
    lines += ["", f"## Rerun of {rerun['articles']} cached articles (median of {rerun['runs']})", ""]
    lines += [
        f"- requests: {rerun['requests']:.0f}; wall {rerun['wall']:.2f} s; CPU {rerun['cpu']:.2f} s; "
        f"runs that still asked the second look's remaining pairs first: {rerun.get('settling_runs', 0)}"
    ]
    lines += [
        "",
        f"## Throughput ({settings['throughput_articles']} articles, latency {settings['latency']} s, "
        f"{settings['per_minute']} requests/minute; bound = requests / rate, or requests x latency / 16)",
        "",
        *_throughput_table(results["throughput"]),
        "",
        "## Story grouping alone (generated items)",
        "",
        "| articles | group s | peak MB |",
        "|---|---|---|",
    ]
    for size, row in results["grouping"].items():
        lines.append(f"| {size} | {row['group_seconds']:.2f} | {row['peak_mb']:.0f} |")
    if "huge" in results:
        huge = results["huge"]
        lines += [
            "",
            f"One morning run of {huge['articles']} articles (zero latency): peak {huge['peak_mb']:.0f} MB, "
            f"CPU {huge['cpu']:.1f} s ({huge['cpu_ms_per_article']:.1f} ms/article), {huge['failed']:.0f} failed",
        ]
    return "\n".join(lines)

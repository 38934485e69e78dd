"""The README's first command: the example morning briefing, replayed from its recording (a real model's)."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest

from briefer.cli import main
from briefer.ingest import load_article
from tests.conftest import EXAMPLES

SOURCES = EXAMPLES / "sources.toml"
LABELS = tomllib.loads((EXAMPLES / "morning" / "labels.toml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def example_run(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Run `briefer morning examples/sources.toml` once with no key: it replays the example's recording."""
    out = tmp_path_factory.mktemp("out")
    state = tmp_path_factory.mktemp("state") / "state.sqlite3"
    results = {}
    for attempt in ("first", "second"):
        with pytest.raises(SystemExit) as exited:
            main(["morning", str(SOURCES), "--out", str(out), "--state", str(state), "--format", "json"])
        results[attempt] = exited.value.code
    written = sorted(out.glob("morning-*"), key=lambda path: path.stat().st_mtime_ns)
    return {"codes": results, "files": written, "out": out}


def load(example_run: dict, index: int = 0) -> dict:
    files = [f for f in example_run["files"] if f.suffix == ".json"]
    return json.loads(files[index].read_text(encoding="utf-8"))


def test_writes_markdown_html_and_json_twice(example_run: dict) -> None:
    assert example_run["codes"] == {"first": 0, "second": 0}
    assert sorted({f.suffix for f in example_run["files"]}) == [".html", ".json", ".md"]
    assert len(example_run["files"]) == 6  # the second run did not overwrite the first


def test_second_run_asks_again_only_for_what_failed(example_run: dict) -> None:
    first, second = load(example_run, 0), load(example_run, 1)
    assert first["summary"]["llm_calls"] > 0
    assert second["summary"]["articles_cached"] == first["summary"]["articles_new"]
    assert second["summary"]["articles_new"] == 0
    # bad output once is asked again once (each article at most 1 + 2 re-asks, plus one mode step down)
    failed = first["summary"]["failed"]
    assert second["summary"]["llm_calls"] <= 4 * failed
    assert [f["source"] for f in second["failed_sources"]] == [f["source"] for f in first["failed_sources"]]
    assert all(f["error"].endswith("(failed for good: bad output twice)") for f in second["failed_sources"])


def test_wire_copies_are_briefed_once_and_credited(example_run: dict) -> None:
    briefing = load(example_run)
    assert briefing["summary"]["duplicates"] == len(LABELS["duplicates"])
    wire = [a for a in briefing["articles"] if a["also_published_by"]]
    assert len(wire) == 1
    assert {s["outlet"] for s in wire[0]["also_published_by"]} == {"Coastline Daily", "Northshore Courier"}


def test_every_published_claim_quotes_a_named_article(example_run: dict) -> None:
    briefing = load(example_run)
    texts = {entry["id"]: load_article(entry["source"]["path"]).text for entry in briefing["articles"]}
    claims = [claim for story in briefing["stories"] for claim in story["claims"]]
    assert claims
    for claim in claims:
        assert claim["evidence"], claim
        for cite in claim["evidence"] + claim["contradicted_by"]:
            span = cite["span"]
            assert texts[cite["article"]][span["start"] : span["end"]] == cite["quote"]


def test_stories_match_the_labelled_grouping(example_run: dict) -> None:
    briefing = load(example_run)
    story_of = {
        Path(e["source"]["path"]).name: s["id"]
        for s in briefing["stories"]
        for e in briefing["articles"]
        if e["id"] in s["articles"]
    }
    labelled: dict[str, set[str]] = {}
    for name, label in LABELS["stories"].items():
        if name in story_of:
            labelled.setdefault(label, set()).add(story_of[name])
    assert all(len(ids) == 1 for ids in labelled.values()), labelled  # no labelled story split
    assert len({next(iter(ids)) for ids in labelled.values()}) == len(labelled)  # none merged


def test_stories_are_ranked_with_reasons(example_run: dict) -> None:
    stories = load(example_run)["stories"]
    assert [s["id"] for s in stories] == [f"S{i}" for i in range(1, len(stories) + 1)]
    scores = [s["importance"] for s in stories]
    assert scores == sorted(scores, reverse=True)
    assert all(s["importance_reasons"] for s in stories)
    assert re.search(r"\d+ independent reports? from \d+ outlets", stories[0]["importance_reasons"][0])

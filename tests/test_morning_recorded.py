"""The README's first command: the example morning briefing, replayed from its recording (a real model's)."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest

from briefer._cli import main
from briefer._grounding import distinct_figures
from briefer._ingest import load_article
from briefer._prose import statement_problems, ungrounded_terms
from briefer._support import check_support
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


def texts_of(briefing: dict) -> dict[str, str]:
    return {entry["id"]: load_article(entry["source"]["path"]).text for entry in briefing["articles"]}


def test_every_published_claim_cites_a_named_articles_own_sentences(example_run: dict) -> None:
    briefing = load(example_run)
    texts = texts_of(briefing)
    claims = [claim for story in briefing["stories"] for claim in story["claims"]]
    assert claims
    for claim in claims:
        assert claim["evidence"], claim
        for cite in claim["evidence"] + claim["contradicted_by"]:
            span = cite["span"]
            assert texts[cite["article"]][span["start"] : span["end"]] == cite["evidence"]


def test_every_claim_passes_the_support_check_on_its_own_evidence(example_run: dict) -> None:
    for story in load(example_run)["stories"]:
        for claim in story["claims"]:
            for cite in claim["evidence"]:
                result = check_support(claim["statement"], cite["evidence"])
                assert result.supported, (claim["statement"], cite["evidence"], result.missing)


def test_no_two_claims_of_a_story_share_evidence_and_none_is_pasted(example_run: dict) -> None:
    briefing = load(example_run)
    texts = texts_of(briefing)
    for story in briefing["stories"]:
        claims = story["claims"]
        for i, first in enumerate(claims):
            for second in claims[i + 1 :]:
                if distinct_figures(first["statement"], second["statement"]):
                    continue  # two figures from one sentence are two facts
                assert not {(c["article"], c["span"]["start"]) for c in first["evidence"]} & {
                    (c["article"], c["span"]["start"]) for c in second["evidence"]
                }, (first["statement"], second["statement"])
        for claim in claims:
            cite = claim["evidence"][0]
            assert statement_problems(claim["statement"], cite["evidence"], texts[cite["article"]]) == []


def test_no_invented_name_or_number_in_any_headline_or_summary(example_run: dict) -> None:
    briefing = load(example_run)
    texts = texts_of(briefing)
    titles = {entry["id"]: entry["source"]["title"] or "" for entry in briefing["articles"]}
    for story in briefing["stories"]:
        sources = [texts[a] for a in story["articles"]] + [titles[a] for a in story["articles"]]
        assert ungrounded_terms(story["headline"], sources) == [], story["headline"]
        assert ungrounded_terms(story["what_happened"], sources) == [], story["what_happened"]


def test_both_planned_figure_conflicts_are_shown_with_each_outlets_sentence(example_run: dict) -> None:
    briefing = load(example_run)
    texts = texts_of(briefing)
    fire = next(
        s
        for s in briefing["stories"]
        if "The Valley Post" in s["outlets"]
        and "Northshore Courier" in s["outlets"]
        and any("Ostrander" in texts[a] for a in s["articles"])
    )
    conflicts = fire["conflicts"]
    shown = [" ".join(v["evidence"] for v in conflict["values"]) for conflict in conflicts]
    assert any(re.search(r"\b12\b|twelve", text, re.I) and re.search(r"\b17\b|seventeen", text, re.I) for text in shown)
    assert any(re.search(r"2 (km|kilomet)", text) and re.search(r"3 (km|kilomet)", text) for text in shown)
    for conflict in conflicts:
        assert len({v["outlet"] for v in conflict["values"]}) >= 2
        for value in conflict["values"]:
            assert texts[value["article"]][value["span"]["start"] : value["span"]["end"]] == value["evidence"]


def test_every_outlet_that_carries_a_claim_is_marked_as_supporting_it(example_run: dict) -> None:
    for story in load(example_run)["stories"]:
        for claim in story["claims"]:
            carrying = {cite["outlet"] for cite in claim["evidence"]}
            assert all(claim["agreement"][outlet] == "supports" for outlet in carrying)


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

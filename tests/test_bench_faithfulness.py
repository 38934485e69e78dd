"""The faithfulness bench: its labelled set is sound, and its checks measure what they claim on hand-made briefings."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from bench.faithfulness import print_compare, totals
from bench.faithfulness_checks import (
    Attribution,
    Labels,
    Vocabulary,
    article_paths,
    load_labels,
    measure,
    names,
    numbers,
    same_name,
    same_speaker,
)
from tests.test_cassettes import SECRET

LABELS = load_labels()
PATHS = article_paths()
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_the_set_has_the_seed_twelve_labelled_articles_and_one_in_chinese() -> None:
    assert len(PATHS) >= 12
    assert {p.stem for p in PATHS} == set(LABELS)
    assert "Washington on Tuesday reacted with deep skepticism" in PATHS[0].read_text(encoding="utf-8")
    assert any(CJK.search(p.read_text(encoding="utf-8")) for p in PATHS)


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_an_article_is_a_news_story_of_400_to_900_words_with_a_title_line(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    title, blank = text.split("\n")[:2]
    assert title.strip() and not blank.strip()
    size = len(text) / 1.8 if CJK.search(text) else len(text.split())  # about 1.8 Chinese characters a word
    assert 400 <= size <= 900


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_every_label_is_an_exact_passage_of_its_article(path: Path) -> None:
    text, labels = path.read_text(encoding="utf-8"), LABELS[path.stem]
    for attribution in labels.attributions:
        assert text.count(attribution.text) == 1, attribution.text  # one place, so a span finds one speaker
        assert attribution.speaker
    for fact in labels.facts:
        assert fact.text in text, fact.text
        for number in fact.numbers:
            assert number in fact.text
            assert numbers(number) <= numbers(fact.text)
    assert all(name in text for name in labels.names)
    assert len(labels.quotes) >= 8 and len(labels.facts) >= 4 and len(labels.names) >= 8


def test_every_direct_quote_of_the_articles_is_labelled() -> None:
    """Every passage in quotation marks longer than three words carries a gold speaker (headlines aside)."""
    for path in PATHS:
        text, labels = path.read_text(encoding="utf-8"), LABELS[path.stem]
        body = text.split("\n", 1)[1]
        for match in re.finditer(r'"([^"\n]+)"|“([^”\n]+)”', body):
            quoted = (match.group(1) or match.group(2)).rstrip(" ,，")
            if len(quoted.split()) > 3 or (CJK.search(quoted) and len(quoted) > 8):
                assert any(quoted in a.text or a.text in quoted for a in labels.quotes), (path.stem, quoted)


def test_several_articles_have_many_quoted_speakers() -> None:
    many = [stem for stem, labels in LABELS.items() if len({q.speaker for q in labels.quotes}) >= 6]
    assert len(many) >= 5


def test_the_people_quoted_in_english_articles_are_names_by_the_articles_own_usage() -> None:
    for path in PATHS:
        text = path.read_text(encoding="utf-8")
        if CJK.search(text):
            continue
        vocabulary = Vocabulary.of(text)
        people = {q.speaker for q in LABELS[path.stem].quotes if re.fullmatch(r"[A-Z][a-z]+ [A-Z][a-z]+", q.speaker)}
        for person in people:
            assert names(person, vocabulary) == person.split(), person


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("3.50 percent", "3.5"),
        ("3.5%", "3.5"),
        ("twelve workers", "12"),
        ("1,200 homes", "1200"),
        ("$62m", "62000000"),
        ("$62 million", "62000000"),
        ("12.6万人", "126000"),
        ("3亿元", "300000000"),
        ("the 18th minute", "18"),
        ("Sept. 14", "14"),
    ],
)
def test_numbers_are_read_after_light_normalisation(written: str, value: str) -> None:
    assert Decimal(value) in numbers(written)


def test_numbers_are_not_found_where_there_are_none() -> None:
    assert numbers("The bank has blinked, said Georg Fenn.") == set()
    assert Decimal(17) not in numbers("12 workers were taken to hospital")


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Russia", "Russian", True),
        ("Ukraine", "Ukrainian", True),
        ("Kirby", "Kirby", True),
        ("Austria", "Australia", False),
        ("Iran", "Iraq", False),
        ("Estmark", "Estonia", False),
        ("Orr", "Orre", False),
    ],
)
def test_a_name_matches_its_other_forms_but_not_a_neighbour(a: str, b: str, same: bool) -> None:
    assert same_name(a, b) is same


@pytest.mark.parametrize(
    ("published", "gold", "same"),
    [
        ("Kirby", Attribution("x", "John Kirby"), True),
        ("Pentagon Press Secretary John Kirby", Attribution("x", "John Kirby"), True),
        ("President Joe Biden", Attribution("x", "John Kirby"), False),
        ("U.S. State Department", Attribution("x", "State Department"), True),
        ("Lena Holt", Attribution("x", "Tomas Vrbic", ("Lena Holt",)), True),
        ("Finance Minister", Attribution("x", "Tomas Vrbic"), False),
        ("王海涛局长", Attribution("x", "王海涛", ("Wang Haitao",)), True),
        ("Wang Haitao", Attribution("x", "王海涛", ("Wang Haitao",)), True),
        ("陈立军", Attribution("x", "王海涛", ("Wang Haitao",)), False),
    ],
)
def test_speakers_are_compared_by_surname_or_name(published: str, gold: Attribution, same: bool) -> None:
    assert same_speaker(published, gold) is same


# --- the measurements, on a hand-made article and briefings of both claim shapes --------------------------

ARTICLE = (
    "Fire at Brennick plant\n\n"
    "Twelve workers were taken to hospital after a fire at the Brennick Falls chemical plant on Monday.\n\n"
    '"We evacuated everyone within a 2 km radius," fire chief Dana Orr said. "It spread fast."\n\n'
    "Plant owner Tessa Vane said the company would pay for the clean-up."
)
GOLD = Labels(
    quotes=(
        Attribution("We evacuated everyone within a 2 km radius", "Dana Orr"),
        Attribution("It spread fast.", "Dana Orr"),
    ),
    paraphrases=(Attribution("said the company would pay for the clean-up", "Tessa Vane"),),
    facts=(),
    names=("Brennick Falls", "Dana Orr", "Tessa Vane"),
)


def claim(statement: str, speaker: str, evidence: str, *, shape: str = "quote", shift: int = 0) -> dict[str, Any]:
    """A published claim whose evidence stands where ``evidence`` stands in ARTICLE (``shift`` moves its span)."""
    start = ARTICLE.index(evidence) + shift
    published = {"statement": statement, "speaker": speaker, "attribution": "direct_quote", shape: evidence}
    return published | {"span": {"start": start, "end": start + len(evidence), "exact": True}}


def briefing(claims: list[dict[str, Any]], headline: str = "Fire at Brennick plant", summary: str = "") -> dict:
    usage = {"requests": 2, "prompt_tokens": 900, "completion_tokens": 300}
    return {
        "headline": headline,
        "summary": summary,
        "key_claims": claims,
        "generation": {"usage": usage, "seconds": 41.5},
        "grounding": {"proposed": len(claims) + 1, "dropped": 1},
    }


@pytest.mark.parametrize("shape", ["quote", "evidence"])
def test_a_faithful_briefing_passes_every_check_in_either_claim_shape(shape: str) -> None:
    claims = [
        claim("12 workers went to hospital.", "the outlet", "Twelve workers were taken to hospital", shape=shape),
        claim(
            "Everyone within 2 km was evacuated.", "Dana Orr", "We evacuated everyone within a 2 km radius", shape=shape
        ),
        claim("The owner will pay for the clean-up.", "Tessa Vane", "said the company would pay", shape=shape),
    ]
    result = measure("fire", briefing(claims), ARTICLE, GOLD)
    assert (result.claims, result.verbatim, result.supported, result.duplicates) == (3, 3, 3, 0)
    assert (result.attributed, result.speaker_ok, result.invented) == (2, 2, [])
    assert (result.requests, result.prompt_tokens, result.completion_tokens, result.seconds) == (2, 900, 300, 41.5)
    assert (result.proposed, result.dropped) == (4, 1)


def test_unsupported_claims_wrong_speakers_shared_and_moved_evidence_are_each_counted() -> None:
    claims = [
        claim("17 workers went to hospital.", "the outlet", "Twelve workers were taken to hospital"),  # wrong number
        claim("Tessa Vane ordered the evacuation.", "Tessa Vane", "We evacuated everyone within a 2 km radius"),
        claim("The fire spread fast, said Orr.", "Dana Orr", "It spread fast.", shift=1),  # offsets off by one
        claim("Orr said the fire moved quickly.", "Dana Orr", "It spread fast."),  # same evidence as the last
    ]
    result = measure("fire", briefing(claims), ARTICLE, GOLD)
    assert result.verbatim == 3
    assert [check.missing for check in result.checks] == [["17"], ["Tessa", "Vane"], [], []]
    assert result.supported == 2
    assert (result.attributed, result.speaker_ok) == (3, 2)  # the first claim rests on no gold passage
    assert result.checks[1].gold_speaker == "Dana Orr" and result.checks[1].speaker_ok is False
    assert result.duplicates == 2


def test_names_and_numbers_the_article_lacks_are_invented_in_headline_and_summary() -> None:
    prose = briefing(
        [], headline="Fire Injures 12 in Brennick Falls, British Columbia", summary="Orr said 17 were hurt."
    )
    result = measure("fire", prose, ARTICLE, GOLD)
    # "Injures" is an English word, not a name; "British" too, by the dictionary: a known miss of the simple check
    assert result.invented == ["Columbia", "17"]
    chinese = briefing([], summary="The plant will decide whether to继续 it.")
    assert measure("fire", chinese, ARTICLE, GOLD).invented == ["继续"]


def test_totals_pool_claims_and_count_failures(capsys: pytest.CaptureFixture[str]) -> None:
    good = measure("fire", briefing([claim("12 workers went to hospital.", "x", "Twelve workers")]), ARTICLE, GOLD)
    bad = measure("fire", briefing([claim("17 workers went to hospital.", "x", "Twelve workers")]), ARTICLE, GOLD)
    failed = type(good)(article="broken", error="InvalidOutputError: no valid output")
    total = totals([good, bad, failed])
    assert (total["articles"], total["failures"], total["claims"], total["claims_per_briefing"]) == (3, 1, 2, 1.0)
    assert (total["supported"], total["verbatim"], total["tokens_per_article"]) == (0.5, 1.0, 1200.0)
    report = {"total": total, "articles": [json.loads(json.dumps(r.__dict__, default=vars)) for r in (good, failed)]}
    print_compare(report, report | {"total": total | {"supported": 1.0}})
    printed = capsys.readouterr().out
    assert re.search(r"supported\s+0\.500\s+1\.000", printed)
    assert "FAILED: InvalidOutputError" in printed


# --- the committed "before" run -------------------------------------------------------------------------------

BEFORE = Path(__file__).resolve().parent.parent / "bench" / "faithfulness" / "recordings" / "before"


@pytest.mark.parametrize("path", sorted(BEFORE.glob("*.yaml")), ids=lambda p: p.stem)
def test_a_bench_recording_is_clean_names_its_model_and_has_its_briefing(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert not SECRET.search(text) and "authorization" not in text.lower()
    assert re.match(r"# Recorded \d{4}-\d{2}-\d{2} from model \S+ at https?://\S+\.", text.splitlines()[0])
    assert path.with_suffix(".json").is_file()


def test_the_before_table_is_what_the_checks_make_of_the_saved_briefings() -> None:
    report = json.loads((BEFORE.parent.parent / "before.json").read_text(encoding="utf-8"))
    assert [r["article"] for r in report["articles"]] == [p.stem for p in PATHS]
    results = []
    for path in PATHS:
        saved = json.loads((BEFORE / f"{path.stem}.json").read_text(encoding="utf-8"))
        results.append(measure(path.stem, saved, path.read_text(encoding="utf-8"), LABELS[path.stem]))
    assert totals(results) == report["total"]

"""The support check against a table of real and written (statement, evidence) pairs."""

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from briefer._support import TOO_LITTLE_IN_COMMON, _first_whole_word, _has_whole, check_support

PAIRS: list[dict[str, Any]] = yaml.safe_load(
    Path(__file__).with_name("data").joinpath("support/pairs.yaml").read_text()
)


def verdict(pair: dict[str, Any]) -> Any:
    return check_support(
        pair["statement"], pair["evidence"], context=pair.get("context", ""), speaker=pair.get("speaker")
    )


def test_the_table_is_large_and_balanced() -> None:
    assert len(PAIRS) >= 40
    supported = sum(pair["supported"] for pair in PAIRS)
    assert 20 <= supported <= len(PAIRS) - 20
    assert sum(pair["source"] == "recording" for pair in PAIRS) >= 15
    assert sum(not pair["statement"].isascii() for pair in PAIRS) >= 6


@pytest.mark.parametrize(
    "pair", [pair for pair in PAIRS if "limit" not in pair], ids=lambda pair: pair["statement"][:50]
)
def test_pair(pair: dict[str, Any]) -> None:
    support = verdict(pair)
    assert support.supported is pair["supported"], support.missing
    assert support.supported is (not support.missing)
    if "missing" in pair:
        assert any(pair["missing"] in reason for reason in support.missing), support.missing


def test_precision_and_recall_over_the_whole_table() -> None:
    """Measured over every pair, the known limits included: passing must mean supported."""
    passed = [verdict(pair).supported for pair in PAIRS]
    gold = [pair["supported"] for pair in PAIRS]
    true_pass = sum(p and g for p, g in zip(passed, gold, strict=True))
    precision = true_pass / sum(passed)
    recall = true_pass / sum(gold)
    caught = sum(not p and not g for p, g in zip(passed, gold, strict=True)) / (len(gold) - sum(gold))
    assert precision >= 0.95
    assert recall >= 0.85
    assert caught >= 0.95


def test_missing_reasons_read_as_a_list_for_a_re_ask() -> None:
    support = check_support(
        "The fire was 15 percent contained on Monday evening in British Columbia",
        "It's the speed of it that scares people",
    )
    assert support.missing == [
        'number "15 percent"',
        'date "Monday"',
        'name "British Columbia"',
        TOO_LITTLE_IN_COMMON,
    ]


def test_speaker_name_may_be_in_the_paragraph_but_no_other_name() -> None:
    evidence = '"We are not on a preset path," she said.'
    context = "The governor declined to say whether further cuts were likely. " + evidence
    context_named = "Governor Elspeth Marrow-Quaye declined to say more. " + evidence
    statement = "Marrow-Quaye said the bank was not on a preset path"
    assert not check_support(statement, evidence, context=context_named).supported
    assert check_support(statement, evidence, context=context_named, speaker="Elspeth Marrow-Quaye").supported
    assert not check_support(statement, evidence, context=context, speaker="Elspeth Marrow-Quaye").supported
    other = "Kettle said the bank was not on a preset path"  # a common word, but a name before "said"
    assert not check_support(other, evidence, context=context_named, speaker="Elspeth Marrow-Quaye").supported


def test_units_convert_and_bare_numbers_match_any_unit() -> None:
    assert check_support("The yield fell 6 basis points", "The yield dropped 0.06 points.").supported
    assert check_support("The zone covers 2,000 m", "The zone covers 2 km around the site.").supported
    assert check_support("The rate is now 3.5", "The rate is now 3.5 percent.").supported
    assert not check_support("The zone covers 2 miles", "The zone covers 2 km around the site.").supported


def test_empty_statement_is_not_supported() -> None:
    assert check_support("", "Anything at all.").missing == [TOO_LITTLE_IN_COMMON]


def test_length_aware_overlap() -> None:
    evidence = "The council voted to close the library on Sundays."
    assert check_support("The council voted", evidence).supported
    long_statement = "The council voted after a long debate about budgets, staffing, heating costs and opening hours"
    assert not check_support(long_statement, evidence).supported


def test_names_that_introduce_the_speaker_may_be_in_the_paragraph() -> None:
    evidence = '"One is seriously hurt. We are in constant contact with the hospital."'
    context = (
        "Philip Varnum, a spokesman for Ostrander Chemical, said in a phone interview that all 12 were night-shift"
        ' workers. "Twelve of our colleagues were taken to hospital," Varnum said. ' + evidence
    )
    statement = "Ostrander Chemical spokesman Philip Varnum said one worker is seriously hurt"
    assert check_support(statement, evidence, context=context, speaker="Philip Varnum").supported
    assert not check_support(statement, evidence, context=context).supported
    elsewhere = "Corran County spokesman Philip Varnum said one worker is seriously hurt"
    far = context + " Corran County officials said the zone covers 3 kilometres."
    assert check_support(elsewhere, evidence, context=far, speaker="Philip Varnum").missing == ['name "Corran County"']


HELD_OUT: list[dict[str, Any]] = yaml.safe_load(
    Path(__file__).with_name("data").joinpath("support/heldout.yaml").read_text()
)


def test_held_out_pairs_keep_their_first_measured_scores() -> None:
    """29 pairs written after the check and measured once: precision 13/17, recall 13/16, caught 9/13.

    Their misses need meaning, not words: antonyms ("opposed" for "supported"), "fully" for "15 percent",
    "unanimously" for "6 to 1", "cannot" for "blocked", a continuing quote whose paragraph never names Kirby.
    A drop below these numbers is a regression.
    """
    passed = [verdict(pair).supported for pair in HELD_OUT]
    gold = [pair["supported"] for pair in HELD_OUT]
    true_pass = sum(p and g for p, g in zip(passed, gold, strict=True))
    caught = sum(not p and not g for p, g in zip(passed, gold, strict=True))
    assert len(HELD_OUT) == 29
    assert true_pass >= 13
    assert sum(passed) - true_pass <= 4
    assert caught >= 9


@pytest.mark.parametrize(
    ("text", "words", "expected"),
    [
        ("Anna Ruiz and Ann Lee", ["Ann", "Anna"], (0, 4)),  # "Ann" inside "Anna" is no word: "Anna" is first
        ("Kirby, then Kirby", ["Kirby"], (0, 5)),
        ("the (Ret.) colonel", ["(Ret.)"], None),  # as \b: a word starting with "(" needs a word character before
        ("x(Ret.)y", ["(Ret.)"], (1, 7)),
        ("snake_Kirby Kirby_x", ["Kirby"], None),  # "_" is a word character
        ("O'Brien said", ["O", "O'Brien"], (0, 1)),  # a tie goes to the first listed, as in an alternation
    ],
)
def test_first_whole_word_finds_what_a_word_boundary_pattern_would(
    text: str, words: list[str], expected: tuple[int, int] | None
) -> None:
    pattern = re.compile(rf"\b(?:{'|'.join(map(re.escape, words))})\b")
    match = pattern.search(text)
    assert _first_whole_word(text, words) == expected == (match.span() if match else None)


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [("john kirby said", "kirby", True), ("kirbyson said", "kirby", False), ("x_kirby", "kirby", False)],
)
def test_has_whole(text: str, name: str, expected: bool) -> None:
    assert _has_whole(text, name) is expected

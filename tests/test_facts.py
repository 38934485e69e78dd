"""The facts extractor: numbers with units, dates, proper names, negations, content words, scripts."""

import pytest

from briefer._facts import (
    content_words,
    dates,
    negated_words,
    negations,
    normalise_name,
    numbers,
    proper_names,
    scripts,
)


def values(text: str) -> list[tuple[float, str | None]]:
    return [(number.value, number.unit) for number in numbers(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("twelve workers", [(12, None)]),
        ("Twelve workers", [(12, None)]),
        ("12 workers", [(12, None)]),
        ("3.5%", [(3.5, "percent")]),
        ("3.50 percent", [(3.5, "percent")]),
        ("3.5 per cent", [(3.5, "percent")]),
        ("$62m", [(62e6, "usd")]),
        ("$62 million", [(62e6, "usd")]),
        ("62 million dollars", [(62e6, "usd")]),
        ("1,200 households", [(1200, None)]),
        ("2 km", [(2, "km")]),
        ("2km", [(2, "km")]),
        ("two kilometres", [(2, "km")]),
        ("a 3-kilometre zone", [(3, "km")]),
        ("a two-kilometre radius", [(2, "km")]),
        ("1.5bn", [(1.5e9, None)]),
        ("€1.5bn", [(1.5e9, "eur")]),
        ("three hundred and forty people", [(340, None)]),
        ("twenty-one", [(21, None)]),
        ("a quarter of a percentage point", [(0.25, "point")]),
        ("6 basis points", [(6, "basis point")]),
        ("a third of residents", [(0.3333, None)]),
        ("$85,000 fine", [(85000, "usd")]),
        ("2,000 years", [(2000, "year")]),
        ("1.2m people", [(1.2e6, None)]),
        ("gusts of 70 kilometres an hour", [(70, "km/h")]),  # a speed, not a distance
        ("70 km/h", [(70, "km/h")]),
        ("a 300m climb", [(300, "m")]),
        ("half a million", [(5e5, None)]),
        ("more than a dozen calls", [(12, None)]),
        ("hundreds of families", []),  # vague: nothing to check
    ],
)
def test_numbers_normalise_value_and_unit(text: str, expected: list[tuple[float, str | None]]) -> None:
    assert [(round(v, 4), u) for v, u in values(text)] == [(round(v, 4), u) for v, u in expected]


@pytest.mark.parametrize(
    "text",
    [
        "built in 1987",  # a year
        "in 2021",
        "the 21st fire",  # an ordinal
        "the second fire",
        "at about 2:40 a.m.",  # a time
        "shortly after 9 a.m.",
        "on March 3",  # a day
        "from Dec. 1",
        "one of them",  # a pronoun, not a count
        "2024年3月5日",
    ],
)
def test_dates_ordinals_and_times_are_not_quantities(text: str) -> None:
    assert numbers(text) == []


def test_numbers_carry_their_offsets() -> None:
    text = "The owner said 12 of its employees and Seventeen workers were hurt, within 3 kilometres."
    for number in numbers(text):
        assert text[number.start : number.end] == number.text
    assert [n.text for n in numbers(text)] == ["12", "Seventeen", "3 kilometres"]


def test_numbers_in_text_without_spaces() -> None:
    assert values("失业率为2.1%，120人受伤，3万人撤离") == [(2.1, "percent"), (120, None), (30000, None)]
    assert values("半径3キロ以内で12人が病院に運ばれた") == [(3, "km"), (12, None)]


def test_dates() -> None:
    found = dates("On Monday, Dec. 1 and March 3rd, 3 March 2024, in May, in October; it may rain yesterday.")
    assert [(d.kind, d.value) for d in found] == [
        ("weekday", "monday"),
        ("day", "december 1"),
        ("day", "march 3"),
        ("day", "march 3"),
        ("year", "2024"),
        ("month", "may"),
        ("month", "october"),
        ("day", "yesterday"),
    ]
    assert [(d.kind, d.value) for d in dates("2024年3月5日，星期一。火曜日に")] == [
        ("year", "2024"),
        ("day", "march 5"),
        ("weekday", "monday"),
        ("weekday", "tuesday"),
    ]


def test_proper_names() -> None:
    text = (
        "BRENNICK FALLS — Officials said the U.S. would not send troops. Lee Hsien Loong told the Bank of Canada "
        'that Deputy Governor Ansel Kovač and Hana Lindqvist-Obi agreed. "Twelve of them," Varnum said. I know. '
        "On Monday, Corinne Baptiste of St. Aldric Regional Medical Center spoke for Arland's lenders."
    )
    assert proper_names(text) == [
        "BRENNICK FALLS",
        "U.S.",
        "Lee Hsien Loong",
        "Bank of Canada",
        "Deputy Governor Ansel Kovač",
        "Hana Lindqvist-Obi",
        "Varnum",
        "Corinne Baptiste",
        "St. Aldric Regional Medical Center",
        "Arland",
    ]


def test_sentence_initial_unknown_word_is_a_name() -> None:
    assert proper_names("Kirby said the talks would go on.") == ["Kirby"]
    assert proper_names("Firefighters said the talks would go on.") == []
    assert proper_names("Kettle said the talks would go on.") == ["Kettle"]  # a common word, but it speaks


def test_negated_words_follow_english_and_chinese_negations_and_precede_japanese_ones() -> None:
    assert negated_words("The company did not confirm the layoffs, officials said.") == {"confirm", "layoff"}
    assert "说明" in negated_words("公司没有说明仓库里储存了什么。")
    assert "発表" in negated_words("会社は火災の原因をまだ発表していない。")
    assert negated_words("The rate was cut.") == set()


def test_normalise_name() -> None:
    assert normalise_name("the U.S.") == normalise_name("US") == "us"
    assert normalise_name("Kovač's") == "kovac"
    assert normalise_name("Lindqvist-Obi") == "lindqvist obi"


def test_negations() -> None:
    text = "He did not know, won't say, never came, denied it, declined to comment and refused, with no plans."
    assert negations(text) == ["not", "n't", "never", "denied", "declined", "refused", "no"]
    assert negations("The rate was cut to 3.5 percent.") == []
    assert negations("新加坡不会改变，他没有来。") == ["不", "没有"]
    assert negations("彼は来なかった。") == ["なかった"]
    assert negations("这非常重要，不过是小事。无人机飞往非洲。") == []
    assert negations("まず、必ず少ない。") == []
    assert negations("彼は何も言わずに去った。") == ["ずに"]


def test_content_words_lemmatise_and_drop_stop_words() -> None:
    assert content_words("The workers were hospitalised on Monday") == {"worker", "hospitalise", "monday"}
    assert "twelve" not in content_words("twelve workers")
    assert {"新加", "加坡"} <= content_words("新加坡的经济")
    assert "的经" not in content_words("新加坡的经济")


def test_scripts() -> None:
    assert scripts("deciding whether to继续 it") == {"Latin", "Han"}
    assert scripts("トヨタは否定した") == {"Katakana", "Hiragana", "Han"}
    assert scripts("12 + 3 = 15") == set()


@pytest.mark.parametrize(
    ("text", "expected_numbers", "expected_dates"),
    [
        # the readers skip a pattern when the text lacks what it needs (a digit, "half", "million", "月", "today");
        # written in capitals or in another script, the text still has it
        ("Tonight, TOMORROW", [], [("day", "today"), ("day", "tomorrow")]),
        ("明天下雨", [], [("day", "tomorrow")]),
        ("Half A Million", [(5e5, None)], []),
        ("Two-Thirds of voters", [(0.6667, None)], []),
        ("A DOZEN eggs", [(12, None)], []),
        ("TWELVE workers on 3月5日", [(12, None)], [("day", "march 5")]),
        ("Sept. 3 and Wednesdays in May", [], [("day", "september 3"), ("weekday", "wednesday"), ("month", "may")]),
    ],
)
def test_skipped_patterns_still_read_what_the_text_has(
    text: str, expected_numbers: list[tuple[float, str | None]], expected_dates: list[tuple[str, str]]
) -> None:
    assert [(round(v, 4), u) for v, u in values(text)] == expected_numbers
    assert [(d.kind, d.value) for d in dates(text)] == expected_dates

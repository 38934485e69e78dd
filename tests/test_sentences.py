"""Sentence splitting: the numbered sentences the model cites and briefer publishes."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from briefer._sentences import MAX_SENTENCE_CHARS, language_of, numbered, split_sentences

SEED = Path(__file__).resolve().parent.parent / "examples" / "us-skeptical-of-russian-promises.txt"


def texts(text: str) -> list[str]:
    return [text[s.start : s.end] for s in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Dr. J. R. Smith of the U.S. Dept. of Energy spoke. He left at 5 p.m. on Tuesday.",
            ["Dr. J. R. Smith of the U.S. Dept. of Energy spoke.", "He left at 5 p.m. on Tuesday."],
            id="abbreviations-and-initials",
        ),
        pytest.param(
            "The rate fell to 3.50 percent. Inflation was 2.1% in May.",
            ["The rate fell to 3.50 percent.", "Inflation was 2.1% in May."],
            id="decimals",
        ),
        pytest.param(
            '"We will go. We will win," he said. "Go now!" she shouted.',
            ['"We will go. We will win," he said.', '"Go now!" she shouted.'],
            id="quotation-spanning-sentences",
        ),
        pytest.param(
            "KYIV, Ukraine (AP) — Russian forces pulled back on Tuesday. Officials were unsure.",
            ["KYIV, Ukraine (AP) — Russian forces pulled back on Tuesday.", "Officials were unsure."],
            id="dateline-stays-with-its-sentence",
        ),
        pytest.param(
            "国家统计局周二公布的数据显示，10月份消费者价格指数同比上涨2.1%。发言人王立新表示：“物价总体平稳。我们将继续观察。”专家认为，降息的可能性不大！",
            [
                "国家统计局周二公布的数据显示，10月份消费者价格指数同比上涨2.1%。",
                "发言人王立新表示：“物价总体平稳。我们将继续观察。”",
                "专家认为，降息的可能性不大！",
            ],
            id="chinese",
        ),
        pytest.param(
            "東京都は火曜日、新たに120人の感染を確認したと発表した。小池知事は「警戒を続けてほしい。」と述べた。専門家は慎重な見方を示している。",
            [
                "東京都は火曜日、新たに120人の感染を確認したと発表した。",
                "小池知事は「警戒を続けてほしい。」と述べた。",
                "専門家は慎重な見方を示している。",
            ],
            id="japanese-quote-and-particle",
        ),
        pytest.param("A headline without a full stop\n\nThe body begins here.", None, id="paragraphs"),
    ],
)
def test_sentences(text: str, expected: list[str] | None) -> None:
    if expected is None:
        expected = ["A headline without a full stop", "The body begins here."]
    assert texts(text) == expected


def test_offsets_numbers_and_paragraphs_on_the_seed_article() -> None:
    text = SEED.read_text(encoding="utf-8")
    sentences = split_sentences(text)
    assert [s.number for s in sentences] == list(range(1, len(sentences) + 1))
    assert all(text[s.start : s.end] == text[s.start : s.end].strip() and s.end > s.start for s in sentences)
    assert all(a.end <= b.start and a.paragraph <= b.paragraph for a, b in itertools.pairwise(sentences))
    kirby = next(s for s in sentences if "Small numbers" in text[s.start : s.end])
    assert text[kirby.start : kirby.end].endswith("Pentagon Press Secretary told reporters.")


def test_lines_are_paragraphs_when_the_text_has_no_blank_lines() -> None:
    sentences = split_sentences("First line here.\nSecond line here. And more.")
    assert [s.paragraph for s in sentences] == [0, 1, 1]


def test_an_unpunctuated_run_is_cut() -> None:
    text = " ".join(["word"] * 1000)
    sentences = split_sentences(text)
    assert len(sentences) > 1
    assert all(s.end - s.start <= MAX_SENTENCE_CHARS for s in sentences)
    assert "".join(text[s.start : s.end] for s in sentences).replace(" ", "") == text.replace(" ", "")


def test_numbered_view_shows_paragraph_breaks() -> None:
    text = "One.  Two\n  spans lines.\n\nThree."
    assert numbered(text, split_sentences(text)) == "[1] One.\n[2] Two spans lines.\n\n[3] Three."


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Plain English.", "en"),
        ("国家统计局周二公布的数据显示，消费者价格指数同比上涨。", "zh"),
        ("小池知事は「警戒を続けてほしい」と述べた。", "ja"),
    ],
)
def test_language_of(text: str, language: str) -> None:
    assert language_of(text * 3) == language


def test_empty_and_blank_text() -> None:
    assert split_sentences("") == ()
    assert split_sentences(" \n\n \u200b") == ()

"""Splitting long articles on paragraph boundaries, offsets intact."""

from __future__ import annotations

import pytest

from briefer._chunking import CHARS_PER_TOKEN, split_article


def paragraphs(count: int, words: int = 60) -> str:
    return "\n\n".join(
        " ".join(f"p{i}w{j}." if j % 12 == 11 else f"p{i}w{j}" for j in range(words)) for i in range(count)
    )


def test_short_text_is_one_chunk() -> None:
    text = paragraphs(3)
    assert [(c.start, c.text) for c in split_article(text, 10_000)] == [(0, text)]


@pytest.mark.parametrize("budget", [150, 400, 1000])
def test_chunks_are_slices_within_budget_covering_every_paragraph(budget: int) -> None:
    text = paragraphs(40)
    chunks = split_article(text, budget)
    assert len(chunks) > 1
    for chunk in chunks:
        assert text[chunk.start : chunk.end] == chunk.text
        assert len(chunk.text) <= budget * CHARS_PER_TOKEN
    covered = "".join(chunk.text for chunk in chunks)
    for i in range(40):
        assert f"p{i}w0 " in covered and f"p{i}w59" in covered
    starts = [chunk.start for chunk in chunks]
    assert starts == sorted(starts) and [c.index for c in chunks] == list(range(len(chunks)))


def test_chunks_break_on_paragraph_boundaries_when_paragraphs_fit() -> None:
    text = paragraphs(20)
    for chunk in split_article(text, 400):
        assert chunk.text.startswith("p") and chunk.text.rstrip().endswith(("w59", "w59."))


def test_oversize_paragraph_is_split_by_sentence_then_hard() -> None:
    sentence = "This is a sentence of moderate length about the harbour. "
    text = "Intro.\n\n" + sentence * 200 + "\n\n" + "x" * 3000
    chunks = split_article(text, 200)
    assert all(len(c.text) <= 200 * CHARS_PER_TOKEN for c in chunks)
    assert all(text[c.start : c.end] == c.text for c in chunks)
    assert sum(c.text.count("harbour") for c in chunks) == 200
    assert sum(c.text.count("x") for c in chunks) == 3000


def test_budget_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        split_article("text", 0)

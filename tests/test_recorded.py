"""Briefings of real articles by a real model, replayed from cassettes recorded against it.

Re-record (slow: a small local model takes about a minute a request):
    eval "$(../shared/tools/local-llm env)" && pytest tests/test_recorded.py --record-mode=rewrite -s
"""

from __future__ import annotations

import pytest

from briefer import brief, load_article
from briefer._config import Settings
from briefer._models import Article, Briefing
from briefer._prose import statement_problems, ungrounded_terms
from briefer._sentences import split_sentences
from briefer._support import check_support
from tests.conftest import EXAMPLES

pytestmark = [pytest.mark.llm, pytest.mark.vcr]


def assert_grounded(briefing: Briefing, article: Article) -> None:
    """What every published briefing must satisfy, whatever the model wrote."""
    sentences = split_sentences(article.text)
    for claim in briefing.key_claims:
        assert article.text[claim.span.start : claim.span.end] == claim.evidence
        cited = [sentences[n - 1] for n in claim.sentences]
        assert (claim.span.start, claim.span.end) == (cited[0].start, cited[-1].end)
        assert claim.speaker and claim.statement
        assert check_support(claim.statement, claim.evidence, context=article.text, speaker=claim.speaker).supported
        assert statement_problems(claim.statement, claim.evidence, article.text) == []
    report = briefing.grounding
    assert report.published == len(briefing.key_claims)
    assert report.proposed == report.published + report.dropped
    assert report.dropped == len(report.dropped_claims) == sum(report.dropped_by_reason.values())
    assert report.repaired == sum(claim.repaired for claim in briefing.key_claims)
    sources = [article.text, article.source.title or ""]
    assert ungrounded_terms(briefing.headline, sources) == [] and ungrounded_terms(briefing.summary, sources) == []
    assert briefing.generation.usage.requests >= 1 and briefing.generation.usage.prompt_tokens > 0
    print(  # the figures for a closing note; shown with -s
        f"\n{article.source.title!r}: claims proposed {report.proposed} published {report.published} "
        f"(repaired {report.repaired}) dropped {report.dropped} {dict(report.dropped_by_reason)}; "
        f"speakers corrected {report.speaker_corrections}; chunks {briefing.generation.chunks}; "
        f"requests {briefing.generation.usage.requests}; tokens {briefing.generation.usage.prompt_tokens}"
        f"+{briefing.generation.usage.completion_tokens}; {briefing.generation.seconds} s; "
        f"mode {briefing.generation.output_mode}"
    )


def test_markdown_article(model_settings: Settings) -> None:
    article = load_article(str(EXAMPLES / "articles" / "harbor-bridge-closure.md"))
    briefing = brief(article, settings=model_settings)
    assert_grounded(briefing, article)
    assert briefing.source.title and "bridge" in briefing.source.title.lower()


def test_html_article_with_metadata(model_settings: Settings) -> None:
    article = load_article(str(EXAMPLES / "articles" / "vaccine-trial-results.html"))
    briefing = brief(article, settings=model_settings)
    assert_grounded(briefing, article)
    assert briefing.source.outlet == "The Lakeside Ledger"
    assert briefing.source.published == "2026-11-18"


def test_long_article_is_chunked(model_settings: Settings) -> None:
    article = load_article(str(EXAMPLES / "articles" / "grid-auction-long.txt"))
    briefing = brief(article, settings=model_settings)
    assert_grounded(briefing, article)
    assert briefing.generation.chunks >= 2
    starts = [claim.span.start for claim in briefing.key_claims]
    assert max(starts) > len(article.text) // 2, "claims should come from the article's later chunks too"

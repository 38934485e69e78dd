"""Morning renders: escaped e-mail HTML with no scripts or remote resources, Markdown, JSON round trip."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from briefer.models import (
    ArticleEntry,
    Briefing,
    CitedQuote,
    FailedSource,
    Generation,
    GroundingReport,
    MorningBriefing,
    QuoteSpan,
    RunSummary,
    Source,
    Stance,
    Story,
    StoryClaim,
)
from briefer.render.morning import render_morning

EVIL = '<script>alert(1)</script>" onmouseover="x'


@pytest.fixture
def briefing() -> MorningBriefing:
    source = Source(title=EVIL, outlet="Courier", url="javascript:alert(1)")
    article = ArticleEntry(
        id="A1",
        content_hash="h",
        source=source,
        also_published_by=[Source(outlet="Valley Post")],
        briefing=Briefing(
            headline="h",
            summary="s",
            key_claims=[],
            actors=[],
            open_questions=[],
            source=source,
            generation=Generation(model="m", endpoint="e", prompt_name="p", prompt_version="v", output_mode="x"),
            grounding=GroundingReport(),
        ),
    )
    quote = CitedQuote(article="A1", outlet="Courier", quote=EVIL, span=QuoteSpan(start=0, end=5, exact=True))
    story = Story(
        id="S1",
        headline=EVIL,
        what_happened="It happened.",
        claims=[
            StoryClaim(
                statement=EVIL,
                evidence=[quote],
                agreement={"Courier": Stance.SUPPORTS, "Valley Post": Stance.CONTRADICTS},
            )
        ],
        articles=["A1"],
        outlets=["Courier", "Valley Post"],
        importance=3.0,
        importance_reasons=["1 independent report from 2 outlets"],
        grounding=GroundingReport(proposed=1, verified=1),
    )
    return MorningBriefing(
        generated_at="2026-11-25T06:00:00+00:00",
        since=None,
        model="m",
        endpoint="e",
        prompt_version="v",
        stories=[story],
        articles=[article],
        failed_sources=[FailedSource(source="https://x.example/feed", error="answered 404")],
        summary=RunSummary(stories=1, estimated_cost_usd=None),
    )


def test_html_escapes_everything_and_loads_nothing(briefing: MorningBriefing) -> None:
    page = render_morning(briefing, "html")
    assert "<script" not in page and "javascript:" not in page.split("</title>")[1].replace("javascript:alert", "")
    assert 'href="javascript' not in page
    assert "&lt;script&gt;" in page
    assert " src=" not in page and "<link" not in page and "@import" not in page
    HTMLParser().feed(page)  # well-formed enough to parse
    assert "✔ supports" in page and "✘ contradicts" in page
    assert "estimated cost unknown" in page


def test_markdown_and_json(briefing: MorningBriefing) -> None:
    markdown = render_morning(briefing, "md")
    assert markdown.startswith("# Morning briefing — 2026-11-25")
    assert "| ✔ | ✘ |" in markdown and "estimated cost unknown" in markdown
    assert "(also published by Valley Post)" in markdown and "answered 404" in markdown
    assert MorningBriefing.model_validate_json(render_morning(briefing, "json")) == briefing

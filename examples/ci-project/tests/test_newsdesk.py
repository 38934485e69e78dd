"""Our briefing code under test in CI, from a recording of the model's answers: no key, no network.

Re-record after changing a prompt or the code's requests (needs a model endpoint):
    OPENAI_BASE_URL=http://127.0.0.1:8080/v1 BRIEFER_MODEL=... pytest --briefer-record
"""

from __future__ import annotations

from pathlib import Path

import pytest
from newsdesk import HERE, desk_briefing, front_page

import briefer

ARTICLE = (HERE / "articles" / "millbrook-library-hours.txt").read_text(encoding="utf-8")


@pytest.mark.briefer_recording("recordings/desk_briefing.recording.yaml")
def test_desk_briefing(briefer_recording: briefer.Settings, tmp_path: Path) -> None:
    today = desk_briefing(settings=briefer_recording, state=tmp_path / "state.sqlite3")

    assert today.summary.articles_new == 1
    assert not today.failed_sources
    assert len(front_page(today)) == 1
    story = today.stories[0]
    assert story.claims, "at least one claim passed briefer's checks"
    for claim in story.claims:
        for quote in claim.evidence:  # every claim rests on the article's own words
            assert quote.evidence in ARTICLE
            assert ARTICLE[quote.span.start : quote.span.end] == quote.evidence

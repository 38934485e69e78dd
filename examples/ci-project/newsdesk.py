"""The newsdesk's code built on briefer: this morning's briefing of our sources, in our house style."""

from __future__ import annotations

from pathlib import Path

import briefer

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "sources.toml"
PROMPTS = HERE / "prompts"  # our override of briefer's brief_article prompt (prompts/brief_article/system.j2)


def desk_briefing(*, settings: briefer.Settings | None = None, state: Path | None = None) -> briefer.MorningBriefing:
    """The morning briefing of our sources, briefed with our prompt override."""
    return briefer.morning([SOURCES], prompts=PROMPTS, settings=settings, state=state)


def front_page(today: briefer.MorningBriefing) -> list[str]:
    """One line per story: its headline and the outlets that carried it."""
    return [f"{story.headline} ({', '.join(story.outlets)})" for story in today.stories]

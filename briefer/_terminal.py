"""What the command line shows on stderr while it works: progress bars and the run summary (rich)."""

from __future__ import annotations

import sys
from types import TracebackType
from typing import Any

from briefer._models import MorningBriefing

__all__ = ["BarProgress", "run_summary"]


class BarProgress:
    """Progress bars on stderr, one per stage; silent when stderr is not a terminal."""

    def __init__(self) -> None:
        self._bars: Any = None
        self._tasks: dict[str, Any] = {}
        if sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self._bars = Progress(
                TextColumn("{task.description:<16}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=Console(stderr=True),
            )

    def __enter__(self) -> BarProgress:
        if self._bars is not None:
            self._bars.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        if self._bars is not None:
            self._bars.stop()

    def stage(self, name: str, total: int) -> None:
        """Add a bar (total 0: unknown until the steps arrive)."""
        if self._bars is not None:
            self._tasks[name] = self._bars.add_task(name, total=total or None)

    def advance(self, name: str, steps: int = 1) -> None:
        """Move a bar on."""
        if self._bars is not None and name in self._tasks:
            self._bars.advance(self._tasks[name], steps)


def run_summary(briefing: MorningBriefing) -> str:
    """The end-of-run summary, a few plain lines."""
    s = briefing.summary
    cost = "unknown" if s.estimated_cost_usd is None else f"${s.estimated_cost_usd:.4f}"
    published = sum(len(story.claims) for story in briefing.stories)
    proposed = sum(story.grounding.proposed for story in briefing.stories)
    return (
        f"sources {s.sources} · articles new {s.articles_new}, cached {s.articles_cached}, duplicate {s.duplicates}, "
        f"failed {s.failed}, skipped {s.skipped} · stories {s.stories} ({published} of {proposed} proposed claims "
        "published, each on sentences that passed the support and speaker checks)\n"
        f"LLM calls {s.llm_calls} · tokens {s.prompt_tokens} + {s.completion_tokens} · estimated cost {cost} · "
        f"{s.seconds:.1f} s · {briefing.model} at {briefing.endpoint}"
    )

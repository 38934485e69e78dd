"""Rendering the morning briefing: Markdown, a self-contained HTML e-mail page, and JSON."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import jinja2

    from briefer.models import MorningBriefing, Stance

__all__ = ["render_morning", "render_morning_html", "render_morning_json", "render_morning_markdown"]

_MARKS = {"supports": "✔", "contradicts": "✘", "not_mentioned": "–"}


def _outlets_of(briefing: MorningBriefing, article_id: str) -> str:
    for entry in briefing.articles:
        if entry.id == article_id:
            names = [entry.source.outlet or "unknown outlet"]
            return ", ".join(names + [s.outlet for s in entry.also_published_by if s.outlet])
    return article_id


def _mark(stance: Stance | None) -> str:
    return _MARKS.get(str(stance.value) if stance is not None else "not_mentioned", "–")


def _safe_url(url: str | None) -> str | None:
    """Only http(s) links become hrefs: a javascript: URL from a page must never be clickable."""
    return url if url and url.lower().startswith(("http://", "https://")) else None


@cache
def _environment(autoescape: bool) -> jinja2.Environment:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
        undefined=jinja2.StrictUndefined,
        autoescape=autoescape,  # the HTML page escapes everything from articles and the model
        keep_trailing_newline=True,
    )
    env.filters["oneline"] = lambda text: " ".join(str(text).split())
    env.globals.update(outlets_of=_outlets_of, mark=_mark, safe_url=_safe_url)
    return env


def render_morning_markdown(briefing: MorningBriefing) -> str:
    """The morning briefing as Markdown."""
    return _environment(False).get_template("morning.md.j2").render(b=briefing)


def render_morning_html(briefing: MorningBriefing) -> str:
    """A self-contained HTML page (inline CSS, no scripts, no external resources), fit for e-mail."""
    return _environment(True).get_template("morning.html.j2").render(b=briefing)


def render_morning_json(briefing: MorningBriefing) -> str:
    """The morning briefing as JSON (the Pydantic model)."""
    return briefing.model_dump_json(indent=2) + "\n"


def render_morning(briefing: MorningBriefing, fmt: str) -> str:
    """Render in ``fmt``: "md", "html" or "json"."""
    renderers = {"md": render_morning_markdown, "html": render_morning_html, "json": render_morning_json}
    return renderers[fmt](briefing)

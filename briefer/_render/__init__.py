"""Rendering briefings: Markdown (Jinja2 templates) and JSON (the Pydantic model)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from briefer._escape import markdown_text
from briefer._render.report import CHECKS, grounding_line

if TYPE_CHECKING:
    import jinja2

    from briefer._models import Briefing

__all__ = ["render", "render_json", "render_markdown"]

FORMATS = ("md", "json")


@cache
def _environment() -> jinja2.Environment:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # Markdown output; the HTML renderer escapes
        finalize=markdown_text,  # every value: no raw HTML, link or control character from untrusted text
        trim_blocks=False,
        keep_trailing_newline=True,
    )
    env.filters["oneline"] = lambda text: " ".join(str(text).split())
    env.globals.update(grounding_line=grounding_line, checks=CHECKS)
    return env


def render_markdown(briefing: Briefing) -> str:
    """The briefing as Markdown: claims with speaker and evidence, what was checked at the end."""
    return _environment().get_template("briefing.md.j2").render(b=briefing)


def render_json(briefing: Briefing) -> str:
    """The briefing as indented JSON (the public Pydantic model)."""
    return briefing.model_dump_json(indent=2) + "\n"


def render(briefing: Briefing, fmt: str) -> str:
    """Render in ``fmt`` ("md" or "json")."""
    if fmt == "json":
        return render_json(briefing)
    return render_markdown(briefing)

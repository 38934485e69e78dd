"""Rendering the morning briefing: Markdown, a self-contained HTML page fit to send as an e-mail, and JSON.

Everything in a briefing that came from an article or from the model is untrusted: the HTML template escapes
it all (autoescape), and a URL becomes a link only when it is http(s).
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from datetime import datetime
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from briefer._config import cache_dir
from briefer._escape import MarkdownSafe, markdown_text, printable
from briefer._render.pieces import buffered, json_pieces, squeezed
from briefer._render.report import CHECKS, grounding_line

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Mapping

    import jinja2

    from briefer._models import ArticleEntry, CitedQuote, MorningBriefing, RunSummary, Stance

__all__ = [
    "FORMATS",
    "morning_pieces",
    "render_morning",
    "render_morning_html",
    "render_morning_json",
    "render_morning_markdown",
]

FORMATS = ("md", "html", "json")

_MARKS = {"supports": "✔", "contradicts": "✘", "not_mentioned": "–"}
_BLANK_LINES = re.compile(r"\n{3,}")
_WORDS = {"supports": "supports", "contradicts": "contradicts", "not_mentioned": "not mentioned"}


@dataclass(frozen=True)
class _Citation:
    """One quoted passage of one article, with every outlet that ran that article (wire copy has several)."""

    article: str
    outlets: tuple[str, ...]
    quote: str
    url: str | None


def _safe_url(url: str | None) -> str | None:
    """The URL when it is http(s) with a host; anything else (javascript:, data:, a path) is never a link."""
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(c.isspace() for c in url):
        return None
    return url


def _citations(quotes: Iterable[CitedQuote], by_id: dict[str, ArticleEntry]) -> list[_Citation]:
    """Citations grouped by passage: the same span of the same article, cited once per outlet, is shown once."""
    groups: dict[tuple[str, int, int], list[CitedQuote]] = {}
    for quote in quotes:
        groups.setdefault((quote.article, quote.span.start, quote.span.end), []).append(quote)
    citations = []
    for (article, _, _), cited in groups.items():
        entry = by_id.get(article)
        citations.append(
            _Citation(
                article=article,
                outlets=tuple(dict.fromkeys(c.outlet for c in cited)),
                quote=" ".join(cited[0].evidence.split()),
                url=_safe_url(entry.source.url) if entry is not None else None,
            )
        )
    return citations


def _stance(agreement: dict[str, Stance], outlet: str) -> str:
    stance = agreement.get(outlet)
    return str(stance.value) if stance is not None else "not_mentioned"


def _long_date(generated_at: str) -> str:
    try:
        moment = datetime.fromisoformat(generated_at)
    except ValueError:
        return generated_at[:10]
    return f"{moment:%A} {moment.day} {moment:%B %Y}"


def _when(stamp: str | None) -> str:
    """An ISO 8601 timestamp as "2026-11-24 07:00 UTC"; a date, or anything unparsable, as given."""
    text = _oneline(stamp or "")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    if len(text) <= len("2026-11-24"):
        return text
    offset = moment.utcoffset()
    if offset is None:
        return f"{moment:%Y-%m-%d %H:%M}"
    if not offset:
        return f"{moment:%Y-%m-%d %H:%M} UTC"
    zone = f"{moment:%z}"
    return f"{moment:%Y-%m-%d %H:%M} {zone[:3]}:{zone[3:5]}"


def _cost(summary: RunSummary) -> str:
    """The estimated cost, or "unknown" when the model's price is unknown (never a misleading $0)."""
    cost = summary.estimated_cost_usd
    if cost is None:
        return "unknown"
    return f"${cost:.4f}" if cost < 1 else f"${cost:,.2f}"


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest} s"


def _plural(count: int, noun: str, plural: str | None = None) -> str:
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


def _all_outlets(briefing: MorningBriefing) -> list[str]:
    names = []
    for entry in briefing.articles:
        names += [s.outlet for s in (entry.source, *entry.also_published_by) if s.outlet]
    return list(dict.fromkeys(names))


def _oneline(text: object) -> str:
    return " ".join(str(text).split())


def _cell(text: object) -> str:
    """Text fit for one Markdown table cell: one line, escaped, pipes too."""
    return MarkdownSafe(markdown_text(_oneline(text)).replace("|", "\\|"))


def _md_link(url: str | None) -> str:
    """An http(s) URL as a Markdown autolink; any other URL as plain text that no renderer turns into a link."""
    if not url:
        return ""
    safe = _safe_url(url)
    if safe is not None and not any(c in safe for c in "<>\\") and safe.isprintable():
        return MarkdownSafe(f"<{safe}>")
    return MarkdownSafe("`" + printable(_oneline(url)).replace("`", "'") + "`")


@cache
def _environment(html: bool) -> jinja2.Environment:
    import jinja2

    options = {
        "autoescape": html,  # the HTML page escapes everything that came from articles and from the model
        # Markdown: every value escaped, so no raw HTML, link or control character comes from untrusted text
        "finalize": None if html else markdown_text,
        "trim_blocks": html,
        "lstrip_blocks": html,
        "keep_trailing_newline": True,
    }
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
        undefined=jinja2.StrictUndefined,
        bytecode_cache=_bytecode_cache(options),
        **options,  # type: ignore[arg-type]
    )
    env.filters.update(oneline=_oneline, cell=_cell, md_link=_md_link, safe_url=_safe_url, when=_when)
    env.globals.update(
        marks=_MARKS,
        words=_WORDS,
        stance=_stance,
        plural=_plural,
        duration=_duration,
        grounding_line=grounding_line,
        checks=CHECKS,
    )
    return env


def _bytecode_cache(options: Mapping[str, object]) -> jinja2.BytecodeCache | None:
    """Compiled templates kept in the cache folder, so that a run does not compile them again (~0.15 s).

    jinja2 checks a template's source and its own and Python's versions, not the options it was compiled
    with: the folder is named after those, so templates compiled under other options are never loaded.
    """
    import jinja2

    described = repr(
        sorted((name, value is not None if name == "finalize" else value) for name, value in options.items())
    )
    folder = cache_dir() / "templates" / hashlib.sha256(described.encode()).hexdigest()[:12]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    if not os.access(folder, os.W_OK | os.X_OK):
        return None  # a read-only cache folder: compile every time, as without one
    return jinja2.FileSystemBytecodeCache(str(folder))


def _context(briefing: MorningBriefing) -> dict[str, object]:
    by_id = {entry.id: entry for entry in briefing.articles}
    cite: Callable[[Iterable[CitedQuote]], list[_Citation]] = partial(_citations, by_id=by_id)
    return {
        "b": briefing,
        "s": briefing.summary,
        "date": _long_date(briefing.generated_at),
        "cost": _cost(briefing.summary),
        "outlets": _all_outlets(briefing),
        "cite": cite,
    }


def render_morning_markdown(briefing: MorningBriefing) -> str:
    """The morning briefing as Markdown: ranked stories, cited claims, agreement tables, sources, run summary."""
    return "".join(_markdown_pieces(briefing))


def render_morning_html(briefing: MorningBriefing) -> str:
    """A self-contained HTML page (inline CSS, no scripts, no external resources), fit to send as an e-mail."""
    return "".join(_html_pieces(briefing))


def render_morning_json(briefing: MorningBriefing) -> str:
    """The morning briefing as indented JSON (the public Pydantic model)."""
    return b"".join(_json_pieces(briefing)).decode()


def morning_pieces(briefing: MorningBriefing, fmt: str) -> Iterator[str] | Iterator[bytes]:
    """``render_morning`` a piece at a time (JSON as UTF-8 bytes): a thousand-article render is tens of MB."""
    if fmt == "json":
        return _json_pieces(briefing)
    if fmt == "html":
        return _html_pieces(briefing)
    if fmt == "md":
        return _markdown_pieces(briefing)
    raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")


def _markdown_pieces(briefing: MorningBriefing) -> Iterator[str]:
    fragments = _environment(False).get_template("morning.md.j2").generate(_context(briefing))
    return squeezed(buffered(fragments), _BLANK_LINES)  # every untrusted text is on one line: only layout is squeezed


def _html_pieces(briefing: MorningBriefing) -> Iterator[str]:
    return buffered(_environment(True).get_template("morning.html.j2").generate(_context(briefing)))


def _json_pieces(briefing: MorningBriefing) -> Iterator[bytes]:
    yield from json_pieces(briefing, ("stories", "articles"))
    yield b"\n"


def render_morning(briefing: MorningBriefing, fmt: str) -> str:
    """Render in ``fmt``: "md", "html" or "json"."""
    if fmt == "json":
        return render_morning_json(briefing)
    if fmt == "html":
        return render_morning_html(briefing)
    if fmt == "md":
        return render_morning_markdown(briefing)
    raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")

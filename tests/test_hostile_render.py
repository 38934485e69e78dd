"""Hostile content rendered, then opened in headless Chromium: the HTML page and the Markdown rendered as HTML
(raw HTML allowed, as some Markdown viewers do) must run no script and hold no javascript:/data: link.

The test's own harness script counts what runs: ``alert`` calls, and any element a payload inserts. A control
page with a live payload proves the harness counts (so the test can fail). Skipped where Chromium is absent.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from briefer._models import MorningBriefing
from briefer._render import render_markdown
from briefer._render.morning import render_morning_html, render_morning_markdown
from tests.test_render_morning import briefing, evil  # noqa: F401  (fixtures)

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
PAYLOADS = [
    "<script>alert('script tag')</script>",
    "<img src=x onerror=\"alert('img onerror')\">",
    "<svg onload=\"alert('svg onload')\"></svg>",
    "<iframe srcdoc=\"<script>parent.alert('iframe')</script>\"></iframe>",
    "[link](javascript:alert('md link'))",
    "![image](x \"t\") <img src=x onerror=alert('img2')>",
    "<a href=\"javascript:alert('a href')\">a</a>",
    "<javascript:alert('autolink')>",
    '<a href="data:text/html,<script>alert(1)</script>">d</a>',
    "<details open ontoggle=\"alert('toggle')\">x</details>",
    "\x1b]8;;javascript:alert(9)\x07osc8\x1b]8;;\x07",
]
HOSTILE = " ".join(PAYLOADS)
HARNESS = (
    "<script>window.__ran = 0; window.alert = function () { window.__ran += 1; };"
    "addEventListener('load', function () { setTimeout(function () {"
    "document.documentElement.setAttribute('data-ran', String(window.__ran)); }, 300); });</script>"
)

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)")


class _Dom(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ran: str | None = None
        self.links: list[str] = []
        self.tags: set[str] = set()
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.scripts += tag == "script"
        values = dict(attrs)
        if tag == "html":
            self.ran = values.get("data-ran")
        for name in ("href", "src", "action", "formaction"):
            if values.get(name):
                self.links.append(values[name] or "")


def open_in_chromium(page: str, tmp_path: Path) -> _Dom:
    """The page's DOM once loaded in headless Chromium, with the harness's count of scripts run."""
    with_harness = re.sub(r"(<head[^>]*>)", r"\1" + HARNESS, page, count=1) if "<head" in page else HARNESS + page
    path = tmp_path / "page.html"
    path.write_text(with_harness, encoding="utf-8")
    command = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--virtual-time-budget=2000",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--dump-dom",
        path.as_uri(),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    dom = _Dom()
    dom.feed(done.stdout)
    assert dom.ran is not None, "the harness did not run: the count means nothing"
    return dom


def markdown_as_html(markdown: str) -> str:
    body = MarkdownIt("commonmark", {"html": True}).render(markdown)
    return f"<!doctype html><html><head><meta charset='utf-8'></head><body>{body}</body></html>"


def hostile(briefing: MorningBriefing) -> MorningBriefing:  # noqa: F811
    """The fixture's hostile briefing, with more payloads in a headline, a summary and a title."""
    story = briefing.stories[0].model_copy(update={"headline": HOSTILE, "what_happened": HOSTILE})
    entry = briefing.articles[0]
    source = entry.source.model_copy(update={"title": HOSTILE, "outlet": HOSTILE, "url": "javascript:alert('url')"})
    return briefing.model_copy(
        update={"stories": [story, *briefing.stories[1:]], "articles": [entry.model_copy(update={"source": source})]}
    )


def test_the_harness_counts_a_live_script(tmp_path: Path) -> None:
    dom = open_in_chromium(markdown_as_html(HOSTILE), tmp_path)
    assert int(dom.ran or 0) >= 3  # raw payloads do run: the test below can fail


def test_the_html_page_runs_nothing(evil: MorningBriefing, tmp_path: Path) -> None:  # noqa: F811
    dom = open_in_chromium(render_morning_html(hostile(evil)), tmp_path)
    assert dom.ran == "0"
    assert dom.scripts == 1  # the harness's own
    assert not {"iframe", "svg", "img", "details", "object", "embed"} & dom.tags
    assert all(re.match(r"https?://", link) for link in dom.links), dom.links


def test_the_morning_markdown_as_html_runs_nothing(evil: MorningBriefing, tmp_path: Path) -> None:  # noqa: F811
    dom = open_in_chromium(markdown_as_html(render_morning_markdown(hostile(evil))), tmp_path)
    assert dom.ran == "0"
    assert dom.scripts == 1  # the harness's own
    assert not {"iframe", "svg", "img", "details", "object", "embed"} & dom.tags
    assert all(re.match(r"https?://", link) for link in dom.links), dom.links


def test_the_article_markdown_as_html_runs_nothing(evil: MorningBriefing, tmp_path: Path) -> None:  # noqa: F811
    article = evil.articles[0].briefing
    hostile_briefing = article.model_copy(update={"headline": HOSTILE, "summary": HOSTILE})
    dom = open_in_chromium(markdown_as_html(render_markdown(hostile_briefing)), tmp_path)
    assert dom.ran == "0"
    assert all(re.match(r"https?://", link) for link in dom.links), dom.links

"""Reading a reader's sources: sources.toml, feeds (file and HTTP), OPML, folders, failures, since."""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC, datetime
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from briefer.errors import ConfigError
from briefer.sources import collect, parse_since, read_sources_file
from tests.conftest import EXAMPLES

MORNING = EXAMPLES / "morning"


def test_sources_file_resolves_paths_relative_to_itself() -> None:
    listed = read_sources_file(EXAMPLES / "sources.toml")
    assert listed.sources == [str((MORNING / "feeds.opml").resolve())]
    assert listed.recording == (MORNING / "morning.recording.yaml").resolve()
    assert listed.since == "2026-11-24"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("sources = 3\n", "expected `sources"),
        ("sources = []\nwhen = 1\n", "expected `sources"),
        ("x = ", "cannot read"),
    ],
)
def test_bad_sources_file(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "sources.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        read_sources_file(path)


def test_parse_since() -> None:
    now = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)
    assert parse_since("24h", now=now) == datetime(2026, 11, 24, 6, 0, tzinfo=UTC)
    assert parse_since("2d", now=now) == datetime(2026, 11, 23, 6, 0, tzinfo=UTC)
    assert parse_since("2026-11-24", now=now) == datetime(2026, 11, 24, tzinfo=UTC)
    with pytest.raises(ConfigError, match="24h"):
        parse_since("yesterday", now=now)


def test_opml_of_file_feeds_with_relative_links() -> None:
    collected = asyncio.run(collect([str(MORNING / "feeds.opml")]))
    assert collected.failures == []
    assert (collected.sources, len(collected.articles)) == (4, 15)
    outlets = {a.source.outlet for a in collected.articles}
    assert outlets == {"Coastline Daily", "Metro Wire Service", "Northshore Courier", "The Valley Post"}
    assert all(a.source.title and a.source.published for a in collected.articles)


def test_since_skips_older_feed_entries() -> None:
    since = datetime(2026, 11, 24, 20, 0, tzinfo=UTC)
    collected = asyncio.run(collect([str(MORNING / "feeds" / "metro-wire-service.xml")], since=since))
    assert (len(collected.articles), collected.skipped_old) == (1, 2)


def test_a_missing_source_is_reported_and_the_rest_arrives(tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "a.md").write_text(
        "# Harbour vote\n\nThe council approved the harbour budget on Monday.\n", encoding="utf-8"
    )
    collected = asyncio.run(collect([str(tmp_path / "gone.xml"), str(folder)]))
    assert len(collected.articles) == 1 and collected.articles[0].source.title == "Harbour vote"
    assert len(collected.failures) == 1 and "gone.xml" in collected.failures[0].source


@pytest.fixture
def served_examples():
    handler = partial(SimpleHTTPRequestHandler, directory=str(MORNING))
    handler.log_message = lambda *args: None  # type: ignore[method-assign]
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_feed_over_http_resolves_links_against_the_feed_url(served_examples: str) -> None:
    feed = f"{served_examples}/feeds/the-valley-post.xml"
    missing = f"{served_examples}/feeds/none.xml"
    collected = asyncio.run(collect([feed, missing]))
    assert len(collected.articles) == 4
    assert all(a.source.url for a in collected.articles)
    assert [f.source for f in collected.failures] == [missing]
    assert "404" in collected.failures[0].error

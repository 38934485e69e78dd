"""Reading a reader's sources: sources.toml, since, folders, RSS/Atom feeds and OPML lists as files and over HTTP.

The fixtures (tests/data/sources) are copied for each test into a folder that a local HTTP server serves, with
``http://briefer.test`` in the feeds replaced by that server's address: an absolute link then reaches the test
server whether its feed is read as a file or over HTTP, and no test touches any other host.
"""

from __future__ import annotations

import asyncio
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from briefer._errors import ConfigError, InputError
from briefer._ingest import Collected, FetchPolicy, collect, load_article, parse_since, read_sources_file
from briefer._version import __version__

DATA = Path(__file__).parent / "data" / "sources"
PLACEHOLDER = "http://briefer.test"

FERRY = "Port Ellery ferry fares to rise 8% in January"
SEAWALL = "Seawall repairs to close promenade"
REGATTA = "Autumn regatta draws a record 212 boats"
SILO = "Grain silo fire at Marrow Creek contained overnight"
LIBRARY = "Marrow Creek library to open on Sundays"
PASS = "Snow closes the Ridgeline pass"
WIND = "Council backs a wind survey on Calder Ridge"
HARVEST = "Orchards report a late but heavy apple harvest"
ALL_TITLES = [FERRY, SEAWALL, REGATTA, SILO, LIBRARY, PASS, WIND, HARVEST]


@dataclass
class Site:
    """The fixtures, served: what was asked of the server, and how many requests it held at once."""

    root: Path
    url: str
    delay: Callable[[str], float] = lambda path: 0.0
    requests: list[tuple[str, str]] = field(default_factory=list)
    active: int = 0
    peak: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


class Handler(SimpleHTTPRequestHandler):
    """Serves the site's folder, counts simultaneous requests, and streams /endless.* without end."""

    site: Site

    def do_GET(self) -> None:
        with self.site.lock:
            self.site.requests.append((self.path, self.headers.get("User-Agent", "")))
            self.site.active += 1
            self.site.peak = max(self.site.peak, self.site.active)
        try:
            time.sleep(self.site.delay(self.path))
            if self.path.startswith("/endless"):
                self.endless()
            else:
                super().do_GET()
        finally:
            with self.site.lock:
                self.site.active -= 1

    def endless(self) -> None:
        # no Content-Length: only the client's own cap can stop it
        self.send_response(200)
        self.send_header("Content-Type", "text/html" if self.path.endswith(".html") else "application/rss+xml")
        self.end_headers()
        start = b"<html><body>" if self.path.endswith(".html") else b'<?xml version="1.0"?><rss version="2.0">'
        try:
            self.wfile.write(start)
            for _ in range(5_000):  # 50 MB
                self.wfile.write(b"<p>" + b"more words " * 909 + b"</p>\n")
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    root = tmp_path / "site"
    handler = type("SiteHandler", (Handler,), {})
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(root)))
    served = Site(root=root, url=f"http://127.0.0.1:{server.server_address[1]}")
    handler.site = served
    shutil.copytree(DATA, root)
    for path in root.rglob("*"):
        if path.suffix in {".xml", ".feed", ".atom", ".opml"}:
            path.write_text(path.read_text(encoding="utf-8").replace(PLACEHOLDER, served.url), encoding="utf-8")
    thread = threading.Thread(target=partial(server.serve_forever, poll_interval=0.02), daemon=True)
    thread.start()
    yield served
    server.shutdown()
    server.server_close()


LOCAL = FetchPolicy(allow_private_hosts=True)  # the test site is on 127.0.0.1


def run(sources: list[str], max_bytes: int | None = None, **options: Any) -> Collected:
    policy = FetchPolicy(max_bytes=max_bytes, allow_private_hosts=True) if max_bytes else LOCAL
    return asyncio.run(collect(sources, policy=policy, **options))


def titles(collected: Collected) -> list[str | None]:
    return [article.source.title for article in collected.articles]


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# --- sources.toml and since -------------------------------------------------------------------------


def test_sources_file_resolves_paths_against_its_folder(tmp_path: Path) -> None:
    folder = tmp_path / "reader"
    folder.mkdir()
    (folder / "sources.toml").write_text(
        'sources = ["feeds.opml", "../notes", "https://news.example/feed.xml", "/srv/news"]\n'
        'recording = "rec/morning.yaml"\nsince = 2026-11-24\n',
        encoding="utf-8",
    )
    listed = read_sources_file(tmp_path / "reader" / ".." / "reader" / "sources.toml")
    root = tmp_path.resolve()
    assert listed.sources == [
        str(root / "reader" / "feeds.opml"),
        str(root / "notes"),
        "https://news.example/feed.xml",
        "/srv/news",
    ]
    assert listed.recording == root / "reader" / "rec" / "morning.yaml"
    assert listed.since == "2026-11-24"  # an unquoted TOML date is kept as its ISO text


def test_sources_file_without_options(tmp_path: Path) -> None:
    path = tmp_path / "sources.toml"
    path.write_text('sources = ["feed.xml"]\nsince = "24h"\n', encoding="utf-8")
    assert read_sources_file(path).recording is None
    assert read_sources_file(path).since == "24h"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        ("sources = [", "cannot read sources file"),
        ('sources = ["a.xml"]\nfeeds = []\n', "unknown key feeds"),
        ('sources = "a.xml"\n', "sources must be a list"),
        ("sources = [1, 2]\n", "sources must be a list"),
        ("sources = []\n", "lists no sources"),
        ('since = "24h"\n', "sources must be a list"),
        ('sources = ["a.xml"]\nrecording = 3\n', "recording must be"),
        ('sources = ["a.xml"]\nsince = 24\n', "since must be a string"),
        ('sources = ["a.xml"]\nsince = "yesterday"\n', "since must be a span"),
    ],
)
def test_bad_sources_file(tmp_path: Path, content: str | None, message: str) -> None:
    path = tmp_path / "sources.toml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    # the file is input, as an article is (exit 4); a malformed since is a malformed setting wherever it is (3)
    expected = ConfigError if "since must" in message else InputError
    with pytest.raises(expected, match=message) as raised:
        read_sources_file(path)
    assert "\n" not in str(raised.value)


NOW = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("24h", NOW - timedelta(hours=24)),
        ("90m", NOW - timedelta(minutes=90)),
        ("2d", NOW - timedelta(days=2)),
        (" 1W ", NOW - timedelta(weeks=1)),
        ("2026-11-24", datetime(2026, 11, 24, tzinfo=UTC)),
        ("2026-11-24T18:30", datetime(2026, 11, 24, 18, 30, tzinfo=UTC)),
        ("2026-11-24T18:30:00Z", datetime(2026, 11, 24, 18, 30, tzinfo=UTC)),
        ("2026-11-24T18:30:00+02:00", datetime(2026, 11, 24, 16, 30, tzinfo=UTC)),
    ],
)
def test_parse_since(text: str, expected: datetime) -> None:
    assert parse_since(text, now=NOW) == expected


def test_since_without_a_zone_is_in_the_zone_of_now() -> None:
    now = datetime(2026, 11, 25, 6, 0, tzinfo=timezone(timedelta(hours=-5)))
    assert parse_since("2026-11-24", now=now) == datetime(2026, 11, 24, 5, 0, tzinfo=UTC)


@pytest.mark.parametrize("text", ["yesterday", "24", "h", "-2d", "3y", "2026-13-01", "", "9999999999999d"])
def test_bad_since(text: str) -> None:
    with pytest.raises(ConfigError, match="since must be a span"):
        parse_since(text, now=NOW)


# --- feeds, OPML and folders as local files ---------------------------------------------------------


def test_opml_file_reads_every_feed_with_relative_and_absolute_links(site: Site) -> None:
    progress: list[int] = []
    collected = run([str(site.root / "subscriptions.opml")], on_article=lambda: progress.append(1))
    assert titles(collected) == ALL_TITLES
    assert collected.sources == 3  # the OPML list's three feeds
    # relative links read files beside the feed; absolute ones fetch from the server
    by_title = {a.source.title: a.source for a in collected.articles}
    assert by_title[FERRY].path == str(site.root / "articles" / "gazette-ferry-fares.html")
    assert by_title[SEAWALL].url == f"{site.url}/articles/gazette-seawall.html"
    [failure] = collected.failures
    assert failure.source == str(site.root / "articles" / "courier-bus-route.html")
    assert failure.error.startswith("no such file")
    assert len(progress) == 9  # eight articles and one failed entry


def test_feed_files_rss_atom_and_sniffed(site: Site) -> None:
    feeds = site.root
    atom = run([str(feeds / "ridgeline-times.atom")])
    assert titles(atom) == [PASS, WIND, HARVEST]
    assert {a.source.outlet for a in atom.articles} == {"Ridgeline Times"}
    # no telling suffix: the first bytes say RSS
    courier = run([str(feeds / "inland-courier.feed")])
    assert titles(courier) == [SILO, LIBRARY]
    assert (courier.sources, len(courier.failures)) == (1, 1)


def test_folder_reads_its_articles_recursively_in_order(site: Site) -> None:
    collected = run([str(site.root / "notes")])
    assert titles(collected) == ["Council agenda for Thursday", "Winter ferry timetable"]
    assert [Path(a.source.path or "").name for a in collected.articles] == ["council-agenda.md", "ferry-timetable.txt"]
    # the .csv and the hidden .drafts folder are left out; each file counts as a source
    assert (collected.sources, collected.failures) == (2, [])


def test_an_article_file_and_a_folder_with_a_feed_keep_the_given_order(site: Site) -> None:
    sources = [str(site.root / "notes"), str(site.root / "articles" / "ridgeline-harvest.html")]
    collected = run([*sources, str(site.root / "harbour-gazette.xml")])
    assert titles(collected)[:3] == ["Council agenda for Thursday", "Winter ferry timetable", HARVEST]
    assert titles(collected)[3:] == [FERRY, SEAWALL, REGATTA]
    # a plain file is kept whatever its date: the feed's date filter is only for feed entries
    late = run(sources, since=datetime(2030, 1, 1, tzinfo=UTC))
    assert (len(late.articles), late.skipped_old) == (3, 0)


def test_since_skips_older_feed_entries_and_keeps_undated_ones(site: Site) -> None:
    since = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
    collected = run([str(site.root / "subscriptions.opml")], since=since)
    # the regatta (20 Nov), bus route (24 Nov 11:00) and harvest (18 Nov) entries are older; the library
    # entry has no date; the wind survey is dated 24 Nov without a time, so it may be later that day
    assert titles(collected) == [FERRY, SEAWALL, SILO, LIBRARY, PASS, WIND]
    assert (collected.skipped_old, collected.failures) == (3, [])


# --- over HTTP ---------------------------------------------------------------------------------------


def test_opml_over_http_reads_the_same_articles(site: Site) -> None:
    collected = run([f"{site.url}/subscriptions.opml"])
    assert titles(collected) == ALL_TITLES
    assert all(a.source.url and a.source.url.startswith(site.url) for a in collected.articles)
    assert [(f.source, f.error) for f in collected.failures] == [
        (
            f"{site.url}/articles/courier-bus-route.html",
            f"{site.url}/articles/courier-bus-route.html answered HTTP 404 File not found; check the URL",
        )
    ]
    assert {agent for _, agent in site.requests} == {f"briefer/{__version__}"}


def test_feed_url_resolves_relative_links_against_itself(site: Site) -> None:
    collected = run([f"{site.url}/harbour-gazette.xml", f"{site.url}/inland-courier.feed"])
    assert titles(collected) == [FERRY, SEAWALL, REGATTA, SILO, LIBRARY]
    assert collected.articles[0].source.url == f"{site.url}/articles/gazette-ferry-fares.html"
    assert collected.sources == 2


def test_an_article_url_is_read_as_a_page(site: Site) -> None:
    collected = run([f"{site.url}/articles/courier-grain-silo.html", f"{site.url}/notes/council-agenda.md"])
    assert titles(collected) == [SILO, "Council agenda for Thursday"]
    assert collected.sources == 2


def test_metadata_page_wins_feed_fills_gaps_and_names_the_outlet(site: Site) -> None:
    articles = {a.source.title: a.source for a in run([f"{site.url}/subscriptions.opml"]).articles}
    # the page says it all: its title, site name, author and date beat the feed's
    ferry = articles[FERRY]
    assert (ferry.outlet, ferry.author, ferry.published) == ("Harbour Gazette Online", "Mara Quill", "2026-11-25")
    # the page names no site (trafilatura falls back on the host), no author and no date: the feed's fill in,
    # its date with the time the feed gave
    seawall = load_article(f"{site.url}/articles/gazette-seawall.html", policy=LOCAL).source
    assert seawall.outlet == site.url.removeprefix("http://") and seawall.author is None
    assert (articles[SEAWALL].outlet, articles[SEAWALL].author) == ("The Harbour Gazette", "Tobias Renn")
    assert articles[SEAWALL].published == "2026-11-24T17:40:00Z"
    # an RSS author "address (Name)" gives the name; a page without a title takes the feed's
    assert articles[REGATTA].author == "Mara Quill"
    assert (articles[LIBRARY].outlet, articles[LIBRARY].published) == ("Inland Courier", None)
    # an Atom date without a time stays a date
    assert articles[WIND].published == "2026-11-24"


def test_failures_are_reported_and_the_rest_arrives(site: Site) -> None:
    unreachable = f"http://127.0.0.1:{closed_port()}/feed.xml"
    broken = str(site.root / "broken.xml")
    sources = [unreachable, broken, str(site.root / "gone.xml"), f"{site.url}/ridgeline-times.atom"]
    collected = run(sources)
    assert titles(collected) == [PASS, WIND, HARVEST]
    assert [f.source for f in collected.failures] == sources[:3]
    unreachable_error, broken_error, gone_error = (f.error for f in collected.failures)
    assert unreachable_error.startswith(f"could not fetch {unreachable}")
    assert broken_error == f"{broken} is not a readable feed (line 6, column 4: mismatched tag)"
    assert gone_error == f"no such file: {site.root / 'gone.xml'}"
    assert all("\n" not in f.error for f in collected.failures)
    assert collected.sources == 4


def test_oversize_feed_and_page_are_cut_off(site: Site) -> None:
    (site.root / "big.xml").write_text(
        '<rss version="2.0"><channel><title>Big</title>'
        "<item><title>Endless</title><link>/endless.html</link></item>"
        "<item><title>Small</title><link>articles/ridgeline-harvest.html</link></item>"
        "</channel></rss>",
        encoding="utf-8",
    )
    started = time.monotonic()
    collected = run([f"{site.url}/endless.xml", f"{site.url}/big.xml"], max_bytes=200_000)
    assert time.monotonic() - started < 10  # 50 MB were on offer
    assert titles(collected) == [HARVEST]
    assert [f.source for f in collected.failures] == [f"{site.url}/endless.xml", f"{site.url}/endless.html"]
    assert all("larger than the 0.2 MB cap" in f.error for f in collected.failures)


def test_concurrency_bound_holds(site: Site) -> None:
    links = "".join(
        f"<item><title>Copy {n}</title><link>articles/gazette-seawall.html?copy={n}</link></item>" for n in range(12)
    )
    (site.root / "many.xml").write_text(f'<rss version="2.0"><channel>{links}</channel></rss>', encoding="utf-8")
    site.delay = lambda path: 0.05
    progress: list[int] = []
    collected = run([f"{site.url}/many.xml"], concurrency=3, on_article=lambda: progress.append(1))
    assert len(collected.articles) == 12 and len(progress) == 12
    assert site.peak == 3


def test_order_is_deterministic_however_reads_interleave(site: Site) -> None:
    # earlier articles answer last
    order = ["ferry", "seawall", "regatta", "grain-silo", "library", "pass", "wind", "harvest"]
    site.delay = lambda path: next((0.02 * (8 - i) for i, name in enumerate(order) if name in path), 0.0)
    first = run([f"{site.url}/subscriptions.opml", str(site.root / "notes")], concurrency=16)
    second = run([f"{site.url}/subscriptions.opml", str(site.root / "notes")], concurrency=16)
    assert titles(first) == titles(second) == [*ALL_TITLES, "Council agenda for Thursday", "Winter ferry timetable"]
    assert first.failures == second.failures


def test_a_feed_listed_twice_is_read_once(site: Site) -> None:
    feed = str(site.root / "ridgeline-times.atom")
    collected = run([feed, str(site.root / "subscriptions.opml"), feed])
    assert titles(collected) == [PASS, WIND, HARVEST, FERRY, SEAWALL, REGATTA, SILO, LIBRARY]


def test_sources_files_and_linkless_entries_are_failures(site: Site) -> None:
    (site.root / "linkless.rss").write_text(
        '<rss version="2.0"><channel><title>L</title><item><title>No link</title></item></channel></rss>',
        encoding="utf-8",
    )
    toml = str(site.root / "sources.toml")
    collected = run([toml, str(site.root / "linkless.rss")])
    assert collected.articles == []
    assert [(f.source, f.error.split(":")[0]) for f in collected.failures] == [
        (toml, f"{toml} is a sources file"),
        (f"{site.root / 'linkless.rss'} (No link)", "the feed entry links to no article"),
    ]

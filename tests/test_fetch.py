"""The one fetcher and its policy, against a fault-injecting server on 127.0.0.1 and hostile addresses.

Every refused address is refused before any connection: the server counts what reaches it.
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from briefer._errors import InputError
from briefer._ingest import FetchPolicy, collect, load_article
from briefer._ingest.fetch import Fetcher
from briefer._ingest.policy import AddressRefused

WORDS = " ".join(["The harbour council met on Tuesday and voted to repair the old bridge."] * 6)
PAGE = f"<html><head><title>Bridge</title></head><body><article><p>{WORDS}</p><p>{WORDS}</p></article></body></html>"
BIG = 50_000_000


class _Handler(BaseHTTPRequestHandler):
    server: _FaultServer

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self.server.hits.append((self.path, self.headers.get("Host", "")))
        route = getattr(self, "route_" + self.path.strip("/").split("?")[0].replace("-", "_"), self.route_page)
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            route()

    def _send(self, body: bytes, content_type: str = "text/html", status: int = 200, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def route_page(self) -> None:
        self._send(PAGE.encode())

    def route_missing(self) -> None:
        self._send(b"<html><body>Not found</body></html>", status=404)

    def route_to_metadata(self) -> None:
        self._send(b"", status=302, Location="http://169.254.169.254/latest/meta-data/")

    def route_to_mapped(self) -> None:
        self._send(b"", status=302, Location=f"http://[::ffff:127.0.0.1]:{self.server.server_port}/page")

    def route_to_file(self) -> None:
        self._send(b"", status=302, Location="file:///etc/passwd")

    def route_to_private(self) -> None:
        self._send(b"", status=301, Location="http://10.1.2.3/page")

    def route_slow_headers(self) -> None:
        # one byte of the response head every 0.2 s: each read is quick, the whole never arrives in time
        for byte in b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Padding: " + b"p" * 200:
            if self.server.stopping.wait(0.2):
                return
            self.wfile.write(bytes([byte]))
            self.wfile.flush()

    def route_endless(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()  # no length: only the client's cap stops it
        block = b"<p>" + b"x" * 65_530 + b"</p>"
        while self.server.sent < BIG and not self.server.stopping.is_set():
            self.wfile.write(block)
            self.server.sent += len(block)

    def route_bomb(self) -> None:
        self._send(gzip.compress(b"<p>" + b"a" * BIG, compresslevel=9), Content_Encoding="gzip")

    def route_gzipped(self) -> None:
        self._send(gzip.compress(PAGE.encode()), Content_Encoding="gzip")

    def route_brotli(self) -> None:
        self._send(b"\x0b\x02\x80hello\x03", Content_Encoding="br")


class _FaultServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.hits: list[tuple[str, str]] = []
        self.sent = 0
        self.stopping = threading.Event()


@pytest.fixture
def server() -> Iterator[_FaultServer]:
    yield from serve_faults()


def serve_faults() -> Iterator[_FaultServer]:
    """A started fault server, shut down when the generator is closed."""
    fault = _FaultServer()
    thread = threading.Thread(target=fault.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    yield fault
    fault.stopping.set()
    fault.shutdown()
    fault.server_close()


def get(url: str, **policy: Any):
    async def once():
        async with Fetcher(FetchPolicy(**policy)) as fetcher:
            return await fetcher.get(url)

    return asyncio.run(once())


# --- addresses -------------------------------------------------------------------------------------------

LOOPBACK_SPELLINGS = ["127.0.0.1", "127.1", "2130706433", "0x7f.0.0.1", "localhost", "[::1]"]
ALWAYS_REFUSED = [
    ("169.254.169.254", "metadata"),
    ("[fd00:ec2::254]", "metadata"),
    ("[::ffff:127.0.0.1]", "IPv4 address inside an IPv6"),
    ("[::ffff:7f00:1]", "IPv4 address inside an IPv6"),
    ("224.0.0.1", "multicast"),
    ("0.0.0.0", "reserved"),
]
PRIVATE = [
    ("10.0.0.7", "private"),
    ("192.168.1.1", "private"),
    ("172.16.0.1", "private"),
    ("169.254.1.1", "link-local"),
    ("[fe80::1]", "link-local"),
    ("[fd12:3456::1]", "unique-local"),
    ("100.64.0.1", "private"),
]


@pytest.mark.parametrize("host", LOOPBACK_SPELLINGS)
def test_loopback_in_any_spelling_is_refused_without_the_setting(server: _FaultServer, host: str) -> None:
    with pytest.raises(AddressRefused, match=r"loopback address; .*--allow-private-hosts"):
        get(f"http://{host}:{server.server_port}/page")
    assert server.hits == []


@pytest.mark.parametrize("host", ["127.0.0.1", "127.1", "2130706433", "localhost"])
def test_loopback_is_fetched_when_allowed(server: _FaultServer, host: str) -> None:
    page = get(f"http://{host}:{server.server_port}/page", allow_private_hosts=True)
    assert b"harbour council" in page.body


@pytest.mark.parametrize(("host", "why"), ALWAYS_REFUSED)
@pytest.mark.parametrize("allowed", [False, True])
def test_metadata_mapped_multicast_are_refused_even_when_private_hosts_are_allowed(
    host: str, why: str, allowed: bool
) -> None:
    with pytest.raises(AddressRefused, match=why):
        get(f"http://{host}/latest/meta-data/", allow_private_hosts=allowed)


@pytest.mark.parametrize(("host", "why"), PRIVATE)
def test_private_link_local_and_unique_local_are_refused(host: str, why: str) -> None:
    with pytest.raises(AddressRefused, match=why):
        get(f"http://{host}/page")


def test_a_public_looking_name_that_resolves_to_loopback_is_refused(
    server: _FaultServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = socket.getaddrinfo

    def resolve(host: str, *args: Any, **kwargs: Any) -> Any:
        return real("127.0.0.1" if host == "news.example" else host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    with pytest.raises(AddressRefused, match=r"news\.example \(127\.0\.0\.1\).*loopback"):
        get(f"http://news.example:{server.server_port}/page")
    assert server.hits == []
    # allowed, it connects to the address it checked, and still names the host it was asked for
    get(f"http://news.example:{server.server_port}/page", allow_private_hosts=True)
    assert server.hits == [("/page", f"news.example:{server.server_port}")]


@pytest.mark.parametrize(
    ("route", "why"),
    [("to-metadata", "metadata"), ("to-mapped", "IPv4 address inside an IPv6"), ("to-file", "cannot fetch file:")],
)
def test_every_redirect_hop_is_checked(server: _FaultServer, route: str, why: str) -> None:
    with pytest.raises(InputError, match=why):
        get(f"http://127.0.0.1:{server.server_port}/{route}", allow_private_hosts=True)
    assert [path for path, _host in server.hits] == [f"/{route}"]  # the first hop only


# --- time and size -----------------------------------------------------------------------------------------


def test_slow_headers_are_cut_off_by_the_one_deadline(server: _FaultServer) -> None:
    started = time.monotonic()
    with pytest.raises(InputError, match=r"timed out after 1 s"):
        get(f"http://127.0.0.1:{server.server_port}/slow-headers", allow_private_hosts=True, timeout=1)
    assert time.monotonic() - started < 3


def test_an_endless_body_stops_at_the_cap(server: _FaultServer) -> None:
    with pytest.raises(InputError, match=r"larger than the 0\.2 MB cap"):
        get(f"http://127.0.0.1:{server.server_port}/endless", allow_private_hosts=True, max_bytes=200_000)
    time.sleep(0.2)
    assert server.sent < BIG / 5


def test_a_compression_bomb_is_refused_at_the_cap_after_decompression(server: _FaultServer) -> None:
    with pytest.raises(InputError, match=r"larger than the 1 MB cap"):
        get(f"http://127.0.0.1:{server.server_port}/bomb", allow_private_hosts=True, max_bytes=1_000_000)


def test_a_gzipped_page_is_read(server: _FaultServer) -> None:
    page = get(f"http://127.0.0.1:{server.server_port}/gzipped", allow_private_hosts=True)
    assert page.body == PAGE.encode()


def test_an_encoding_briefer_cannot_bound_is_refused(server: _FaultServer) -> None:
    with pytest.raises(InputError, match="encoded as br"):
        get(f"http://127.0.0.1:{server.server_port}/brotli", allow_private_hosts=True)


# --- what command-line URLs and links inside documents may reach ------------------------------------------


def test_load_article_refuses_loopback_unless_allowed(server: _FaultServer) -> None:
    url = f"http://127.0.0.1:{server.server_port}/page"
    with pytest.raises(AddressRefused):
        load_article(url)
    assert "harbour council" in load_article(url, policy=FetchPolicy(allow_private_hosts=True)).text


def test_links_in_a_shared_opml_and_feed_never_reach_local_files(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / ".aws").mkdir(parents=True)
    (home / ".aws" / "credentials").write_text("aws_secret_access_key = SECRET-IN-A-HIDDEN-FILE\n")
    (home / "notes.txt").write_text("Private notes\n\nSECRET-IN-A-PLAIN-FILE, with many words to be an article.\n")
    shared = home / "Downloads" / "shared"
    shared.mkdir(parents=True)
    (shared / "feed.xml").write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Shared</title>'
        "<item><title>a</title><link>../../notes.txt</link></item>"
        f"<item><title>b</title><link>{home / 'notes.txt'}</link></item>"
        f"<item><title>c</title><link>file://{home / 'notes.txt'}</link></item>"
        "<item><title>d</title><link>../../.aws/credentials</link></item>"
        "</channel></rss>"
    )
    (shared / "list.opml").write_text(
        '<?xml version="1.0"?><opml version="2.0"><body>'
        '<outline xmlUrl="../../.aws/credentials"/>'
        f'<outline xmlUrl="{home / "notes.txt"}"/>'
        f'<outline xmlUrl="file://{home / ".aws" / "credentials"}"/>'
        '<outline xmlUrl="feed.xml"/>'
        "</body></opml>"
    )
    collected = asyncio.run(collect([str(shared / "list.opml")]))
    assert collected.articles == []
    # three refused feeds; the one allowed feed's four entries (two name the same file: one failure)
    assert len(collected.failures) == 6
    for failure in collected.failures:
        assert "SECRET" not in failure.error
        assert "http(s) links" in failure.error or "local file is followed only" in failure.error, failure.error


def test_a_local_feed_may_link_to_article_files_inside_its_own_folder(tmp_path: Path) -> None:
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "bridge.html").write_text(PAGE)
    feed = tmp_path / "feed.xml"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Local</title>'
        "<item><title>Bridge</title><link>articles/bridge.html</link></item></channel></rss>"
    )
    collected = asyncio.run(collect([str(feed)]))
    assert [a.source.title for a in collected.articles] == ["Bridge"] and collected.failures == []

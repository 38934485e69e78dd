"""briefer._ingest: articles from files, stdin and http(s) URLs, and the one-line errors when they fail."""

from __future__ import annotations

import io
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from briefer._errors import InputError
from briefer._ingest import USER_AGENT, FetchPolicy, load_article, looks_like_url

DATA = Path(__file__).resolve().parent / "data" / "ingest"
TXT = DATA / "harbour_bridge.txt"
MD = DATA / "harbour_bridge.md"
HTML = DATA / "harbour_bridge.html"
TITLE = "Tidewater Council Votes to Close Harbour Bridge for Repairs"
PARAGRAPHS = [
    "The Tidewater city council voted 7 to 2 on Thursday to close the Harbour Bridge to cars",
    '"We cannot keep asking people to drive over a bridge we know is weakening," said Mayor Ines Calloway',
    'Ortiz called the plan "a traffic jam with a budget."',
    "The council has not said whether the regional government will share the cost.",
]
BOILERPLATE = ["cookies", "Subscribe", "Politics", "Related stories", "Ferry timetable", "Copyright", "Privacy policy"]
HUGE_BYTES = 50_000_000


def fetch(url: str, **policy: Any):
    """load_article for the test server on 127.0.0.1 (allowed only when asked for)."""
    return load_article(url, policy=FetchPolicy(allow_private_hosts=True, **policy))


def one_line_error(excinfo: pytest.ExceptionInfo[InputError], *needles: str) -> str:
    message = str(excinfo.value)
    assert "\n" not in message
    assert "Traceback" not in message
    for needle in needles:
        assert needle in message
    return message


def assert_html_article(article, *, url: str) -> None:
    for paragraph in PARAGRAPHS:
        assert paragraph in article.text
    for noise in BOILERPLATE:
        assert noise not in article.text
    # paragraphs are blank-line separated, so chunking can split on them
    assert 'weakening," said Mayor Ines Calloway' in article.text.split("\n\n")[2]
    source = article.source
    assert source.title == TITLE
    assert source.outlet == "The Tidewater Ledger"
    assert source.author == "Mara Lindqvist"
    assert source.published == "2026-11-20"
    assert source.url == url


# --- a local web server ----------------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format, *args) -> None:
        pass

    def _send(self, status: int, content_type: str, body: bytes, **headers: str) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        self.server.user_agents.append(self.headers.get("User-Agent", ""))
        route = getattr(self, "route_" + self.path.strip("/").replace("-", "_").replace(".", "_"), None)
        if route is None:
            self._send(404, "text/html", b"<html><body><h1>Not found</h1></body></html>")
        else:
            route()

    def route_article(self) -> None:
        self._send(200, "text/html; charset=utf-8", HTML.read_bytes())

    def route_redirect(self) -> None:
        self._send(302, "text/html", b"", Location="/hop")

    def route_hop(self) -> None:
        self._send(301, "text/html", b"", Location="/article")

    def route_loop(self) -> None:
        self._send(302, "text/html", b"", Location="/loop")

    def route_plain(self) -> None:
        self._send(200, "text/plain; charset=iso-8859-1", "Café report\n\nThe café reopened.\r\n".encode("latin-1"))

    def route_latin_page(self) -> None:
        page = HTML.read_text("utf-8").replace('charset="utf-8"', 'charset="windows-1252"')
        page = page.replace("Mayor Ines Calloway", "Mayor Inès Calloway")
        self._send(200, "text/html", page.encode("cp1252"))

    def route_empty_page(self) -> None:
        self._send(200, "text/html", b"<!DOCTYPE html><html><head><title>x</title></head><body></body></html>")

    def route_report_pdf(self) -> None:
        self._send(200, "application/pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

    def route_download(self) -> None:
        self._send(200, "application/octet-stream", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

    def route_untyped(self) -> None:
        self._send(200, "", HTML.read_bytes())

    def route_declared_huge(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", "6000000")
        self.end_headers()
        self.wfile.write(b"<html>")

    def route_huge(self) -> None:
        # no Content-Length: the client can only notice the size by counting what it reads
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        block = b"<p>" + b"x" * 65_530 + b"</p>"
        try:
            while self.server.huge_sent < HUGE_BYTES:
                self.wfile.write(block)
                self.server.huge_sent += len(block)
        except OSError:
            pass  # the client hung up, as it should
        finally:
            self.server.huge_done.set()

    def route_slow(self) -> None:
        self.server.release.wait(10)
        self._send(200, "text/html", HTML.read_bytes())


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.user_agents: list[str] = []
        self.huge_sent = 0
        self.huge_done = threading.Event()
        self.release = threading.Event()


@pytest.fixture(scope="module")
def server() -> Iterator[_Server]:
    httpd = _Server()
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.release.set()
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


@pytest.fixture
def base(server: _Server) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}"


# --- files -----------------------------------------------------------------------------------------


def test_plain_text_is_kept_as_is_with_its_title():
    article = load_article(str(TXT))
    assert article.text == TXT.read_text("utf-8")
    assert article.source.title == TITLE
    assert article.source.path == str(TXT)
    assert article.source.url is None


def test_markdown_is_kept_as_is_with_its_heading_as_title():
    article = load_article(str(MD))
    assert article.text == MD.read_text("utf-8")
    assert article.text.startswith(f"# {TITLE}\n")
    assert article.source.title == TITLE


def test_html_file_yields_main_text_and_metadata():
    article = load_article(str(HTML))
    assert_html_article(article, url="https://ledger.example/news/2026/11/20/harbour-bridge-closure")
    assert article.source.path == str(HTML)


def test_html_extraction_never_touches_the_network(monkeypatch: pytest.MonkeyPatch):
    def refuse(*args, **kwargs):
        raise AssertionError("ingest tried the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    assert load_article(str(HTML)).source.outlet == "The Tidewater Ledger"


def test_bom_and_crlf_are_dropped_and_nothing_else_changes(tmp_path: Path):
    path = tmp_path / "note.txt"
    path.write_bytes(b"\xef\xbb\xbfShort title\r\n\r\n  Body line one.\r\nBody line two.  \n")
    article = load_article(str(path))
    assert article.text == "Short title\n\n  Body line one.\nBody line two.  \n"
    assert article.source.title == "Short title"


@pytest.mark.parametrize(
    ("name", "content", "title"),
    [
        ("long.txt", "A" * 200 + "\n\nBody.", None),
        ("no_gap.txt", "First line\nsecond line\n\nBody.", None),
        ("gap.txt", "\n\n  Leading blanks  \n\nBody.", "Leading blanks"),
        ("hashed.txt", "# Hashed Title #\nBody.", "Hashed Title"),
        ("sub.md", "## Only a subheading\n\nBody.", None),
        ("plain.md", "Not a heading\n\nBody.", None),
    ],
)
def test_title_rules(tmp_path: Path, name: str, content: str, title: str | None):
    path = tmp_path / name
    path.write_text(content, "utf-8")
    assert load_article(str(path)).source.title == title


def test_unknown_extension_is_sniffed(tmp_path: Path):
    page = tmp_path / "saved_page"
    page.write_bytes(HTML.read_bytes())
    assert load_article(str(page)).source.author == "Mara Lindqvist"
    text = tmp_path / "article.text"
    text.write_bytes(TXT.read_bytes())
    assert load_article(str(text)).text == TXT.read_text("utf-8")


def test_missing_file():
    with pytest.raises(InputError) as excinfo:
        load_article("no/such/article.txt")
    one_line_error(excinfo, "no such file: no/such/article.txt")


def test_missing_file_that_looks_like_a_web_address():
    with pytest.raises(InputError) as excinfo:
        load_article("www.example.com/story")
    one_line_error(excinfo, "www.example.com/story", "https://")


def test_directory(tmp_path: Path):
    with pytest.raises(InputError) as excinfo:
        load_article(str(tmp_path))
    one_line_error(excinfo, str(tmp_path), "is a directory")


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = tmp_path / "secret.txt"
    path.write_text("text", "utf-8")

    # chmod cannot stop root, who runs some CI containers, so the refusal is simulated
    def refuse(name: str, *args: object) -> int:
        raise PermissionError(13, "Permission denied", name)

    monkeypatch.setattr("briefer._ingest.local.os.open", refuse)
    with pytest.raises(InputError) as excinfo:
        load_article(str(path))
    one_line_error(excinfo, str(path), "permission denied")


def test_not_utf8(tmp_path: Path):
    path = tmp_path / "latin.txt"
    path.write_bytes("Le café est fermé.".encode("latin-1"))
    with pytest.raises(InputError) as excinfo:
        load_article(str(path))
    one_line_error(excinfo, str(path), "not UTF-8", "convert")


def test_pdf_file(tmp_path: Path):
    path = tmp_path / "report.txt"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    with pytest.raises(InputError) as excinfo:
        load_article(str(path))
    one_line_error(excinfo, str(path), "PDF", "pdftotext")


@pytest.mark.parametrize("content", [b"", b"  \n\r\n\t \n", b"\xef\xbb\xbf\n"])
def test_empty_file(tmp_path: Path, content: bytes):
    path = tmp_path / "empty.md"
    path.write_bytes(content)
    with pytest.raises(InputError) as excinfo:
        load_article(str(path))
    one_line_error(excinfo, f"{path} holds no text")


@pytest.mark.parametrize(
    "body",
    [
        "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav><footer>Copyright 2026</footer>",
        "<noscript>You need to enable JavaScript to run this app.</noscript><div id='root'></div>",
    ],
    ids=["menu-only", "javascript-app"],
)
def test_html_without_article_text(tmp_path: Path, body: str):
    path = tmp_path / "blank.html"
    path.write_text(f"<!DOCTYPE html><html><head><title>Nothing</title></head><body>{body}</body></html>", "utf-8")
    with pytest.raises(InputError) as excinfo:
        load_article(str(path))
    one_line_error(excinfo, str(path), "no article text")


def test_html_date_is_not_guessed_from_a_copyright_line(tmp_path: Path):
    path = tmp_path / "undated.html"
    paragraphs = "".join(f"<p>{paragraph} and more words to make it a paragraph.</p>" for paragraph in PARAGRAPHS)
    path.write_text(
        f"<!DOCTYPE html><html><body><article>{paragraphs}</article><footer>Copyright 2026</footer></body></html>",
        "utf-8",
    )
    article = load_article(str(path))
    assert PARAGRAPHS[0] in article.text
    assert article.source.published is None


# --- stdin -----------------------------------------------------------------------------------------


def test_stdin_text():
    article = load_article("-", stdin=io.StringIO(TXT.read_text("utf-8")))
    assert article.text == TXT.read_text("utf-8")
    assert article.source.title == TITLE
    assert article.source.path is None


def test_stdin_markdown_heading_is_the_title():
    assert load_article("-", stdin=io.StringIO(MD.read_text("utf-8"))).source.title == TITLE


def test_stdin_html_is_sniffed():
    article = load_article("-", stdin=io.StringIO(HTML.read_text("utf-8")))
    assert_html_article(article, url="https://ledger.example/news/2026/11/20/harbour-bridge-closure")


def test_stdin_bytes_are_read_as_utf8_whatever_the_locale():
    stream = io.TextIOWrapper(io.BytesIO("\ufeffCafé news\r\n\r\nIt reopened.".encode()), encoding="ascii")
    assert load_article("-", stdin=stream).text == "Café news\n\nIt reopened."


def test_stdin_empty():
    with pytest.raises(InputError) as excinfo:
        load_article("-", stdin=io.StringIO("\n \n"))
    one_line_error(excinfo, "stdin holds no text")


def test_stdin_terminal():
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    with pytest.raises(InputError) as excinfo:
        load_article("-", stdin=Terminal())
    one_line_error(excinfo, "stdin", "pipe", "path")


# --- URLs ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("https://example.com/a", True),
        ("HTTP://example.com", True),
        ("ftp://example.com/a.txt", True),
        ("file:///tmp/a.txt", True),
        ("file:a.txt", True),
        ("article.txt", False),
        ("/tmp/a.html", False),
        ("-", False),
        ("www.example.com/a", False),
        ("C:\\news\\a.txt", False),
    ],
)
def test_looks_like_url(source: str, expected: bool):
    assert looks_like_url(source) is expected


def test_url_html_page(server: _Server, base: str):
    article = fetch(f"{base}/article")
    # a fetched page keeps the address it was fetched from, not the canonical one it claims
    assert_html_article(article, url=f"{base}/article")
    assert article.source.path is None
    assert server.user_agents[-1] == USER_AGENT


def test_url_follows_redirects_and_keeps_the_final_url(base: str):
    article = fetch(f"{base}/redirect")
    assert article.source.url == f"{base}/article"
    assert PARAGRAPHS[0] in article.text


def test_url_redirect_loop(base: str):
    with pytest.raises(InputError) as excinfo:
        fetch(f"{base}/loop")
    one_line_error(excinfo, f"{base}/loop", "redirects more than 5 times")


def test_url_plain_text_uses_the_declared_charset(base: str):
    article = fetch(f"{base}/plain")
    assert article.text == "Café report\n\nThe café reopened.\n"
    assert article.source.title == "Café report"
    assert article.source.url == f"{base}/plain"


def test_url_html_uses_the_charset_its_meta_declares(base: str):
    assert "Mayor Inès Calloway" in fetch(f"{base}/latin-page").text


def test_url_not_found(base: str):
    with pytest.raises(InputError) as excinfo:
        fetch(f"{base}/gone")
    one_line_error(excinfo, f"{base}/gone", "404")


def test_url_pdf(base: str):
    with pytest.raises(InputError) as excinfo:
        fetch(f"{base}/report.pdf")
    one_line_error(excinfo, f"{base}/report.pdf", "application/pdf")


def test_url_binary_download(base: str):
    with pytest.raises(InputError) as excinfo:
        fetch(f"{base}/download")
    one_line_error(excinfo, f"{base}/download", "PDF or other binary")


def test_url_without_content_type_is_sniffed(base: str):
    assert fetch(f"{base}/untyped").source.outlet == "The Tidewater Ledger"


def test_url_page_without_text(base: str):
    with pytest.raises(InputError) as excinfo:
        fetch(f"{base}/empty-page")
    one_line_error(excinfo, f"{base}/empty-page", "no article text")


def test_url_declared_oversize_is_refused_before_reading(base: str):
    with pytest.raises(InputError) as excinfo:
        fetch(f"{base}/declared-huge")
    one_line_error(excinfo, f"{base}/declared-huge", "larger than the 5 MB cap")


def test_url_oversize_stream_stops_early(server: _Server, base: str):
    with pytest.raises(InputError) as excinfo:
        fetch(f"{base}/huge", max_bytes=200_000)
    one_line_error(excinfo, f"{base}/huge", "larger than the 0.2 MB cap")
    assert server.huge_done.wait(10), "the server was still sending"
    # what the socket buffers held on top of the 0.2 MB read, and no more
    assert server.huge_sent < HUGE_BYTES / 5


def test_url_timeout(base: str):
    started = time.monotonic()
    with pytest.raises(InputError) as excinfo:
        fetch(f"{base}/slow", timeout=0.3)
    one_line_error(excinfo, "timed out after 0.3 s", "127.0.0.1")
    assert time.monotonic() - started < 5


def test_url_connection_refused():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(InputError) as excinfo:
        fetch(f"http://127.0.0.1:{port}/article", timeout=2)
    one_line_error(excinfo, "could not fetch http://127.0.0.1")


@pytest.mark.parametrize("source", ["ftp://example.com/story.txt", "file:///tmp/story.txt", "file:story.txt"])
def test_unsupported_scheme(source: str):
    with pytest.raises(InputError) as excinfo:
        load_article(source)
    one_line_error(excinfo, source, "http(s)")


def test_invalid_url():
    with pytest.raises(InputError) as excinfo:
        load_article("http://[::1/story")
    one_line_error(excinfo, "http://[::1/story", "not a valid URL")

"""Reading an article from a file, stdin or an http(s) URL into an ``Article``.

Plain text and Markdown are kept exactly as written (only a BOM is dropped and CRLF becomes LF), because
claim offsets point into ``Article.text``. HTML is reduced to its main text by trafilatura, one paragraph
per blank-line-separated block so that chunking can split it on paragraph boundaries.
"""

from __future__ import annotations

import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO
from urllib.parse import urlsplit

from briefer._version import __version__
from briefer.errors import InputError
from briefer.models import Article, Source

if TYPE_CHECKING:
    import httpx2

__all__ = ["USER_AGENT", "load_article", "looks_like_url"]

USER_AGENT = f"briefer/{__version__}"
MAX_REDIRECTS = 5
MIN_HTML_WORDS = 20

_SUFFIX_KINDS = {".txt": "text", ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}
_TYPE_KINDS = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/plain": "text",
    "text/markdown": "markdown",
    "text/x-markdown": "markdown",
    # no type, or a generic one: sniff the body as for stdin
    "": None,
    "application/octet-stream": None,
}
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]+://|file:", re.IGNORECASE)
_HEADING = re.compile(r"#[ \t]+(.+?)(?:[ \t]+#+)?")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


@dataclass(frozen=True)
class _Page:
    body: bytes
    url: str
    kind: str | None
    charset: str | None


def looks_like_url(source: str) -> bool:
    """True when ``source`` carries a URL scheme (``scheme://`` or ``file:``) rather than naming a path."""
    return _URL.match(source) is not None


def load_article(
    source: str,
    *,
    stdin: TextIO | None = None,
    timeout: float = 20.0,
    max_bytes: int = 5_000_000,
    user_agent: str = USER_AGENT,
) -> Article:
    """Read an article from a .txt/.md/.html file, ``-`` (stdin) or an http(s) URL."""
    if source == "-":
        return _from_stdin(stdin if stdin is not None else sys.stdin)
    if looks_like_url(source):
        return _from_url(source, timeout=timeout, max_bytes=max_bytes, user_agent=user_agent)
    return _from_file(source)


def _from_stdin(stream: TextIO | None) -> Article:
    if stream is None or stream.isatty():
        raise InputError("nothing on stdin: pipe an article in (briefer brief - < article.txt) or give a path or URL")
    # read bytes when there are any, so stdin is decoded as UTF-8 whatever the locale says
    buffer = getattr(stream, "buffer", None)
    text = _decode(buffer.read(), "stdin") if buffer is not None else _normalise(stream.read())
    return _from_content(text, "stdin", None)


def _from_file(source: str) -> Article:
    path = Path(source)
    if path.is_dir():
        raise InputError(f"{source} is a directory; give the path of an article file inside it")
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        hint = " (for a web page give the full https:// URL)" if source.lower().startswith("www.") else ""
        raise InputError(f"no such file: {source}{hint}") from None
    except PermissionError:
        raise InputError(f"cannot read {source}: permission denied; check the file's permissions") from None
    except OSError as exc:
        raise InputError(f"cannot read {source}: {exc.strerror or exc}") from exc
    kind = _SUFFIX_KINDS.get(path.suffix.lower())
    return _from_content(_decode(raw, source), source, kind, path=source)


def _decode(raw: bytes, name: str) -> str:
    if raw.startswith(b"%PDF-"):
        raise InputError(f"{name} is a PDF; extract its text first (e.g. pdftotext) and pass the .txt file")
    try:
        return _normalise(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name} is not UTF-8 text (bad byte at offset {exc.start}); convert it, e.g. iconv -f latin1 -t utf-8"
        ) from None


def _normalise(text: str) -> str:
    return text.removeprefix("\ufeff").replace("\r\n", "\n")


def _from_content(
    text: str, name: str, kind: str | None, *, path: str | None = None, url: str | None = None
) -> Article:
    if not text.strip():
        raise InputError(f"{name} holds no text")
    if kind is None:
        head = text[:1024].lstrip().lower()
        kind = "html" if head.startswith("<!doctype html") or "<html" in head else "text"
    if kind == "html":
        return _from_html(text, name, path=path, url=url)
    return Article(text=text, source=Source(title=_text_title(text, markdown=kind == "markdown"), path=path, url=url))


def _text_title(text: str, *, markdown: bool) -> str | None:
    """A leading ``# Heading``; else, outside Markdown, a short first line followed by a blank line."""
    lines = text.split("\n")
    first = next(i for i, line in enumerate(lines) if line.strip())
    line = lines[first].strip()
    if heading := _HEADING.fullmatch(line):
        return heading.group(1).strip()
    followed_by_blank = first + 1 < len(lines) and not lines[first + 1].strip()
    return line if not markdown and len(line) < 200 and followed_by_blank else None


def _from_html(html: str, name: str, *, path: str | None, url: str | None) -> Article:
    import trafilatura
    from trafilatura.settings import set_date_params

    # bare_extraction parses the string it is given and never fetches: url only seeds the metadata.
    # No extensive date search: it guesses dates from copyright lines and URLs, and no date beats a wrong one.
    document: Any = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        favor_precision=True,
        date_extraction_params=set_date_params(extensive=False),
    )
    paragraphs = [line.strip() for line in (getattr(document, "text", None) or "").split("\n") if line.strip()]
    words = sum(len(paragraph.split()) for paragraph in paragraphs)
    # what is left of a page without an article (or one built by JavaScript) is a menu or a notice, not an article
    if words < MIN_HTML_WORDS:
        raise InputError(
            f"found no article text in {name} ({words} words); save the article's text to a .txt file and pass that"
        )
    source = Source(
        title=document.title or None,
        outlet=document.sitename or None,
        author=document.author or None,
        published=document.date or None,
        url=url or document.url or None,
        path=path,
    )
    return Article(text="\n\n".join(paragraphs), source=source)


def _from_url(url: str, *, timeout: float, max_bytes: int, user_agent: str) -> Article:
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        raise InputError(f"{url} is not a valid URL ({exc}); check it") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise InputError(f"cannot fetch {scheme}: URLs ({url}); give an http(s) URL, or the local file's path")
    page = _fetch(url, parts.hostname or url, timeout=timeout, max_bytes=max_bytes, user_agent=user_agent)
    if page.kind is None and (page.body.startswith(b"%PDF-") or b"\x00" in page.body[:1024]):
        raise InputError(f"{page.url} is a PDF or other binary file, not an article; save its text to a file")
    encoding = page.charset or (_declared_charset(page.body) if page.kind != "text" else None) or "utf-8"
    try:
        text = page.body.decode(encoding, errors="replace")
    except LookupError:
        text = page.body.decode("utf-8", errors="replace")
    return _from_content(_normalise(text), page.url, page.kind, url=page.url)


def _declared_charset(body: bytes) -> str | None:
    """The charset an HTML page declares in a ``<meta>`` near its top, when the server did not send one."""
    match = _META_CHARSET.search(body[:2048])
    return match.group(1).decode("ascii") if match else None


def _fetch(url: str, host: str, *, timeout: float, max_bytes: int, user_agent: str) -> _Page:
    import httpx2

    client = httpx2.Client(
        follow_redirects=True, max_redirects=MAX_REDIRECTS, timeout=timeout, headers={"User-Agent": user_agent}
    )
    # httpx2's timeout bounds each connect and read; the deadline bounds the whole download
    deadline = time.monotonic() + timeout
    try:
        with client, client.stream("GET", url) as response:
            kind = _check_response(response)
            body = _read_capped(response, max_bytes, deadline=deadline)
            return _Page(body, str(response.url), kind, response.charset_encoding)
    except httpx2.TimeoutException:
        raise InputError(f"timed out after {timeout:g} s fetching {host}; try again or raise the timeout") from None
    except httpx2.TooManyRedirects:
        raise InputError(f"{url} redirects more than {MAX_REDIRECTS} times; give the final URL") from None
    except (httpx2.HTTPError, httpx2.InvalidURL) as exc:
        cause = " ".join(str(exc).split()).rstrip(".") or type(exc).__name__
        raise InputError(f"could not fetch {host}: {cause}; check the URL and your connection") from exc


def _check_response(response: httpx2.Response) -> str | None:
    """The kind of article the response holds; InputError for errors and content that is no article."""
    if not response.is_success:
        raise InputError(f"{response.url} answered HTTP {response.status_code} {response.reason_phrase}; check the URL")
    content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in _TYPE_KINDS:
        raise InputError(
            f"{response.url} is {content_type}, not a web page or text; save the article's text to a file and pass that"
        )
    return _TYPE_KINDS[content_type]


def _read_capped(response: httpx2.Response, max_bytes: int, *, deadline: float) -> bytes:
    """The response body, refusing it as soon as it grows past ``max_bytes``."""
    too_large = InputError(
        f"{response.url} is larger than {max_bytes / 1_000_000:g} MB; save the article's text to a file and pass that"
    )
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise too_large
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise too_large
        if time.monotonic() > deadline:
            raise InputError(f"timed out reading {response.url}; try again later or raise the timeout")
        chunks.append(chunk)
    return b"".join(chunks)

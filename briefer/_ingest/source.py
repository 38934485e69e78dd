"""One source to one article: a file, stdin, or an http(s) URL."""

from __future__ import annotations

import asyncio
import re
import sys
from pathlib import Path
from typing import TextIO

from briefer._errors import InputError
from briefer._ingest.article import article_from_bytes, article_from_page, kind_of_suffix
from briefer._ingest.fetch import Fetcher, FetchPolicy, check_url
from briefer._ingest.local import read_local
from briefer._models import Article

__all__ = ["fetch_article", "load_article", "looks_like_url", "read_article_file"]

_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]+://|file:", re.IGNORECASE)


def looks_like_url(source: str) -> bool:
    """True when ``source`` carries a URL scheme (``scheme://`` or ``file:``) rather than naming a path."""
    return _URL.match(source) is not None


def load_article(source: str, *, stdin: TextIO | None = None, policy: FetchPolicy | None = None) -> Article:
    """Read an article from a .txt/.md/.html file, ``-`` (stdin) or an http(s) URL (not inside an event loop)."""
    policy = policy or FetchPolicy()
    if source == "-":
        return _from_stdin(stdin if stdin is not None else sys.stdin, policy.max_bytes)
    if looks_like_url(source):
        check_url(source)  # a bad URL is refused before any event loop or client is set up
        return asyncio.run(_fetch_once(source, policy))
    return read_article_file(source, policy.max_bytes)


def read_article_file(path: str, max_bytes: int) -> Article:
    """The article in a local file (its kind from its suffix, else sniffed)."""
    raw = read_local(path, max_bytes)
    return article_from_bytes(raw, path, kind_of_suffix(Path(path).suffix), path=path)


async def fetch_article(url: str, fetcher: Fetcher) -> Article:
    """The article at an http(s) URL, fetched once."""
    return article_from_page(await fetcher.get(url))


async def _fetch_once(url: str, policy: FetchPolicy) -> Article:
    async with Fetcher(policy) as fetcher:
        page = await fetcher.get(url)
    # trafilatura is CPU-bound: outside the fetch's deadline
    return article_from_page(page)


def _from_stdin(stream: TextIO | None, max_bytes: int) -> Article:
    if stream is None or stream.isatty():
        raise InputError("nothing on stdin: pipe an article in (briefer brief - < article.txt) or give a path or URL")
    # read bytes when there are any, so stdin is decoded as UTF-8 whatever the locale says
    buffer = getattr(stream, "buffer", None)
    raw = buffer.read(max_bytes + 1) if buffer is not None else stream.read(max_bytes + 1).encode("utf-8")
    if len(raw) > max_bytes:
        raise InputError(
            f"stdin holds more than the {max_bytes / 1_000_000:g} MB cap for a source (max_input_bytes in the config)"
        )
    return article_from_bytes(raw, "stdin", None)

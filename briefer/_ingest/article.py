"""Bytes or text into an ``Article``: decoding, checks that it is text at all, and HTML to its main text.

Plain text and Markdown are kept exactly as written (only a BOM is dropped and CRLF becomes LF), because
claim offsets point into ``Article.text``. HTML is reduced to its main text by trafilatura, one paragraph
per blank-line-separated block so that chunking can split it on paragraph boundaries.
"""

from __future__ import annotations

import re
from typing import Any

from briefer._errors import InputError
from briefer._ingest.fetch import Page
from briefer._models import Article, Source

__all__ = ["MIN_HTML_WORDS", "article_from_bytes", "article_from_page", "decode", "kind_of_suffix"]

MIN_HTML_WORDS = 20
MAX_CONTROL_SHARE = 0.1  # text with more control characters than this is a binary file, not an article

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
_HEADING = re.compile(r"#[ \t]+(.+?)(?:[ \t]+#+)?")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# C0 controls but tab, LF and CR; DEL; C1 controls
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def kind_of_suffix(suffix: str) -> str | None:
    """The article kind a file suffix names ("text", "markdown", "html"), or None."""
    return _SUFFIX_KINDS.get(suffix.lower())


def article_from_bytes(raw: bytes, name: str, kind: str | None, *, path: str | None = None) -> Article:
    """An article from a file's or stdin's bytes (UTF-8)."""
    return _from_content(decode(raw, name), name, kind, path=path)


def article_from_page(page: Page) -> Article:
    """An article from a downloaded page; InputError for errors and content that is no article."""
    if page.content_type not in _TYPE_KINDS:
        raise InputError(
            f"{page.url} is {page.content_type}, not a web page or text;"
            " save the article's text to a file and pass that"
        )
    kind = _TYPE_KINDS[page.content_type]
    if kind is None and (page.body.startswith(b"%PDF-") or b"\x00" in page.body[:1024]):
        raise InputError(f"{page.url} is a PDF or other binary file, not an article; save its text to a file")
    encoding = page.charset or (_declared_charset(page.body) if kind != "text" else None) or "utf-8"
    try:
        text = page.body.decode(encoding, errors="replace")
    except LookupError:
        text = page.body.decode("utf-8", errors="replace")
    return _from_content(_normalise(text), page.url, kind, url=page.url)


def decode(raw: bytes, name: str) -> str:
    """UTF-8 text without BOM and with LF line ends; InputError for a PDF or another encoding."""
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
    controls = len(_CONTROL.findall(text))
    if controls > MAX_CONTROL_SHARE * len(text):
        raise InputError(f"{name} is mostly control characters ({controls} of {len(text)}), not an article")
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


def _declared_charset(body: bytes) -> str | None:
    """The charset an HTML page declares in a ``<meta>`` near its top, when the server did not send one."""
    match = _META_CHARSET.search(body[:2048])
    return match.group(1).decode("ascii") if match else None

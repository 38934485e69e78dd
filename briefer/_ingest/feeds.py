"""What a source document is (feed, OPML list or article), and the entries or feeds it lists.

Nothing here reads files or the network: ``briefer._ingest.collect`` reads the bytes and hands them over,
so feedparser never fetches anything by itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urljoin, urlsplit

from briefer._errors import InputError
from briefer._ingest.source import looks_like_url

__all__ = [
    "ARTICLE_SUFFIXES",
    "FEED_SUFFIXES",
    "HTML_TYPES",
    "SNIFF_BYTES",
    "Feed",
    "FeedEntry",
    "Kind",
    "parse_feed",
    "parse_opml",
    "resolve_link",
    "sniff",
    "suffix_of",
]

Kind = Literal["feed", "opml", "article"]

ARTICLE_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".html", ".htm"})
FEED_SUFFIXES = frozenset({".xml", ".rss", ".atom", ".rdf"})
FEED_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml"}
)
OPML_TYPES = frozenset({"text/x-opml", "application/x-opml", "text/x-opml+xml"})
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
SNIFF_BYTES = 2048

_FEED_TAGS = (b"<rss", b"<feed", b"<rdf:rdf")
_HAS_TIME = re.compile(r"\d:\d\d")
# RSS 2.0 wants an address in <author>: "desk@outlet.example (Jo Bloggs)" or "Jo Bloggs <desk@outlet.example>"
_NAME_IN_PARENS = re.compile(r"^\S+@\S+\s*\((.+)\)$")
_NAME_BEFORE_ADDRESS = re.compile(r"^(.+?)\s*<\S+@\S+>$")
_ADDRESS = re.compile(r"^\S+@\S+$")
_EXPAT_PLACE = re.compile(r"^<unknown>:(\d+):(\d+):\s*")


@dataclass(frozen=True)
class FeedEntry:
    """One entry of a feed: where its article is, and what the feed says about it."""

    link: str | None
    title: str | None
    author: str | None
    date: datetime | None
    has_time: bool = False

    @property
    def published(self) -> str | None:
        """ISO 8601: the date, or the UTC date and time (ending in Z) when the feed gave a time."""
        if self.date is None:
            return None
        return self.date.strftime("%Y-%m-%dT%H:%M:%SZ" if self.has_time else "%Y-%m-%d")

    def older_than(self, since: datetime) -> bool:
        """True when the entry is dated before ``since``; a date without a time stands for its whole day."""
        if self.date is None:
            return False
        return self.date < since if self.has_time else self.date + timedelta(days=1) <= since


@dataclass(frozen=True)
class Feed:
    """A parsed RSS or Atom feed."""

    title: str | None
    entries: list[FeedEntry]


def sniff(name: str, head: bytes, content_type: str = "") -> Kind:
    """What a document is, from its suffix, its content type or its first bytes."""
    if content_type in HTML_TYPES:
        return "article"
    suffix = suffix_of(name)
    start = head[:SNIFF_BYTES].lower()
    if suffix == ".opml" or content_type in OPML_TYPES or b"<opml" in start:
        return "opml"
    # an HTML page may mention <feed> or <rss> in a script; only a document that is no page is a feed
    page = b"<html" in start or b"<!doctype html" in start
    if suffix in FEED_SUFFIXES or content_type in FEED_TYPES or (not page and any(t in start for t in _FEED_TAGS)):
        return "feed"
    return "article"


def suffix_of(name: str) -> str:
    """The lower-case suffix of a path, or of a URL's path."""
    path = urlsplit(name).path if looks_like_url(name) else name
    return Path(path).suffix.lower()


def resolve_link(link: str, base: str) -> str:
    """``link`` made absolute against ``base``, the URL or path of the document that holds it."""
    link = link.strip()
    if looks_like_url(link):
        return link
    if looks_like_url(base):
        return urljoin(base, link)
    return str((Path(base).parent / link).resolve())


def parse_opml(body: bytes, *, location: str) -> list[str]:
    """The feed URLs an OPML document lists (every outline with an xmlUrl, nested ones too), resolved."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        root = fromstring(body)
    except (ParseError, DefusedXmlException) as exc:
        raise InputError(f"{location} is not a readable OPML file ({_one_line(exc)})") from None
    if root.tag != "opml":
        raise InputError(f"{location} is not an OPML file (its root element is <{root.tag}>)")
    feeds: dict[str, None] = {}
    for outline in root.iter("outline"):
        # some exporters write xmlurl or XMLURL
        url = next((value for key, value in outline.attrib.items() if key.lower() == "xmlurl" and value.strip()), None)
        if url is not None:
            feeds[resolve_link(url, location)] = None
    if not feeds:
        raise InputError(f"{location} lists no feeds (no <outline> has an xmlUrl)")
    return list(feeds)


def parse_feed(body: bytes, *, location: str) -> Feed:
    """The title and entries of an RSS or Atom document, entry links resolved against ``location``."""
    import feedparser

    # with a URL for a base, feedparser also honours xml:base; a local feed's links are resolved below
    headers = {"content-location": location} if looks_like_url(location) else {}
    parsed: Any = feedparser.parse(body, response_headers=headers)
    if parsed.get("bozo") and not parsed.entries:
        cause = _one_line(parsed.get("bozo_exception") or "no entries")
        # expat names no file: "<unknown>:6:4: mismatched tag"
        cause = _EXPAT_PLACE.sub(r"line \1, column \2: ", cause)
        raise InputError(f"{location} is not a readable feed ({cause})")
    if not parsed.get("version") and not parsed.entries:
        # feedparser reads an HTML page (or any text) as an empty feed of unknown version
        raise InputError(f"{location} is not an RSS or Atom feed (no <rss>, <feed> or <rdf:RDF> in it)")
    entries = [_entry(item, location) for item in parsed.entries]
    return Feed(title=_text(dict.get(parsed.feed, "title")), entries=entries)


def _entry(item: Any, location: str) -> FeedEntry:
    # dict.get: feedparser's own get() maps a missing "updated" onto "published", with a DeprecationWarning
    link = _text(dict.get(item, "link"))
    raw_date, parsed_date = dict.get(item, "published"), dict.get(item, "published_parsed")
    if parsed_date is None:
        raw_date, parsed_date = dict.get(item, "updated"), dict.get(item, "updated_parsed")
    # feedparser gives a UTC struct_time
    date = datetime(*parsed_date[:6]).replace(tzinfo=UTC) if parsed_date else None
    return FeedEntry(
        link=resolve_link(link, location) if link else None,
        title=_text(dict.get(item, "title")),
        author=_author(_text(dict.get(item, "author"))),
        date=date,
        has_time=bool(_HAS_TIME.search(str(raw_date or ""))),
    )


def _author(author: str | None) -> str | None:
    """A person's name from an RSS author field; a bare e-mail address names nobody."""
    if author is None:
        return None
    for pattern in (_NAME_IN_PARENS, _NAME_BEFORE_ADDRESS):
        if match := pattern.match(author):
            return match.group(1).strip() or None
    return None if _ADDRESS.match(author) else author


def _text(value: object) -> str | None:
    text = " ".join(str(value).split()) if value is not None else ""
    return text or None


def _one_line(value: object) -> str:
    return " ".join(str(value).split()).rstrip(".") or type(value).__name__

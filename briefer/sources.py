"""A reader's sources turned into articles: files, folders, URLs, RSS/Atom feeds, OPML lists, sources.toml.

A source that fails becomes a ``FailedSource`` and the run goes on without it.
"""

from __future__ import annotations

import asyncio
import re
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlparse

from briefer.errors import BrieferError, ConfigError, InputError
from briefer.ingest import load_article, looks_like_url
from briefer.models import Article, FailedSource, Source

__all__ = ["Collected", "SourcesFile", "collect", "parse_since", "read_sources_file"]

ARTICLE_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm"}
FEED_SUFFIXES = {".xml", ".rss", ".atom"}
_DURATION = re.compile(r"^\s*(\d+)\s*([mhdw])\s*$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


@dataclass(frozen=True)
class SourcesFile:
    """A sources.toml: what to read, and optionally since when and which recording to replay."""

    sources: list[str]
    recording: Path | None = None
    since: str | None = None


def read_sources_file(path: Path) -> SourcesFile:
    """Read a sources.toml; paths in it are relative to its folder."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"sources file not found: {path}") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read sources file {path}: {exc}") from exc
    unknown = sorted(set(data) - {"sources", "recording", "since"})
    listed = data.get("sources")
    if unknown or not isinstance(listed, list) or not all(isinstance(s, str) for s in listed):
        raise ConfigError(f'{path}: expected `sources = ["..."]` (and optional `since`, `recording`)')
    folder = path.parent
    recording = data.get("recording")
    return SourcesFile(
        sources=[item if looks_like_url(item) else str((folder / item).resolve()) for item in listed],
        recording=(folder / recording).resolve() if isinstance(recording, str) else None,
        since=str(data["since"]) if "since" in data else None,
    )


def parse_since(text: str, *, now: datetime) -> datetime:
    """``24h``, ``90m``, ``2d``, ``1w`` before ``now``, or an ISO date or datetime (UTC when no zone)."""
    match = _DURATION.match(text)
    if match:
        return now - timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})
    try:
        parsed = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ConfigError(f'--since must be like "24h", "2d" or an ISO date, got {text!r}') from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@dataclass
class Collected:
    """What a run read from its sources."""

    articles: list[Article] = field(default_factory=list)
    failures: list[FailedSource] = field(default_factory=list)
    sources: int = 0
    skipped_old: int = 0


@dataclass(frozen=True)
class _Entry:
    """An article to read, with what a feed said about it."""

    location: str
    meta: Source = field(default_factory=Source)


async def collect(
    sources: Sequence[str],
    *,
    since: datetime | None = None,
    timeout: float = 20.0,
    max_bytes: int = 5_000_000,
    concurrency: int = 8,
    on_article: Callable[[], None] | None = None,
) -> Collected:
    """Read every source; articles come back in source order, then feed order."""
    result = Collected()
    entries: list[_Entry] = []
    for source in sources:
        entries += await asyncio.to_thread(_expand, source, since, result, timeout, max_bytes)
    semaphore = asyncio.Semaphore(concurrency)

    async def read(entry: _Entry) -> Article | None:
        async with semaphore:
            try:
                article = await asyncio.to_thread(load_article, entry.location, timeout=timeout, max_bytes=max_bytes)
            except BrieferError as exc:
                result.failures.append(FailedSource(source=entry.location, error=str(exc)))
                article = None
        if on_article is not None:
            on_article()
        return _with_feed_metadata(article, entry.meta) if article else None

    read_articles = await asyncio.gather(*(read(entry) for entry in entries))
    result.articles = [article for article in read_articles if article is not None]
    return result


def _expand(source: str, since: datetime | None, result: Collected, timeout: float, max_bytes: int) -> list[_Entry]:
    """The articles a source stands for (a folder's files, a feed's entries, an OPML's feeds' entries)."""
    try:
        if not looks_like_url(source) and Path(source).is_dir():
            result.sources += 1
            files = sorted(p for p in Path(source).rglob("*") if p.suffix.lower() in ARTICLE_SUFFIXES)
            return [_Entry(str(p)) for p in files]
        kind, body = _sniff(source, timeout, max_bytes)
        if kind == "opml":
            feeds = _opml_feeds(body, source)
            return [entry for feed in feeds for entry in _expand(feed, since, result, timeout, max_bytes)]
        result.sources += 1
        return _feed_entries(body, source, since, result) if kind == "feed" else [_Entry(source)]
    except BrieferError as exc:
        result.failures.append(FailedSource(source=source, error=str(exc)))
        return []


def _sniff(source: str, timeout: float, max_bytes: int) -> tuple[str, bytes]:
    """("opml" | "feed" | "article", body): by suffix, else by the first bytes."""
    suffix = Path(urlparse(source).path).suffix.lower()
    if suffix in ARTICLE_SUFFIXES and suffix not in {".html", ".htm"} and not looks_like_url(source):
        return "article", b""
    body = _fetch(source, timeout, max_bytes)
    head = body[:2048].lower()
    if suffix == ".opml" or b"<opml" in head:
        return "opml", body
    if suffix in FEED_SUFFIXES or any(tag in head for tag in (b"<rss", b"<feed", b"<rdf:rdf")):
        return "feed", body
    return "article", b""


def _fetch(source: str, timeout: float, max_bytes: int) -> bytes:
    if not looks_like_url(source):
        try:
            return Path(source).read_bytes()[:max_bytes]
        except OSError as exc:
            raise InputError(f"cannot read {source}: {exc.strerror}") from exc
    import httpx2

    from briefer.ingest import USER_AGENT

    try:
        with httpx2.stream(
            "GET", source, timeout=timeout, follow_redirects=True, headers={"User-Agent": USER_AGENT}
        ) as r:
            if r.status_code >= 400:
                raise InputError(f"{source} answered {r.status_code}")
            chunks, size = [], 0
            for chunk in r.iter_bytes():
                chunks.append(chunk)
                size += len(chunk)
                if size > max_bytes:
                    raise InputError(f"{source} is larger than {max_bytes // 1_000_000} MB")
            return b"".join(chunks)
    except httpx2.HTTPError as exc:
        raise InputError(f"cannot fetch {source}: {type(exc).__name__}") from exc


def _opml_feeds(body: bytes, location: str) -> list[str]:
    from defusedxml import ElementTree

    try:
        root = ElementTree.fromstring(body)
    except Exception as exc:  # defusedxml raises several parse and security errors
        raise InputError(f"{location} is not a readable OPML file: {exc}") from exc
    return [_resolve(location, o.get("xmlUrl")) for o in root.iter("outline") if o.get("xmlUrl")]


def _feed_entries(body: bytes, location: str, since: datetime | None, result: Collected) -> list[_Entry]:
    import feedparser

    feed = feedparser.parse(body)
    if feed.bozo and not feed.entries:
        raise InputError(f"{location} is not a readable feed: {feed.get('bozo_exception')}")
    outlet = feed.feed.get("title")
    entries = []
    for item in feed.entries:
        published = _entry_date(item)
        if since is not None and published is not None and published < since:
            result.skipped_old += 1
            continue
        if not item.get("link"):
            continue
        meta = Source(
            title=item.get("title"),
            outlet=outlet,
            author=item.get("author"),
            published=published.isoformat().replace("+00:00", "Z") if published else None,
        )
        entries.append(_Entry(_resolve(location, item["link"]), meta))
    return entries


def _entry_date(item: Any) -> datetime | None:
    parsed = item.get("published_parsed") or item.get("updated_parsed")
    if not parsed:
        return None
    year, month, day, hour, minute, second = parsed[:6]
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def _resolve(base: str, link: str) -> str:
    """A feed or OPML link made absolute against the location of the file that holds it."""
    if looks_like_url(link):
        return link
    if looks_like_url(base):
        return urljoin(base, link)
    return str((Path(base).parent / link).resolve())


def _with_feed_metadata(article: Article, meta: Source) -> Article:
    """The page's own metadata wins; the feed fills the gaps."""
    page = article.source
    merged = page.model_copy(
        update={
            name: getattr(meta, name) for name in ("title", "outlet", "author", "published") if not getattr(page, name)
        }
    )
    return article.model_copy(update={"source": merged})

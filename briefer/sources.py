"""A reader's sources turned into articles: files, folders, http(s) pages, RSS/Atom feeds and OPML lists.

``collect`` never raises for a bad source: whatever cannot be read becomes a ``FailedSource`` and the run
goes on. Articles come back in source order, then feed order, however the reads interleave.
"""

from __future__ import annotations

import asyncio
import re
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from briefer.errors import BrieferError, ConfigError, InputError
from briefer.feeds import (
    ARTICLE_SUFFIXES,
    HTML_TYPES,
    SNIFF_BYTES,
    Feed,
    Kind,
    parse_feed,
    parse_opml,
    sniff,
    suffix_of,
)
from briefer.ingest import MAX_REDIRECTS, USER_AGENT, load_article, looks_like_url
from briefer.models import Article, FailedSource, Source

if TYPE_CHECKING:
    import httpx2

__all__ = ["Collected", "SourcesFile", "collect", "parse_since", "read_sources_file"]

SOURCES_FILE_KEYS = frozenset({"sources", "recording", "since"})
_DURATION = re.compile(r"(\d+)\s*([mhdw])", re.IGNORECASE)
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
# what trafilatura falls back on when a page names no site: its host ("news.example", "127.0.0.1:8000")
_HOST_NAME = re.compile(r"(?:[\w-]+\.)+[\w-]+(?::\d+)?|[\w-]+:\d+|localhost")

Outcome = Article | FailedSource


@dataclass(frozen=True)
class SourcesFile:
    """A sources.toml: what to read, and optionally since when and which recording to replay."""

    sources: list[str]
    recording: Path | None = None
    since: str | None = None


def read_sources_file(path: Path) -> SourcesFile:
    """Read a sources.toml (``sources``, optional ``since`` and ``recording``); paths are relative to its folder."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"sources file not found: {path}") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read sources file {path}: {_one_line(exc)}") from None
    if unknown := sorted(set(data) - SOURCES_FILE_KEYS):
        raise ConfigError(f"{path}: unknown key {', '.join(unknown)}; a sources file holds sources, since, recording")
    listed = data.get("sources")
    if not isinstance(listed, list) or not all(isinstance(item, str) and item.strip() for item in listed):
        raise ConfigError(f'{path}: sources must be a list of paths and URLs, e.g. sources = ["feeds.opml"]')
    if not listed:
        raise ConfigError(f'{path} lists no sources; add paths or URLs, e.g. sources = ["feeds.opml"]')
    recording = data.get("recording")
    if recording is not None and not (isinstance(recording, str) and recording.strip()):
        raise ConfigError(f'{path}: recording must be the path of a recording, e.g. recording = "morning.yaml"')
    folder = path.parent
    return SourcesFile(
        sources=[item.strip() if looks_like_url(item.strip()) else _beside(folder, item) for item in listed],
        recording=Path(_beside(folder, recording)) if recording is not None else None,
        since=_since_setting(data.get("since"), path),
    )


def _beside(folder: Path, item: str) -> str:
    """A path from a sources file, made absolute against the file's folder."""
    return str((folder / Path(item.strip()).expanduser()).resolve())


def _since_setting(value: object, path: Path) -> str | None:
    """The file's ``since``, checked now so that a bad one names the file it is in."""
    if value is None:
        return None
    # TOML lets a date or datetime be written unquoted: since = 2026-11-24
    text = value.isoformat() if isinstance(value, date) else value
    if not isinstance(text, str):
        raise ConfigError(f'{path}: since must be a string such as "24h" or "2026-11-24"')
    try:
        parse_since(text, now=datetime.now(UTC))
    except ConfigError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    return text


def parse_since(text: str, *, now: datetime) -> datetime:
    """``24h``, ``90m``, ``2d`` or ``1w`` before ``now``, or an ISO date or datetime (in now's zone if it has none)."""
    stripped = text.strip()
    try:
        if match := _DURATION.fullmatch(stripped):
            return now - timedelta(**{_UNITS[match.group(2).lower()]: int(match.group(1))})
        parsed = datetime.fromisoformat(stripped)
    except (ValueError, OverflowError):
        raise ConfigError(
            f'since must be a span such as "24h", "90m", "2d", "1w" or an ISO date such as 2026-11-24, got {text!r}'
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=now.tzinfo or UTC)


@dataclass
class Collected:
    """What a run read from its sources."""

    articles: list[Article] = field(default_factory=list)
    failures: list[FailedSource] = field(default_factory=list)
    sources: int = 0  # feeds, pages and files read, once OPML lists and folders are expanded
    skipped_old: int = 0  # feed entries dated before ``since``


async def collect(
    sources: Sequence[str],
    *,
    since: datetime | None = None,
    timeout: float = 20.0,
    max_bytes: int = 5_000_000,
    concurrency: int = 8,
    on_article: Callable[[], None] | None = None,
) -> Collected:
    """Read every source (no sources.toml: read it first); articles in source order, then feed order."""
    import httpx2

    if since is not None and since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    headers = {"User-Agent": USER_AGENT}
    async with httpx2.AsyncClient(
        follow_redirects=True, max_redirects=MAX_REDIRECTS, timeout=timeout, headers=headers
    ) as client:
        collector = _Collector(client, since, timeout, max_bytes, asyncio.Semaphore(max(1, concurrency)), on_article)
        per_source = await asyncio.gather(*(collector.take(source) for source in dict.fromkeys(sources)))
    collector.result.articles, collector.result.failures = _first_of_each(
        [outcome for outcomes in per_source for outcome in outcomes]
    )
    return collector.result


@dataclass(frozen=True)
class _Entry:
    """An article to read, and what its feed said about it (None when no feed listed it)."""

    location: str
    feed: Source | None = None


@dataclass(frozen=True)
class _Document:
    """A source's bytes once its kind is known; ``location`` is where links inside it resolve against."""

    kind: Kind
    body: bytes
    location: str


@dataclass(frozen=True)
class _Listing:
    """The feeds an OPML list names."""

    feeds: list[str]


@dataclass
class _Collector:
    """One run's reads: a shared client, one bound on simultaneous reads, and the tally."""

    client: httpx2.AsyncClient
    since: datetime | None
    timeout: float
    max_bytes: int
    gate: asyncio.Semaphore
    on_article: Callable[[], None] | None
    result: Collected = field(default_factory=Collected)

    async def take(self, source: str, *, in_opml: bool = False) -> list[Outcome]:
        """Everything one source yields, read: its articles and failures in the source's own order."""
        try:
            found = await self._expand(source, in_opml=in_opml)
        except BrieferError as exc:
            self.result.sources += 1
            return [FailedSource(source=source, error=str(exc))]
        except Exception as exc:  # a parser's bug on one odd document must not end the run
            self.result.sources += 1
            return [FailedSource(source=source, error=f"could not read it: {_one_line(exc)}")]
        if isinstance(found, _Listing):
            nested = await asyncio.gather(*(self.take(feed, in_opml=True) for feed in found.feeds))
            return [outcome for outcomes in nested for outcome in outcomes]
        return list(await asyncio.gather(*(self._read(item) for item in found)))

    async def _expand(self, source: str, *, in_opml: bool) -> _Listing | list[_Entry | FailedSource]:
        """A folder's files, a feed's entries, an OPML list's feeds, or the source itself as one article."""
        if not looks_like_url(source) and suffix_of(source) == ".toml":
            raise InputError(f"{source} is a sources file: read it with read_sources_file and pass its sources")
        found = await self._open(source)
        if isinstance(found, list):
            self.result.sources += len(found)
            return [_Entry(path) for path in found]
        if found.kind == "opml":
            if in_opml:
                raise InputError(f"{source} is an OPML list inside an OPML list; list its feeds in the outer one")
            return _Listing(parse_opml(found.body, location=found.location))
        if found.kind == "article":
            self.result.sources += 1
            return [_Entry(source)]
        feed = await asyncio.to_thread(parse_feed, found.body, location=found.location)
        self.result.sources += 1
        return self._entries(feed, found.location)

    def _entries(self, feed: Feed, location: str) -> list[_Entry | FailedSource]:
        items: list[_Entry | FailedSource] = []
        for entry in feed.entries:
            if self.since is not None and entry.older_than(self.since):
                self.result.skipped_old += 1
            elif entry.link is None:
                name = f"{location} ({entry.title or 'an untitled entry'})"
                items.append(FailedSource(source=name, error="the feed entry links to no article"))
            else:
                meta = Source(title=entry.title, outlet=feed.title, author=entry.author, published=entry.published)
                items.append(_Entry(entry.link, meta))
        return items

    async def _read(self, item: _Entry | FailedSource) -> Outcome:
        if isinstance(item, FailedSource):
            return item
        outcome: Outcome
        async with self.gate:
            try:
                article = await asyncio.to_thread(
                    load_article, item.location, timeout=self.timeout, max_bytes=self.max_bytes
                )
            except BrieferError as exc:
                outcome = FailedSource(source=item.location, error=str(exc))
            except Exception as exc:  # a parser's bug on one odd page must not end the run
                outcome = FailedSource(source=item.location, error=f"could not read it: {_one_line(exc)}")
            else:
                outcome = _with_feed_metadata(article, item.feed) if item.feed else article
        if self.on_article is not None:
            self.on_article()
        return outcome

    async def _open(self, source: str) -> _Document | list[str]:
        """A local source's files or bytes, or an http(s) source's bytes once it proves to be a feed or list."""
        if not looks_like_url(source):
            return await asyncio.to_thread(self._open_local, source)
        if urlsplit(source).scheme.lower() not in ("http", "https") or suffix_of(source) in ARTICLE_SUFFIXES:
            return _Document("article", b"", source)  # load_article fetches the page, or says why it cannot
        async with self.gate:
            return await self._fetch(source)

    def _open_local(self, source: str) -> _Document | list[str]:
        path = Path(source)
        if path.is_dir():
            return _folder_articles(path)
        if path.suffix.lower() in ARTICLE_SUFFIXES:
            return _Document("article", b"", source)
        try:
            with path.open("rb") as handle:
                head = handle.read(SNIFF_BYTES)
                kind = sniff(source, head)
                body = head + handle.read(self.max_bytes + 1 - len(head)) if kind != "article" else b""
        except FileNotFoundError:
            raise InputError(f"no such file or folder: {source}") from None
        except OSError as exc:
            raise InputError(f"cannot read {source}: {exc.strerror or exc}") from None
        if len(body) > self.max_bytes:
            raise InputError(f"{source} is larger than {self.max_bytes / 1_000_000:g} MB")
        return _Document(kind, body, str(path.resolve()))

    async def _fetch(self, url: str) -> _Document:
        import httpx2

        try:
            # the client's timeout bounds each connect and read; this one bounds the whole download
            async with asyncio.timeout(self.timeout), self.client.stream("GET", url) as response:
                return await self._receive(response, url)
        except (TimeoutError, httpx2.TimeoutException):
            raise InputError(f"timed out after {self.timeout:g} s fetching {url}; try again later") from None
        except httpx2.TooManyRedirects:
            raise InputError(f"{url} redirects more than {MAX_REDIRECTS} times; give the final URL") from None
        except (httpx2.HTTPError, httpx2.InvalidURL) as exc:
            raise InputError(f"could not fetch {url}: {_one_line(exc)}; check the URL and your connection") from None

    async def _receive(self, response: httpx2.Response, url: str) -> _Document:
        """A feed or OPML list whole (up to max_bytes); a page only as far as telling that it is one."""
        if not response.is_success:
            raise InputError(f"{url} answered HTTP {response.status_code} {response.reason_phrase}; check the URL")
        content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        location = str(response.url)
        if content_type in HTML_TYPES:
            return _Document("article", b"", url)
        body = bytearray()
        kind: Kind | None = None
        async for chunk in response.aiter_bytes():
            body += chunk
            if kind is None and len(body) >= SNIFF_BYTES:
                kind = sniff(location, bytes(body), content_type)
            if kind == "article":
                return _Document("article", b"", url)  # load_article fetches it again, whole, and extracts it
            if len(body) > self.max_bytes:
                raise InputError(f"{url} is larger than {self.max_bytes / 1_000_000:g} MB")
        return _Document(kind or sniff(location, bytes(body), content_type), bytes(body), location)


def _first_of_each(outcomes: list[Outcome]) -> tuple[list[Article], list[FailedSource]]:
    """Articles and failures in order, each kept once: a feed listed alone and in an OPML list is read twice."""
    articles: dict[tuple[str | None, str | None, str], Article] = {}
    failures: dict[tuple[str, str], FailedSource] = {}
    for outcome in outcomes:
        if isinstance(outcome, Article):
            articles.setdefault((outcome.source.url, outcome.source.path, outcome.content_hash), outcome)
        else:
            failures.setdefault((outcome.source, outcome.error), outcome)
    return list(articles.values()), list(failures.values())


def _folder_articles(folder: Path) -> list[str]:
    """Every .txt, .md, .markdown, .html and .htm file under ``folder``, sorted; hidden ones are left out."""
    found = [
        path
        for path in folder.rglob("*")
        if path.suffix.lower() in ARTICLE_SUFFIXES
        and not any(part.startswith(".") for part in path.relative_to(folder).parts)
        and path.is_file()
    ]
    return [str(path) for path in sorted(found)]


def _with_feed_metadata(article: Article, feed: Source) -> Article:
    """The page's metadata wins; the feed fills the gaps, and names the outlet unless the page names its site."""
    page = article.source
    update: dict[str, Any] = {
        name: getattr(feed, name)
        for name in ("title", "author", "published")
        if not getattr(page, name) and getattr(feed, name)
    }
    # a site name that is only a host name is trafilatura's guess from the URL, not the page's own (og:site_name)
    if feed.outlet and (not page.outlet or _HOST_NAME.fullmatch(page.outlet)):
        update["outlet"] = feed.outlet
    return article.model_copy(update={"source": page.model_copy(update=update)}) if update else article


def _one_line(value: object) -> str:
    return " ".join(str(value).split()).rstrip(".") or type(value).__name__

"""The one HTTP client for pages, feeds and lists, and every limit on it in one place.

Each connection goes to an address the policy allowed (``briefer._ingest.policy``), redirects included;
one deadline bounds the whole fetch (connect, headers, redirects and body); the body is capped after
decompression, and decompressed only as far as the cap.
"""

from __future__ import annotations

import asyncio
import zlib
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from briefer._errors import InputError
from briefer._version import __version__

if TYPE_CHECKING:
    import httpx2

    from briefer._config import Settings

__all__ = ["USER_AGENT", "FetchPolicy", "Fetcher", "Page", "check_url"]

USER_AGENT = f"briefer/{__version__}"
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_INFLATE = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}


@dataclass(frozen=True)
class FetchPolicy:
    """What any one read may cost, and where it may go."""

    max_bytes: int = 5_000_000  # per article, feed or list, local or downloaded
    timeout: float = 20.0  # seconds for a whole download: connect, headers, redirects and body
    allow_private_hosts: bool = False  # loopback, private and link-local addresses (never metadata ones)
    max_redirects: int = 5

    @classmethod
    def from_settings(cls, settings: Settings) -> FetchPolicy:
        """The policy the settings ask for."""
        return cls(
            max_bytes=settings.max_input_bytes,
            timeout=settings.fetch_timeout,
            allow_private_hosts=settings.allow_private_hosts,
        )

    def too_large(self, name: str) -> InputError:
        """The error for a source over the size cap."""
        return InputError(
            f"{name} is larger than the {self.max_bytes / 1_000_000:g} MB cap for a source"
            " (max_input_bytes in the config); save the article's text to a smaller file"
        )


@dataclass(frozen=True)
class Page:
    """A downloaded document: its body, final URL and declared type."""

    body: bytes
    url: str
    content_type: str
    charset: str | None


def check_url(url: str) -> str:
    """The URL's host; InputError unless it is an http(s) URL with one."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018  (raises for a port that is not a number)
    except ValueError as exc:
        raise InputError(f"{url} is not a valid URL ({exc}); check it") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise InputError(f"cannot fetch {scheme}: URLs ({url}); give an http(s) URL, or the local file's path")
    if not host:
        raise InputError(f"{url} names no host; check it")
    return host


class Fetcher:
    """One async HTTP client under one policy; use ``async with``."""

    def __init__(self, policy: FetchPolicy) -> None:
        self.policy = policy
        self._client: httpx2.AsyncClient | None = None

    async def __aenter__(self) -> Fetcher:
        # the HTTP client (and its TLS context) is made on the first download: a run of local files needs none
        return self

    def _http(self) -> httpx2.AsyncClient:
        if self._client is None:
            import httpx2

            from briefer._ingest.connect import guarded_transport

            self._client = httpx2.AsyncClient(
                transport=guarded_transport(allow_private=self.policy.allow_private_hosts),
                follow_redirects=False,  # followed below, each hop checked
                timeout=self.policy.timeout,
                headers={"User-Agent": USER_AGENT, "Accept-Encoding": ", ".join(_INFLATE)},
                trust_env=False,  # a proxy from the environment would connect where the policy never looked
            )
        return self._client

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._client is not None:
            await self._client.aclose()

    async def get(self, url: str) -> Page:
        """The document at ``url`` (redirects followed), or InputError saying why not."""
        import httpx2

        host = check_url(url)
        try:
            async with asyncio.timeout(self.policy.timeout):
                return await self._follow(url)
        except TimeoutError:
            raise InputError(f"timed out after {self.policy.timeout:g} s fetching {host}; try again later") from None
        except httpx2.TimeoutException:
            raise InputError(f"timed out after {self.policy.timeout:g} s fetching {host}; try again later") from None
        except (httpx2.HTTPError, httpx2.InvalidURL) as exc:
            cause = " ".join(str(exc).split()).rstrip(".") or type(exc).__name__
            raise InputError(f"could not fetch {url}: {cause}; check the URL and your connection") from None

    async def _follow(self, url: str) -> Page:
        for _hop in range(self.policy.max_redirects + 1):
            check_url(url)
            async with self._http().stream("GET", url) as response:
                location = response.headers.get("location")
                if response.status_code not in _REDIRECTS or not location:
                    return await self._receive(response)
                url = urljoin(str(response.url), location.strip())
        raise InputError(f"{url} redirects more than {self.policy.max_redirects} times; give the final URL")

    async def _receive(self, response: httpx2.Response) -> Page:
        if not response.is_success:
            raise InputError(
                f"{response.url} answered HTTP {response.status_code} {response.reason_phrase}; check the URL"
            )
        name = str(response.url)
        declared = response.headers.get("content-length", "")
        if (
            declared.isdigit()
            and int(declared) > self.policy.max_bytes
            and not response.headers.get("content-encoding")
        ):
            raise self.policy.too_large(name)
        inflate = _Inflater(response.headers.get("content-encoding", ""), name)
        body = bytearray()
        async for chunk in response.aiter_raw():
            body += inflate.feed(chunk, room=self.policy.max_bytes - len(body))
            if len(body) > self.policy.max_bytes:
                raise self.policy.too_large(name)
        content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        return Page(bytes(body), name, content_type, response.charset_encoding)


class _Inflater:
    """A gzip or deflate body decompressed chunk by chunk, never past the room left under the cap."""

    def __init__(self, encoding: str, name: str) -> None:
        self.name = name
        encoding = encoding.strip().lower()
        if encoding in ("", "identity"):
            self._z: Any = None
        elif encoding in _INFLATE:
            self._z = zlib.decompressobj(_INFLATE[encoding])
        else:
            raise InputError(f"{name} sent its body encoded as {encoding}, which briefer does not read")

    def feed(self, data: bytes, *, room: int) -> bytes:
        """Up to ``room + 1`` bytes of decompressed data (one more than fits tells the caller it is too large)."""
        if self._z is None:
            return data
        try:
            out = self._z.decompress(data, room + 1)
            while self._z.unconsumed_tail and len(out) <= room:
                out += self._z.decompress(self._z.unconsumed_tail, room + 1 - len(out))
        except zlib.error:
            raise InputError(f"{self.name} sent a damaged compressed body") from None
        return bytes(out)

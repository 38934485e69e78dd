"""Connections only to addresses the policy allowed: httpcore's network backend, resolving and checking.

Imported only when something is fetched (httpcore is a heavy import).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import httpcore2
import httpx2

from briefer._ingest.policy import checked_addresses

__all__ = ["guarded_transport"]


class _GuardedBackend(httpcore2.AsyncNetworkBackend):
    """Resolves each host itself, refuses disallowed addresses, and connects to the address it checked."""

    def __init__(self, *, allow_private: bool) -> None:
        self._allow_private = allow_private
        self._inner = httpcore2.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore2.AsyncNetworkStream:
        try:
            addresses = await checked_addresses(host, port, allow_private=self._allow_private)
        except OSError as exc:  # the name does not resolve
            raise httpcore2.ConnectError(f"cannot resolve {host}: {exc.strerror or exc}") from exc
        failure: Exception | None = None
        for address in addresses:
            try:
                # TLS still verifies the certificate against the URL's host name (httpcore passes it as SNI)
                return await self._inner.connect_tcp(
                    address, port, timeout=timeout, local_address=local_address, socket_options=socket_options
                )
            except (httpcore2.ConnectError, httpcore2.ConnectTimeout) as exc:
                failure = exc
        assert failure is not None
        raise failure

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore2.AsyncNetworkStream:
        raise httpcore2.ConnectError("briefer does not fetch over Unix sockets")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class _GuardedTransport(httpx2.AsyncHTTPTransport):
    """httpx's transport over a connection pool that uses the guarded backend."""

    def __init__(self, *, allow_private: bool) -> None:
        super().__init__(trust_env=False)
        # httpx has no public way to hand its pool a network backend: replace the pool it built
        self._pool = httpcore2.AsyncConnectionPool(
            ssl_context=httpx2.create_ssl_context(trust_env=False),
            network_backend=_GuardedBackend(allow_private=allow_private),
        )


def guarded_transport(*, allow_private: bool) -> httpx2.AsyncHTTPTransport:
    """A transport that connects only to addresses the policy allows."""
    return _GuardedTransport(allow_private=allow_private)

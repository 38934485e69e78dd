"""Which addresses briefer may fetch from: checked on the addresses a name resolves to, which are the ones
connected to (so a name cannot resolve to one address for the check and another for the connection).

Always refused: multicast, unspecified, reserved, IPv4-mapped and IPv4-in-IPv6 tunnel addresses, and the
cloud metadata addresses. Refused unless ``allow_private_hosts`` is set: loopback, private, link-local,
unique-local and every other address that is not globally routable.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket

from briefer._errors import InputError

__all__ = ["AddressRefused", "checked_addresses", "refusal"]

Address = ipaddress.IPv4Address | ipaddress.IPv6Address

# AWS/GCP/Azure/OpenStack, AWS ECS task metadata, AWS IPv6, Alibaba
_METADATA = frozenset(
    ipaddress.ip_address(text) for text in ("169.254.169.254", "169.254.170.2", "fd00:ec2::254", "100.100.100.200")
)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class AddressRefused(InputError):
    """A URL's host is, or resolves to, an address briefer does not fetch from."""


def refusal(address: Address, *, allow_private: bool) -> str | None:
    """Why ``address`` may not be fetched from, or None when it may."""
    if isinstance(address, ipaddress.IPv6Address) and (
        address.ipv4_mapped is not None
        or address.sixtofour is not None
        or address.teredo is not None
        or address in _NAT64
    ):
        return "an IPv4 address inside an IPv6 one"
    if address.is_loopback:  # before "reserved": ::1 sits in a reserved block
        return None if allow_private else "a loopback address"
    always = (
        (address in _METADATA, "a cloud metadata address"),
        (address.is_multicast, "a multicast address"),
        (address.is_unspecified or address.is_reserved, "a reserved address"),
    )
    for refused, why in always:
        if refused:
            return why
    if allow_private or address.is_global:
        return None
    return _private_kind(address)


def _private_kind(address: Address) -> str:
    if address.is_loopback:
        return "a loopback address"
    if address.is_link_local:
        return "a link-local address"
    if isinstance(address, ipaddress.IPv6Address) and address in ipaddress.ip_network("fc00::/7"):
        return "a unique-local address"
    return "a private address"


async def checked_addresses(host: str, port: int, *, allow_private: bool) -> list[str]:
    """The addresses ``host`` resolves to, every one allowed; AddressRefused when any is not.

    OSError when the name does not resolve.
    """
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    for text in addresses:
        address = ipaddress.ip_address(text.split("%", 1)[0])
        why = refusal(address, allow_private=allow_private)
        if why is not None:
            shown = host if host == text else f"{host} ({text})"
            private = refusal(address, allow_private=True) is None
            hint = "; for a server on this machine or network, pass --allow-private-hosts" if private else ""
            raise AddressRefused(f"briefer does not fetch from {shown}: it is {why}{hint}")
    if not addresses:
        raise OSError(f"{host} resolves to no address")
    return addresses

"""Renders a piece at a time: a large briefing is written (or printed) without ever being held whole.

Each function here yields what joins up to exactly what the whole-text renderer returns; the tests hold them to it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pydantic import BaseModel

__all__ = ["buffered", "json_pieces", "squeezed"]

_PIECE = 1 << 16  # characters per yielded piece: big enough to write efficiently, small beside any briefing


def buffered(fragments: Iterable[str], size: int = _PIECE) -> Iterator[str]:
    """Jinja's many small fragments joined into pieces of about ``size`` characters."""
    held: list[str] = []
    length = 0
    for fragment in fragments:
        held.append(fragment)
        length += len(fragment)
        if length >= size:
            yield "".join(held)
            held, length = [], 0
    if held:
        yield "".join(held)


def squeezed(pieces: Iterable[str], blank_lines: re.Pattern[str]) -> Iterator[str]:
    """``blank_lines.sub("\\n\\n", whole text)``, piece by piece: a run of newlines is held until it ends."""
    held = ""
    for piece in pieces:
        text = blank_lines.sub("\n\n", held + piece)
        body = text.rstrip("\n")
        held = text[len(body) :]
        if body:
            yield body
    if held:
        yield blank_lines.sub("\n\n", held)


def json_pieces(model: BaseModel, lists: tuple[str, ...]) -> Iterator[bytes]:
    """``model.model_dump_json(indent=2)`` as UTF-8, the items of its top-level ``lists`` one at a time.

    The model is serialised with those lists empty, and each item on its own, indented one level deeper: with
    serde's pretty printer that is byte for byte the whole serialisation (two spaces a level, ``[]`` when empty).
    A raw newline cannot occur inside a JSON string, so ``\\n  "name": []`` only matches the field itself.
    """
    import pydantic_core

    shell = pydantic_core.to_json(model.model_copy(update={name: [] for name in lists}), indent=2)
    at = 0
    for name in sorted(lists, key=lambda name: shell.index(_empty(name))):
        items = getattr(model, name)
        end = shell.index(_empty(name)) + len(_empty(name))
        if not items:
            continue
        yield shell[at : end - 1]  # up to the "]"
        for number, item in enumerate(items):
            body = pydantic_core.to_json(item, indent=2).replace(b"\n", b"\n    ")
            yield (b"\n    " if number == 0 else b",\n    ") + body
        yield b"\n  "
        at = end - 1
    yield shell[at:]


def _empty(name: str) -> bytes:
    return f'\n  "{name}": []'.encode()

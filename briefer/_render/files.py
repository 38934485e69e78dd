"""Writing renders to disk: the morning briefing's .md, .html and .json, never replacing an earlier one."""

from __future__ import annotations

import codecs
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from briefer._errors import InputError

if TYPE_CHECKING:
    from briefer._models import MorningBriefing

__all__ = [
    "MORNING_FORMATS",
    "Parts",
    "output_folder",
    "save_morning",
    "text_slices",
    "write_atomically",
    "write_morning",
]

MORNING_FORMATS = ("md", "html", "json")

Parts = Iterable[str | bytes]  # a render as written one part after the other (bytes are UTF-8)
_SLICE = 1 << 20


def write_morning(briefing: MorningBriefing, out_dir: str | os.PathLike[str]) -> list[Path]:
    """Write ``briefing`` as .md, .html and .json into ``out_dir`` under fresh names; return their paths."""
    return save_morning(briefing, out_dir)[0]


def save_morning(
    briefing: MorningBriefing, out_dir: str | os.PathLike[str], keep: str | None = None
) -> tuple[list[Path], dict[str, list[str | bytes]]]:
    """``write_morning``, and the render of format ``keep`` (a caller printing it need not render it again)."""
    from briefer._render.morning import morning_pieces

    folder = output_folder(out_dir)
    stamp = briefing.generated_at.replace(":", "").replace("-", "")[:13]
    stem, n = f"morning-{stamp}", 1
    while any((folder / f"{stem}.{ext}").exists() for ext in MORNING_FORMATS):
        n += 1
        stem = f"morning-{stamp}-{n}"
    paths = [folder / f"{stem}.{ext}" for ext in MORNING_FORMATS]
    kept: dict[str, list[str | bytes]] = {}
    written: list[Path] = []
    try:
        # each render written a piece at a time (a thousand-article briefing is tens of MB per format, more while
        # being built whole); the files appear together at the end, so a failed render leaves none of them
        for path, ext in zip(paths, MORNING_FORMATS, strict=True):
            copy = kept.setdefault(ext, []) if ext == keep else None
            written.append(_write_temporary(path, morning_pieces(briefing, ext), copy))
        for tmp, path in zip(written, paths, strict=True):
            _publish(tmp, path)
    finally:
        for tmp in written:
            tmp.unlink(missing_ok=True)
    return paths, kept


def output_folder(out_dir: str | os.PathLike[str]) -> Path:
    """The output folder, created if need be, and writable (checked before anything is paid for)."""
    folder = Path(out_dir).expanduser()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create output folder {folder}: {exc.strerror or exc}") from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InputError(f"cannot write into output folder {folder}: permission denied")
    return folder


def write_atomically(path: Path, parts: Parts) -> None:
    """Write ``parts`` via a temporary file so a failed run never leaves a half-written file."""
    tmp = _write_temporary(path, parts)
    try:
        _publish(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def text_slices(parts: Parts, size: int = _SLICE) -> Iterator[str]:
    """A render as text, a slice of at most ``size`` characters (or bytes) at a time: never held whole twice."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    for part in parts:
        for start in range(0, len(part), size):
            piece = part[start : start + size]
            yield decoder.decode(piece) if isinstance(piece, bytes) else piece
    decoder.decode(b"", final=True)  # a bytes part cut inside a character fails here, as a whole decode would


def _write_temporary(path: Path, parts: Parts, copy: list[str | bytes] | None = None) -> Path:
    """``parts`` in a temporary file beside ``path`` (and into ``copy``); InputError naming ``path`` if unwritable."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("wb") as handle:
            for part in parts:
                if copy is not None:
                    copy.append(part)
                if isinstance(part, bytes):
                    handle.write(part)
                    continue
                for start in range(0, len(part), _SLICE):  # encoded a slice at a time, not as one copy
                    handle.write(part[start : start + _SLICE].encode())
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InputError(f"cannot write {path}: {exc.strerror}") from exc
    return tmp


def _publish(tmp: Path, path: Path) -> None:
    try:
        tmp.replace(path)
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror}") from exc

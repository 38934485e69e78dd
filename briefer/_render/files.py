"""Writing renders to disk: the morning briefing's .md, .html and .json, never replacing an earlier one."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from briefer._errors import InputError

if TYPE_CHECKING:
    from briefer._models import MorningBriefing

__all__ = ["MORNING_FORMATS", "output_folder", "save_morning", "write_atomically", "write_morning"]

MORNING_FORMATS = ("md", "html", "json")


def write_morning(briefing: MorningBriefing, out_dir: str | os.PathLike[str]) -> list[Path]:
    """Write ``briefing`` as .md, .html and .json into ``out_dir`` under fresh names; return their paths."""
    return save_morning(briefing, out_dir)[0]


def save_morning(
    briefing: MorningBriefing, out_dir: str | os.PathLike[str], keep: str | None = None
) -> tuple[list[Path], dict[str, str]]:
    """``write_morning``, and the text of format ``keep`` (a caller printing it need not render it again)."""
    from briefer._render.morning import render_morning

    folder = output_folder(out_dir)
    stamp = briefing.generated_at.replace(":", "").replace("-", "")[:13]
    stem, n = f"morning-{stamp}", 1
    while any((folder / f"{stem}.{ext}").exists() for ext in MORNING_FORMATS):
        n += 1
        stem = f"morning-{stamp}-{n}"
    paths = [folder / f"{stem}.{ext}" for ext in MORNING_FORMATS]
    kept: dict[str, str] = {}
    written: list[Path] = []
    try:
        # one render in memory at a time (a thousand-article briefing is tens of MB per format); the files
        # appear together at the end, so a failed render leaves none of them
        for path, ext in zip(paths, MORNING_FORMATS, strict=True):
            text = render_morning(briefing, ext)
            written.append(_write_temporary(path, text))
            if ext == keep:
                kept[ext] = text
            del text
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


def write_atomically(path: Path, text: str) -> None:
    """Write via a temporary file so a failed run never leaves a half-written file."""
    tmp = _write_temporary(path, text)
    try:
        _publish(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _write_temporary(path: Path, text: str) -> Path:
    """``text`` in a temporary file beside ``path``; InputError naming ``path`` when it cannot be written."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InputError(f"cannot write {path}: {exc.strerror}") from exc
    return tmp


def _publish(tmp: Path, path: Path) -> None:
    try:
        tmp.replace(path)
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror}") from exc

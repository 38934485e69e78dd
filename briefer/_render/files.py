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


def save_morning(briefing: MorningBriefing, out_dir: str | os.PathLike[str]) -> tuple[list[Path], dict[str, str]]:
    """``write_morning``, and the texts it wrote by format (a caller printing one need not render it again)."""
    from briefer._render.morning import render_morning

    folder = output_folder(out_dir)
    stamp = briefing.generated_at.replace(":", "").replace("-", "")[:13]
    stem, n = f"morning-{stamp}", 1
    while any((folder / f"{stem}.{ext}").exists() for ext in MORNING_FORMATS):
        n += 1
        stem = f"morning-{stamp}-{n}"
    paths = [folder / f"{stem}.{ext}" for ext in MORNING_FORMATS]
    texts = {ext: render_morning(briefing, ext) for ext in MORNING_FORMATS}
    for path, ext in zip(paths, MORNING_FORMATS, strict=True):
        write_atomically(path, texts[ext])
    return paths, texts


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
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InputError(f"cannot write {path}: {exc.strerror}") from exc

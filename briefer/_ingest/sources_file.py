"""A reader's sources.toml, and what ``since`` means."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from briefer._errors import ConfigError, InputError
from briefer._ingest.local import read_local, resolve
from briefer._ingest.source import looks_like_url

__all__ = ["SourcesFile", "parse_since", "read_sources_file"]

SOURCES_FILE_KEYS = frozenset({"sources", "recording", "since"})
MAX_SOURCES_FILE_BYTES = 1_000_000
_DURATION = re.compile(r"(\d+)\s*([mhdw])", re.IGNORECASE)
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


@dataclass(frozen=True)
class SourcesFile:
    """A sources.toml: what to read, and optionally since when and which recording to replay."""

    sources: list[str]
    recording: Path | None = None
    since: str | None = None


def read_sources_file(path: Path) -> SourcesFile:
    """Read a sources.toml (``sources``, optional ``since`` and ``recording``); paths are relative to its folder.

    InputError when the file cannot be read or says something else (as for any file given to read).
    """
    raw = read_local(str(path), MAX_SOURCES_FILE_BYTES)
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"cannot read sources file {path}: {_one_line(exc)}") from None
    if unknown := sorted(set(data) - SOURCES_FILE_KEYS):
        raise InputError(f"{path}: unknown key {', '.join(unknown)}; a sources file holds sources, since, recording")
    listed = data.get("sources")
    if not isinstance(listed, list) or not all(isinstance(item, str) and item.strip() for item in listed):
        raise InputError(f'{path}: sources must be a list of paths and URLs, e.g. sources = ["feeds.opml"]')
    if not listed:
        raise InputError(f'{path} lists no sources; add paths or URLs, e.g. sources = ["feeds.opml"]')
    recording = data.get("recording")
    if recording is not None and not (isinstance(recording, str) and recording.strip()):
        raise InputError(f'{path}: recording must be the path of a recording, e.g. recording = "morning.yaml"')
    folder = path.parent
    return SourcesFile(
        sources=[item.strip() if looks_like_url(item.strip()) else _beside(folder, item) for item in listed],
        recording=Path(_beside(folder, recording)) if recording is not None else None,
        since=_since_setting(data.get("since"), path),
    )


def _beside(folder: Path, item: str) -> str:
    """A path from a sources file, made absolute against the file's folder."""
    return str(resolve(str(folder / Path(item.strip()).expanduser())))


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


def _one_line(value: object) -> str:
    return " ".join(str(value).split()).rstrip(".") or type(value).__name__

"""The state file on disk: one morning run at a time, and a damaged file moved aside for a fresh one."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

from briefer._errors import ConfigError
from briefer._store import DamagedStateError, Store

__all__ = ["open_store", "run_lock"]

log = logging.getLogger("briefer._store")
_SIDE_FILES = ("", "-wal", "-shm", "-journal")


@asynccontextmanager
async def run_lock(path: Path) -> AsyncIterator[None]:
    """Hold the state file's run lock; a second run waits here until the first has finished."""
    if str(path) == ":memory:":
        yield
        return
    from filelock import FileLock, Timeout

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"cannot create the folder of state database {path}: {exc.strerror}") from exc
    # briefings the first run pays for are in the store when the second one starts: it pays for none twice
    # not thread-local: it is acquired in a worker thread (the wait must not block the event loop)
    lock = FileLock(path.with_name(path.name + ".lock"), thread_local=False)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        log.warning("another briefer run is using %s; waiting for it to finish", path)
        await asyncio.to_thread(lock.acquire)
    try:
        yield
    finally:
        lock.release()


def open_store(path: Path) -> Store:
    """The Store at ``path``; a damaged file is moved aside (never written into) and a fresh one started."""
    try:
        return Store(path)
    except DamagedStateError as exc:
        aside = _move_aside(path)
        log.warning("%s; moved it to %s and started a new one", exc, aside)
        return Store(path)


def _move_aside(path: Path) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    aside = path.with_name(f"{path.name}.damaged-{stamp}")
    for suffix in _SIDE_FILES:
        side = path.with_name(path.name + suffix)
        if side.exists():
            try:
                side.rename(aside.with_name(aside.name + suffix))
            except OSError as error:
                raise ConfigError(
                    f"state database {path} is damaged and cannot be moved aside: {error.strerror}"
                ) from error
    return aside

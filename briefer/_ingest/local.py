"""Reading local files safely: regular files only, never past the size cap, every OS error one line."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from briefer._errors import InputError

__all__ = ["is_folder", "read_local", "resolve"]

_SPECIAL = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def read_local(path: str, max_bytes: int) -> bytes:
    """The bytes of the regular file at ``path``; InputError for anything else, or over ``max_bytes``."""
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer (no effect on a regular file)
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        hint = " (for a web page give the full https:// URL)" if path.lower().startswith("www.") else ""
        raise InputError(f"no such file: {path}{hint}") from None
    except PermissionError:
        raise InputError(f"cannot read {path}: permission denied; check the file's permissions") from None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {_reason(exc)}") from None
    try:
        info = os.fstat(fd)
        _check_kind(path, info.st_mode)
        if info.st_size > max_bytes:
            raise _too_large(path, max_bytes)
        with os.fdopen(os.dup(fd), "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(f"cannot read {path}: {_reason(exc)}") from None
    finally:
        os.close(fd)
    if len(data) > max_bytes:  # the file grew while we looked
        raise _too_large(path, max_bytes)
    return data


def is_folder(path: str) -> bool:
    """True for a folder; False for anything else, InputError when the path cannot even be looked at."""
    try:
        return stat.S_ISDIR(os.stat(path).st_mode)
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise InputError(f"cannot read {path}: {_reason(exc)}") from None


def _check_kind(path: str, mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise InputError(f"{path} is a directory; give the path of an article file inside it")
    for test, kind in _SPECIAL:
        if test(mode):
            raise InputError(f"{path} is {kind}, not a file; save the article to a file and pass that")


def _too_large(path: str, max_bytes: int) -> InputError:
    return InputError(
        f"{path} is larger than the {max_bytes / 1_000_000:g} MB cap for a source"
        " (max_input_bytes in the config); pass a smaller file"
    )


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc) or type(exc).__name__


def resolve(path: str) -> Path:
    """An absolute path, without following the OS errors out as tracebacks."""
    try:
        return Path(path).resolve()
    except (OSError, RuntimeError) as exc:
        raise InputError(f"cannot read {path}: {exc}") from None

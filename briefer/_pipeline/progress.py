"""How a long job reports progress without printing: the caller passes an object that does the showing."""

from __future__ import annotations

from typing import Protocol

__all__ = ["NO_PROGRESS", "Progress"]


class Progress(Protocol):
    """Receives the stages of a job and their steps (the CLI draws them as progress bars on stderr)."""

    def stage(self, name: str, total: int) -> None:
        """A stage begins with ``total`` steps."""

    def advance(self, name: str, steps: int = 1) -> None:
        """``steps`` more steps of stage ``name`` are done."""


class _Silent:
    def stage(self, name: str, total: int) -> None:
        """Ignore."""

    def advance(self, name: str, steps: int = 1) -> None:
        """Ignore."""


NO_PROGRESS: Progress = _Silent()

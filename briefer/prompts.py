"""Prompt folders: loading, rendering and versioning.

Each prompt is a folder (``prompts/<name>/``) holding ``system.j2``, ``user.j2`` and a README naming its
variables and output model. Templates render with ``StrictUndefined``, so a missing variable is an error,
never an empty string. A prompt's version is a hash of its template sources and travels with every result.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jinja2

__all__ = ["Prompt", "load_prompt", "prompts_dir"]

_DELIMITER = re.compile(r"<\s*/?\s*articles?\s*>", re.IGNORECASE)


@dataclass(frozen=True)
class Prompt:
    """A rendered-on-demand pair of chat messages, with the version of its sources."""

    name: str
    version: str
    system: jinja2.Template
    user: jinja2.Template

    def messages(self, **variables: Any) -> list[dict[str, str]]:
        """Render the system and user messages."""
        return [
            {"role": "system", "content": self.system.render(**variables).strip()},
            {"role": "user", "content": self.user.render(**variables).strip()},
        ]


def prompts_dir() -> Path:
    """The prompts folder: inside the installed package, or at the root of a source checkout."""
    packaged = Path(__file__).parent / "prompts"
    if packaged.is_dir():
        return packaged
    return Path(__file__).parent.parent / "prompts"


def untrusted(text: str) -> str:
    """Neutralise article delimiters inside untrusted text so it cannot close its own fence."""
    return _DELIMITER.sub(lambda match: match.group(0).replace("<", "[").replace(">", "]"), text)


@cache
def load_prompt(name: str) -> Prompt:
    """Load ``prompts/<name>/`` (cached for the life of the process)."""
    import jinja2

    folder = prompts_dir() / name
    if not folder.is_dir():
        raise FileNotFoundError(f"prompt folder not found: {folder}")
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # prompts are plain text for a model, not HTML
        keep_trailing_newline=True,
    )
    env.filters["untrusted"] = untrusted
    sources = [(folder / part).read_text(encoding="utf-8") for part in ("system.j2", "user.j2")]
    version = hashlib.sha256("\0".join(sources).encode("utf-8")).hexdigest()[:12]
    return Prompt(
        name=name,
        version=version,
        system=env.get_template("system.j2"),
        user=env.get_template("user.j2"),
    )

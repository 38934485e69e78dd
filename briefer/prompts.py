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

# The prompts' fences are <article>, <articles> and <facts>. Any opening bracket (or a look-alike, or an HTML
# entity for one) that starts such a tag, with or without "/", spaces, attributes or a closing bracket, is
# defused: nothing in untrusted text can close a fence, or open one that looks like briefer's own.
_FENCE_NAMES = r"(?:articles?|facts)\b"
_OPENERS = r"(?:<|\uff1c|\ufe64|\u2329|\u3008|\u2039|&lt;?|&#0*60;?|&#x0*3c;?)"
_CLOSERS = r"(?:>|\uff1e|\ufe65|\u232a|\u3009|\u203a|&gt;?|&#0*62;?|&#x0*3e;?)"
_FENCE = re.compile(
    rf"{_OPENERS}(\s*(?:/|\uff0f|&#0*47;?|&#x0*2f;?|&sol;)?\s*{_FENCE_NAMES}[^<>\n&\uff1e\ufe65\u232a\u3009\u203a]{{0,200}})({_CLOSERS})?",
    re.IGNORECASE,
)
# invisible characters that could hide a fence from the filter but not from the model, and terminal controls
_INVISIBLE = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)


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


def untrusted(text: object) -> str:
    """Untrusted text made safe inside a prompt's fence: no spelling of a fence tag survives, nor controls."""
    visible = _INVISIBLE.sub("", str(text))
    return _FENCE.sub(lambda match: f"[{match.group(1)}{']' if match.group(2) else ''}", visible)


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

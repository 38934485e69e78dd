"""Prompt folders: loading, rendering and versioning.

Each prompt is a folder (``prompts/<name>/``) holding ``system.j2``, ``user.j2`` and a README naming its
variables and output model. Templates render with ``StrictUndefined``, so a missing variable is an error,
never an empty string. A prompt's version is a hash of its template sources and travels with every result.

A user's folder of overrides (the ``prompts`` setting, ``--prompts``) holds ``<name>/system.j2`` and/or
``<name>/user.j2``; each file found there replaces the shipped one, and its text enters the version.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jinja2

__all__ = ["Prompt", "load_prompt", "prompt_overrides", "prompts_dir", "template_of"]

PARTS = ("system", "user")
_OVERRIDES: ContextVar[Path | None] = ContextVar("briefer_prompt_overrides", default=None)
# rendered message text -> the template file it came from, so a replay miss can name the changed template
_RENDERED: dict[str, Path] = {}
_MAX_RENDERED = 512

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
    sources: tuple[str, str]  # the system and user templates' text
    files: tuple[Path, Path] = (Path("system.j2"), Path("user.j2"))  # where system and user came from

    @cached_property
    def _templates(self) -> tuple[jinja2.Template, jinja2.Template]:
        # compiled on first render: a rerun that only needs versions never compiles a template
        return _compile(self.files, self.sources)

    @property
    def system(self) -> jinja2.Template:
        """The system message's template."""
        return self._templates[0]

    @property
    def user(self) -> jinja2.Template:
        """The user message's template."""
        return self._templates[1]

    def messages(self, **variables: Any) -> list[dict[str, str]]:
        """Render the system and user messages."""
        rendered = [self.system.render(**variables).strip(), self.user.render(**variables).strip()]
        if len(_RENDERED) > _MAX_RENDERED:
            _RENDERED.clear()
        _RENDERED.update(zip(rendered, self.files, strict=True))
        return [{"role": role, "content": text} for role, text in zip(PARTS, rendered, strict=True)]


def template_of(message: str) -> Path | None:
    """The template file a message was rendered from in this process, if it was (a suffix may follow it)."""
    exact = _RENDERED.get(message)
    if exact is not None:
        return exact
    return next((path for text, path in _RENDERED.items() if text and message.startswith(text)), None)


@contextmanager
def prompt_overrides(folder: str | os.PathLike[str] | None) -> Iterator[None]:
    """Within the block, templates in ``folder/<name>/`` replace the shipped ones (None: the shipped ones)."""
    if folder is not None and not Path(folder).expanduser().is_dir():
        from briefer._errors import ConfigError

        raise ConfigError(f"prompt overrides folder not found: {folder}")
    token = _OVERRIDES.set(Path(folder).expanduser().resolve() if folder is not None else None)
    try:
        yield
    finally:
        _OVERRIDES.reset(token)


@cache  # where the package is installed does not change while it runs; every request's prompt asks
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


def load_prompt(name: str) -> Prompt:
    """Load ``prompts/<name>/``, with any override of its templates in force (see ``prompt_overrides``)."""
    override = _OVERRIDES.get()
    files = tuple(_template_file(name, part, override) for part in PARTS)
    stamps = tuple(path.stat().st_mtime_ns for path in files)
    return _load(name, files, stamps)


def _template_file(name: str, part: str, override: Path | None) -> Path:
    """The override of ``<name>/<part>.j2`` if there is one, else the shipped template."""
    if override is not None and (override / name / f"{part}.j2").is_file():
        return override / name / f"{part}.j2"
    folder = prompts_dir() / name
    if not folder.is_dir():
        raise FileNotFoundError(f"prompt folder not found: {folder}")
    return folder / f"{part}.j2"


@cache
def _load(name: str, files: tuple[Path, ...], stamps: tuple[int, ...]) -> Prompt:
    """Load the templates at ``files`` (cached per file and modification time)."""
    system, user = (path.read_text(encoding="utf-8") for path in files)
    version = hashlib.sha256(f"{system}\0{user}".encode()).hexdigest()[:12]
    return Prompt(name=name, version=version, sources=(system, user), files=(files[0], files[1]))


def _compile(files: tuple[Path, Path], sources: tuple[str, str]) -> tuple[jinja2.Template, jinja2.Template]:
    """The system and user templates, compiled from ``sources`` (read from ``files``)."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(sorted({str(path.parent) for path in files})),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # prompts are plain text for a model, not HTML
        keep_trailing_newline=True,
    )
    env.filters["untrusted"] = untrusted
    return env.from_string(sources[0]), env.from_string(sources[1])

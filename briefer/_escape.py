"""Untrusted text made safe for where it is shown: a terminal, or Markdown.

Article text, feed fields, file names and model output can carry terminal control sequences (OSC 8
hyperlinks, title changes, BEL, C1 controls) and raw HTML or ``javascript:`` links; none of it may act.
"""

from __future__ import annotations

import re

__all__ = ["MarkdownSafe", "for_stdout", "markdown_text", "printable"]

# C0 controls but tab and newline; DEL; C1 controls; bidirectional overrides and isolates (they reorder
# what the reader sees); the line and paragraph separators some terminals honour
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: object, *, newlines: bool = True) -> str:
    """``text`` with every control character shown as an escape (``\\x1b``), so none reaches a terminal.

    Tabs are kept, and newlines unless ``newlines`` is false (then they are escaped too, for one-line messages).
    """
    shown = _UNPRINTABLE.sub(_escaped, str(text))
    return shown if newlines else shown.replace("\n", "\\n")


def for_stdout(text: str, fmt: str) -> str:
    """A render made safe to print: control characters escaped (in JSON, as JSON escapes, so it stays valid)."""
    if fmt == "json":
        # pydantic escapes C0 controls inside strings already; C1 controls and bidi overrides it leaves raw
        return _UNPRINTABLE.sub(lambda match: f"\\u{ord(match.group(0)):04x}", text)
    return printable(text)


class MarkdownSafe(str):
    """Markdown that briefer itself built (a checked link, an escaped table cell): printed as it is."""

    __slots__ = ()


# what lets text become raw HTML, a link, an image or a reference definition; the backslash itself first,
# or "\<" in the text would become an escaped backslash followed by a live "<"
_MARKDOWN_ACTIVE = re.compile(r"[\\<>\[\]&]")


def markdown_text(value: object) -> str:
    """A value for a Markdown document: no raw HTML, no link, no control character can come of it.

    Used as the Markdown templates' ``finalize``: every ``{{ value }}`` passes through it.
    """
    if isinstance(value, MarkdownSafe):
        return str(value)
    text = printable("" if value is None else value)
    return _MARKDOWN_ACTIVE.sub(lambda match: "\\" + match.group(0), text)

"""The exceptions briefer raises, and nothing else.

    BrieferError                    anything briefer reports to its user
    ├── ConfigError                 a setting is missing or malformed (key, base URL, config file)
    ├── InputError                  an article cannot be read: missing file, bad URL, empty text
    ├── ReplayError                 a recording is missing, or does not hold the request being made
    └── LLMError                    the model endpoint failed us; carries the usage spent so far
        ├── EndpointError           unreachable, timed out, refused (401/403/404/400) or out of quota
        ├── TruncatedOutputError    the model stopped at max_tokens (finish_reason "length")
        ├── RefusalError            the model refused, or a content filter stopped it
        └── InvalidOutputError      the output never validated, even after the re-asks

Every message is one line that names the fix where there is one. The CLI turns each class into its
exit code in one place (``briefer._cli.EXIT_CODES``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from briefer._models import Usage

__all__ = [
    "BrieferError",
    "ConfigError",
    "EndpointError",
    "InputError",
    "InvalidOutputError",
    "LLMError",
    "RefusalError",
    "ReplayError",
    "TruncatedOutputError",
]


class BrieferError(Exception):
    """Base of every error briefer reports to its user."""


class ConfigError(BrieferError):
    """A setting is missing or malformed."""


class InputError(BrieferError):
    """An article cannot be read or holds no text."""


class ReplayError(BrieferError):
    """A recording is missing or does not hold the request being made."""


class LLMError(BrieferError):
    """The model endpoint failed; ``usage`` holds the tokens spent before it did."""

    def __init__(self, message: str, *, usage: Usage | None = None) -> None:
        super().__init__(message)
        self.usage = usage


class EndpointError(LLMError):
    """The endpoint was unreachable, timed out, or refused the request."""


class TruncatedOutputError(LLMError):
    """The model hit max_tokens before finishing its answer."""


class RefusalError(LLMError):
    """The model refused, or a content filter stopped the answer."""


class InvalidOutputError(LLMError):
    """The model's output did not validate against the schema after every re-ask."""


# Users meet these as briefer.ReplayError etc. (tracebacks, pickles, repr): the public name, not this module's.
for _name in __all__:
    globals()[_name].__module__ = "briefer"

"""Transport retries (tenacity) and the translation of openai's exceptions into briefer's.

This loop retries only what a second try can fix: 429 (except ``insufficient_quota``), 5xx, timeouts and
connection errors. It never sees validation problems; those are re-asked by ``briefer._llm.client``, so the
two loops never nest into each other's budgets.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import tenacity

from briefer._errors import EndpointError, LLMError, ReplayError
from briefer._llm.lazy import lazy_module
from briefer._llm.modes import is_mode_rejection
from briefer._models import Usage

if TYPE_CHECKING:
    import openai
else:
    openai = lazy_module("openai")

__all__ = ["ModeRejected", "is_replay_miss", "is_transient", "retry_after", "retrying", "translate"]

MAX_ATTEMPTS = 6
MAX_REFUSED_ATTEMPTS = 3  # a refused connection means no server: three tries, not a minute of backoff
MAX_BACKOFF = 30.0
MAX_RETRY_AFTER = 60.0


class ModeRejected(Exception):
    """The endpoint refused the requested output mode (the ladder steps down)."""


def _replay_miss(exc: BaseException) -> BaseException | None:
    """The recording's 'no such request' error hiding under openai's connection error, if any."""
    seen: BaseException | None = exc
    while seen is not None:
        if type(seen).__name__ == "CannotOverwriteExistingCassetteException":
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def is_replay_miss(exc: BaseException) -> bool:
    """True when a replayed recording holds no response for the request."""
    return _replay_miss(exc) is not None


def _status_body(exc: openai.APIStatusError) -> str:
    try:
        return exc.response.text
    except Exception:  # a streamed or closed body; the message still carries the gist
        return str(exc)


def is_transient(exc: BaseException) -> bool:
    """True for failures a later attempt may not meet: 429, 5xx, timeouts, dropped connections."""
    if _replay_miss(exc) is not None:
        return False
    if isinstance(exc, openai.APIConnectionError):  # includes APITimeoutError
        return True
    if isinstance(exc, openai.RateLimitError):
        return getattr(exc, "code", None) != "insufficient_quota"
    if isinstance(exc, openai.APIStatusError):
        status = exc.status_code
        if is_mode_rejection(status, _status_body(exc)):
            return False
        return status in {408, 409} or status >= 500
    return False


def retry_after(exc: BaseException | None) -> float | None:
    """Seconds the server asked us to wait (``retry-after-ms`` or ``retry-after``), if it did."""
    if not isinstance(exc, openai.APIStatusError):
        return None
    headers = exc.response.headers
    for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        value = headers.get(name)
        if value is None:
            continue
        try:
            return max(0.0, float(value) * scale)
        except ValueError:
            continue  # an HTTP date: fall back to our own backoff
    return None


def _wait(state: tenacity.RetryCallState) -> float:
    exc = state.outcome.exception() if state.outcome else None
    asked = retry_after(exc)
    if asked is not None:
        return min(asked, MAX_RETRY_AFTER)
    # exponential backoff with full jitter: 0..min(30, 2^n) seconds
    return random.uniform(0, min(MAX_BACKOFF, 2.0**state.attempt_number))


class _StopWhenRefused(tenacity.stop.stop_base):
    """Stop after MAX_REFUSED_ATTEMPTS when the connection itself fails (not a timeout)."""

    def __call__(self, retry_state: tenacity.RetryCallState) -> bool:
        exc = retry_state.outcome.exception() if retry_state.outcome else None
        refused = isinstance(exc, openai.APIConnectionError) and not isinstance(exc, openai.APITimeoutError)
        return refused and retry_state.attempt_number >= MAX_REFUSED_ATTEMPTS


def retrying(total_seconds: float, before_sleep: Callable[[tenacity.RetryCallState], None] | None = None) -> Any:
    """A tenacity AsyncRetrying for transient failures, bounded in attempts and total time."""
    return tenacity.AsyncRetrying(
        retry=tenacity.retry_if_exception(is_transient),
        wait=_wait,
        stop=tenacity.stop_any(
            tenacity.stop_after_attempt(MAX_ATTEMPTS), tenacity.stop_before_delay(total_seconds), _StopWhenRefused()
        ),
        before_sleep=before_sleep,
        reraise=True,
    )


def translate(exc: Exception, endpoint: str, model: str, usage: Usage) -> LLMError | ReplayError:  # noqa: PLR0911
    """Turn an openai exception into briefer's one-line error."""
    miss = _replay_miss(exc)
    if miss is not None:
        from briefer._replay import explain_miss

        return ReplayError(explain_miss(miss))  # the whole diff: it is what tells the user what changed
    if isinstance(exc, openai.APITimeoutError):
        return EndpointError(f"{endpoint} timed out (raise timeout in the config or BRIEFER_TIMEOUT)", usage=usage)
    if isinstance(exc, openai.APIConnectionError):
        return EndpointError(f"cannot reach {endpoint}: is the server running and the base URL right?", usage=usage)
    if isinstance(exc, openai.AuthenticationError):
        return EndpointError(f"{endpoint} refused the API key (401): check OPENAI_API_KEY", usage=usage)
    if isinstance(exc, openai.PermissionDeniedError):
        return EndpointError(f"{endpoint} denied access (403) to model {model}", usage=usage)
    if isinstance(exc, openai.NotFoundError):
        return EndpointError(f"{endpoint} has no model {model!r} (404): check BRIEFER_MODEL or --model", usage=usage)
    if isinstance(exc, openai.RateLimitError) and getattr(exc, "code", None) == "insufficient_quota":
        return EndpointError(f"{endpoint}: the account is out of quota (insufficient_quota)", usage=usage)
    if isinstance(exc, openai.APIStatusError):
        detail = _first_line(getattr(exc, "message", "") or str(exc))
        return EndpointError(f"{endpoint} answered {exc.status_code}: {detail}", usage=usage)
    return EndpointError(f"{endpoint}: {type(exc).__name__}: {_first_line(str(exc))}", usage=usage)


def _first_line(text: str, limit: int = 300) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"

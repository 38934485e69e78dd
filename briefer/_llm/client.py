"""The one place briefer talks to a model: structured output with a mode ladder and bounded re-asks."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from briefer._config import DEFAULT_CONCURRENCY, Settings
from briefer._errors import EndpointError, InvalidOutputError, RefusalError, TruncatedOutputError
from briefer._llm.lazy import lazy_module
from briefer._llm.limits import RateLimits, Slots
from briefer._llm.modes import LADDER, ModeMemory, OutputMode, is_mode_rejection, response_format
from briefer._llm.schema import OutputProblem, OutputSchema, extract_json, looks_like_schema, output_schema
from briefer._llm.secrets import scrub_secrets
from briefer._llm.transport import ModeRejected, is_replay_miss, retry_after, retrying, translate
from briefer._models import Usage

if TYPE_CHECKING:
    import openai
else:
    openai = lazy_module("openai")

__all__ = ["LLM", "MAX_REASKS", "Structured"]

MAX_REASKS = 2
log = logging.getLogger("briefer._llm")

T = TypeVar("T", bound=BaseModel)


@dataclass(frozen=True)
class Structured(Generic[T]):
    """A validated answer, the mode that produced it, and the usage of every attempt."""

    value: T
    mode: OutputMode
    usage: Usage


class _Meter:
    """Usage summed over every request, successful or not."""

    def __init__(self) -> None:
        self.usage = Usage()

    def add(self, completion: Any | None) -> None:
        tokens = getattr(completion, "usage", None)
        self.usage = self.usage + Usage(
            requests=1,
            prompt_tokens=getattr(tokens, "prompt_tokens", 0) or 0,
            completion_tokens=getattr(tokens, "completion_tokens", 0) or 0,
        )


class LLM:
    """A model behind an OpenAI-compatible endpoint, asked for answers that validate against a schema."""

    def __init__(self, settings: Settings, client: Any | None = None, memory: ModeMemory | None = None) -> None:
        self.settings = settings
        self._owned: Any | None = None
        self._given = client
        self._ready = settings.require_endpoint() if client is None else settings
        self._configured: Any | None = None  # made on the first request: a run that asks nothing never loads openai
        base_url = client.base_url if client is not None else self._ready.base_url or "https://api.openai.com/v1"
        self.endpoint = str(base_url).rstrip("/")
        self.model = settings.model
        self.memory = memory or ModeMemory()
        self.limits = RateLimits(settings.requests_per_minute, settings.tokens_per_minute)
        # the one bound on requests in flight, whatever stage or job asks
        self.slots = Slots(settings.concurrency)
        if not settings.concurrency_chosen and (settings.requests_per_minute or settings.tokens_per_minute):
            # a rate the user set is paced by briefer itself: more than one request may wait at the server
            self.slots = Slots(max(settings.concurrency, DEFAULT_CONCURRENCY))

    @property
    def _client(self) -> Any:
        """The openai client requests go through, with openai's own retries off."""
        if self._configured is None:
            client = self._given
            if client is None:
                client = self._owned = openai.AsyncOpenAI(api_key=self._ready.api_key, base_url=self._ready.base_url)
            # briefer's own tenacity policy retries; the client's retries would multiply with it.
            self._configured = client.with_options(max_retries=0, timeout=self.settings.timeout)
        return self._configured

    @property
    def _is_async(self) -> bool:
        return self._given is None or isinstance(self._given, openai.AsyncOpenAI)

    async def aclose(self) -> None:
        """Close the HTTP connections of a client briefer made (a caller's own client stays open)."""
        if self._owned is not None:
            await self._owned.close()

    async def structured(
        self, messages: list[dict[str, str]], output_type: type[T], *, name: str, max_tokens: int | None = None
    ) -> Structured[T]:
        """Ask for JSON matching ``output_type``; re-ask at most MAX_REASKS times with the errors."""
        # one slot for the whole exchange: the mode is read once the slot is ours, so a request queued
        # behind one that stepped down the ladder starts where that one ended
        async with self.slots:
            answer = await self._exchange(messages, output_type, name=name, max_tokens=max_tokens)
        await self.slots.let_waiting_in()
        return answer

    async def _exchange(
        self, messages: list[dict[str, str]], output_type: type[T], *, name: str, max_tokens: int | None
    ) -> Structured[T]:
        meter = _Meter()
        schema = output_schema(output_type)
        mode = self.memory.get(self.endpoint, self.model) or LADDER[0]
        conversation = list(messages)  # the caller's list is never mutated
        problem = ""
        for _attempt in range(1 + MAX_REASKS):
            completion, mode = await self._complete(conversation, mode, name, schema, max_tokens, meter)
            content = self._content(completion, meter, max_tokens)
            try:
                value = _validate(content, output_type)
            except OutputProblem as exc:
                problem = str(exc)
                log.info("%s: output did not validate (%s); re-asking", name, problem)
                # only the latest failed answer goes back, so the conversation never grows
                conversation = [*messages, {"role": "assistant", "content": content}, _reask(problem)]
                continue
            self.memory.remember(self.endpoint, self.model, mode)
            return Structured(value=value, mode=mode, usage=meter.usage)
        raise InvalidOutputError(
            f"{self.model} gave no valid {output_type.__name__} after {MAX_REASKS} re-asks: {problem}",
            usage=meter.usage,
        )

    async def _complete(
        self,
        conversation: list[dict[str, str]],
        mode: OutputMode,
        name: str,
        schema: OutputSchema,
        max_tokens: int | None,
        meter: _Meter,
    ) -> tuple[Any, OutputMode]:
        """One completion, stepping down the ladder each time the endpoint rejects a mode."""
        while True:
            try:
                request = self._request(conversation, mode, name, schema, max_tokens)
                return await self._send(request, meter), mode
            except ModeRejected as rejected:
                lower = LADDER.index(mode) + 1
                if lower >= len(LADDER):
                    raise EndpointError(
                        f"{self.endpoint} rejected every output mode: {rejected}", usage=meter.usage
                    ) from None
                log.info("%s rejected %s; stepping down to %s", self.endpoint, mode, LADDER[lower])
                mode = LADDER[lower]

    def _request(
        self,
        conversation: list[dict[str, str]],
        mode: OutputMode,
        name: str,
        schema: OutputSchema,
        max_tokens: int | None,
    ) -> dict[str, Any]:
        request: dict[str, Any] = {
            "model": self.model,
            "messages": conversation,
            "max_tokens": max_tokens or self.settings.max_tokens,
            "temperature": 0,
        }
        fmt = response_format(mode, name, schema)
        if fmt is not None:
            request["response_format"] = fmt
        else:  # the schema travels once: in response_format, or, where nothing enforces it, in the instructions
            request["messages"] = _with_schema(conversation, schema)
        return request

    async def _send(self, request: dict[str, Any], meter: _Meter) -> Any:
        """POST one request with transport retries; every attempt counts in the meter."""
        try:
            async for attempt in retrying(self.settings.retry_seconds, _log_retry):
                with attempt:
                    sent_at = await self.limits.wait(request)
                    try:
                        completion = await self._create(request)
                    except openai.APIError as exc:
                        meter.add(None)
                        await self._refused(exc, sent_at)
                        raise
                    meter.add(completion)
                    self.limits.answered()
                    return completion
        except openai.APIStatusError as exc:
            if is_mode_rejection(exc.status_code, exc.response.text):
                detail = self._scrub(" ".join(str(exc).split())[:200])
                raise ModeRejected(f"{exc.status_code}: {detail}") from exc
            raise self._translate(exc, meter) from exc
        except openai.OpenAIError as exc:
            raise self._translate(exc, meter) from exc
        except ValueError as exc:  # openai lets a 200 whose body is not JSON escape as JSONDecodeError
            raise EndpointError(f"{self.endpoint} answered with a body that is not JSON", usage=meter.usage) from exc
        except Exception as exc:
            if is_replay_miss(exc):  # vcrpy's error reaches us unwrapped when replaying a recording
                raise self._translate(exc, meter) from exc
            raise
        raise AssertionError("unreachable: tenacity either returns or re-raises")

    def _translate(self, exc: Exception, meter: _Meter) -> Exception:
        """briefer's error for an openai one, its message scrubbed of the key (error bodies may echo it)."""
        error = translate(exc, self.endpoint, self.model, meter.usage)
        error.args = (self._scrub(str(error)),)
        return error

    def _scrub(self, text: str) -> str:
        given = self._given if self._given is not None else self._owned
        return scrub_secrets(text, self.settings.api_key, getattr(given, "api_key", None))

    async def _create(self, request: dict[str, Any]) -> Any:
        """The completion, its headers read for the provider's rate limits on the way."""
        if "response_format" in request:
            # openai walks every typed argument to transform it, the whole JSON schema included (3% of a morning's
            # CPU); extra_body joins the JSON as it is, and the schema is plain JSON already
            request = dict(request)
            request["extra_body"] = {"response_format": request.pop("response_format")}
        if self._is_async:
            raw = await self._client.chat.completions.with_raw_response.create(**request)
        else:
            create: Any = self._client.chat.completions.with_raw_response.create
            raw = await asyncio.to_thread(create, **request)
        await self._observe(raw.headers)
        return raw.parse()

    async def _refused(self, exc: openai.APIError, sent_at: float) -> None:
        """A 429 slows every request down; any answer's headers may announce the limits."""
        if not isinstance(exc, openai.APIStatusError):
            return
        await self._observe(exc.response.headers)
        if isinstance(exc, openai.RateLimitError):
            self.limits.refused(retry_after(exc), sent_at=sent_at)

    async def _observe(self, headers: Any) -> None:
        """Read announced limits; a server that announces them takes more than one request at a time."""
        announced = self.limits.observe(headers)
        if announced and not self.settings.concurrency_chosen and self.slots.size < DEFAULT_CONCURRENCY:
            log.info("%s announces rate limits; sending up to %d requests at once", self.endpoint, DEFAULT_CONCURRENCY)
            await self.slots.resize(DEFAULT_CONCURRENCY)

    def _content(self, completion: Any, meter: _Meter, max_tokens: int | None) -> str:
        """The answer's text, or the specific error for truncation, refusal or filtering."""
        if not getattr(completion, "choices", None):
            raise EndpointError(f"{self.endpoint} answered without any choices", usage=meter.usage)
        choice = completion.choices[0]
        refusal = getattr(choice.message, "refusal", None)
        if refusal:
            raise RefusalError(f"{self.model} refused: {refusal}", usage=meter.usage)
        if choice.finish_reason == "content_filter":
            raise RefusalError(f"{self.endpoint}'s content filter stopped the answer", usage=meter.usage)
        if choice.finish_reason == "length":
            budget = max_tokens or self.settings.max_tokens
            raise TruncatedOutputError(
                f"{self.model} stopped at max_tokens={budget} before finishing its answer "
                "(raise max_tokens in the config, or use a model that answers more briefly)",
                usage=meter.usage,
            )
        return str(choice.message.content or "")


def _validate(content: str, output_type: type[T]) -> T:
    data = extract_json(content)
    if looks_like_schema(data):
        raise OutputProblem("you returned the JSON Schema itself; return an object with data that matches it")
    try:
        return output_type.model_validate(data)
    except ValidationError as exc:
        raise OutputProblem(_compact(exc)) from exc


def _compact(exc: ValidationError, limit: int = 8) -> str:
    """Pydantic's errors as short ``path: message`` items the model can act on."""
    items = [f"{'.'.join(str(p) for p in err['loc']) or 'root'}: {err['msg']}" for err in exc.errors()[:limit]]
    more = exc.error_count() - limit
    return "; ".join(items) + (f"; and {more} more" if more > 0 else "")


def _with_schema(conversation: list[dict[str, str]], schema: OutputSchema) -> list[dict[str, str]]:
    """The conversation with the output schema appended to its system message (a copy)."""
    text = f"Your answer must be one JSON object matching this JSON Schema:\n{schema.compact}"
    if conversation and conversation[0]["role"] == "system":
        first = conversation[0]
        return [{**first, "content": f"{first['content']}\n\n{text}"}, *conversation[1:]]
    return [{"role": "system", "content": text}, *conversation]


def _reask(problem: str) -> dict[str, str]:
    return {
        "role": "user",
        "content": f"Your answer was not valid: {problem}. Answer again with the corrected JSON object only.",
    }


def _log_retry(state: Any) -> None:
    exc = state.outcome.exception() if state.outcome else None
    log.warning("transient failure (%s); retry %d", type(exc).__name__, state.attempt_number)

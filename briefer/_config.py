"""Settings, resolved in one place: argument > environment > config file > default.

This is the only module that reads ``os.environ`` or the config file.

Environment: ``OPENAI_API_KEY``, ``OPENAI_BASE_URL``, ``BRIEFER_MODEL``, ``BRIEFER_TIMEOUT``,
``BRIEFER_CONFIG`` (path of the config file), ``BRIEFER_CACHE_DIR``, ``BRIEFER_DB`` (the state file),
``BRIEFER_PRICES`` (the price table), ``BRIEFER_OUTPUT_DIR`` (where morning briefings are written),
``BRIEFER_PROMPTS`` (a folder of prompt templates that override the shipped ones), ``BRIEFER_KEEP_DAYS``.

Config file (TOML, default ``<user config dir>/briefer/config.toml``)::

    model = "gpt-4o-mini"
    base_url = "http://127.0.0.1:8080/v1"
    timeout = 120            # seconds per request
    max_tokens = 2048        # completion budget per request
    context_tokens = 8192    # the model's context window; longer articles are split
    concurrency = 4          # requests in flight at once, whatever the stage (1 by default for a server on
                             # this machine, unless it announces rate limits or one is set; --concurrency)
    retry_seconds = 120      # total time transport retries may take
    requests_per_minute = 0  # briefer's own rate limit, paced evenly (0: none; the provider's x-ratelimit-*
                             # headers and 429s slow requests down anyway)
    tokens_per_minute = 0
    max_input_bytes = 5000000   # the most any one article, feed or list may hold, local or downloaded
    fetch_timeout = 20       # seconds for a whole download: connect, headers, redirects and body
    allow_private_hosts = false  # fetch from loopback, private and link-local addresses (--allow-private-hosts)
    prompts = "my-prompts"   # folder of <name>/system.j2, <name>/user.j2 replacing the shipped templates
    out_dir = "~/briefings"  # where `briefer morning` writes its .md, .html and .json files
    save = true              # false: `briefer morning` only prints (also --no-save)
    keep_days = 30           # the state file forgets briefings, syntheses and runs unused this long (0: never)
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from briefer._errors import ConfigError

__all__ = [
    "DEFAULT_CONCURRENCY",
    "DEFAULT_MODEL",
    "Settings",
    "cache_dir",
    "config_path",
    "database_path",
    "output_dir",
    "prices_path",
    "resolve_settings",
]

DEFAULT_MODEL = "gpt-4o-mini"
DEFAULT_CONCURRENCY = 4
NO_KEY = "sk-no-key-needed"
NO_ENDPOINT = (
    "no model endpoint configured: pass base_url= or api_key=, or set OPENAI_BASE_URL (a local server such as "
    "llama.cpp or Ollama) or OPENAI_API_KEY (OpenAI); or replay a recording (briefer.replaying)"
)  # local servers ignore the key, but the openai client insists on one

# Context windows of models we know; anything else gets the conservative default, which only means
# long articles are split sooner than they need to be.
_KNOWN_CONTEXT = {"gpt-4o": 128_000, "gpt-4.1": 1_000_000, "gpt-5": 400_000, "o3": 200_000, "o4": 200_000}


@dataclass(frozen=True)
class Settings:
    """Everything briefer needs to reach a model and size its requests."""

    api_key: str | None = None
    base_url: str | None = None
    model: str = DEFAULT_MODEL
    timeout: float = 300.0  # a small local model can take minutes over a long article
    max_tokens: int = 2048
    context_tokens: int = 8192
    concurrency: int = DEFAULT_CONCURRENCY
    retry_seconds: float = 120.0
    requests_per_minute: int = 0  # 0: no limit of our own (the endpoint's 429s are still honoured)
    tokens_per_minute: int = 0
    remember_modes: bool = True
    max_input_bytes: int = 5_000_000
    fetch_timeout: float = 20.0
    allow_private_hosts: bool = False  # cloud metadata, multicast and reserved addresses stay refused
    prompts: str | None = None  # a folder of prompt templates overriding the shipped ones by name
    out_dir: str | None = None  # where the morning CLI writes its renders (default: output_dir())
    save: bool = True  # whether the morning CLI writes its renders at all
    keep_days: int = 30  # the state file forgets what no morning run has used for this long (0: keeps all)
    # False when briefer chose concurrency 1 for a server on this machine: the server may then raise it
    concurrency_chosen: bool = True

    @property
    def endpoint(self) -> str:
        """The base URL requests go to (OpenAI's when none is set)."""
        return self.base_url or "https://api.openai.com/v1"

    def require_endpoint(self) -> Settings:
        """Check a key or base URL is set; fill in the placeholder key local servers accept."""
        if self.api_key is None and self.base_url is None:
            raise ConfigError(NO_ENDPOINT)
        return self if self.api_key else replace(self, api_key=NO_KEY)


_ENV = {
    "api_key": "OPENAI_API_KEY",
    "base_url": "OPENAI_BASE_URL",
    "model": "BRIEFER_MODEL",
    "timeout": "BRIEFER_TIMEOUT",
    "prompts": "BRIEFER_PROMPTS",
    "out_dir": "BRIEFER_OUTPUT_DIR",
    "keep_days": "BRIEFER_KEEP_DAYS",
}
_FILE_KEYS = {f.name for f in fields(Settings)} - {"concurrency_chosen"}


def _user_path(variable: str, folder: str, *parts: str) -> Path:
    """``$variable`` when set, else ``parts`` under briefer's platform folder (``config``, ``cache`` or ``data``)."""
    explicit = os.environ.get(variable)
    if explicit:
        return Path(explicit).expanduser()
    import platformdirs

    folders = {
        "config": platformdirs.user_config_dir,
        "cache": platformdirs.user_cache_dir,
        "data": platformdirs.user_data_dir,
    }
    base = folders[folder]
    return Path(base("briefer"), *parts)


def config_path() -> Path:
    """Where the config file is read from (``BRIEFER_CONFIG`` overrides the user config dir)."""
    return _user_path("BRIEFER_CONFIG", "config", "config.toml")


def cache_dir() -> Path:
    """Where briefer keeps what it learns about endpoints (``BRIEFER_CACHE_DIR`` overrides)."""
    return _user_path("BRIEFER_CACHE_DIR", "cache")


def database_path() -> Path:
    """The SQLite state file (``BRIEFER_DB`` overrides ``<user data dir>/briefer/briefer.sqlite3``)."""
    return _user_path("BRIEFER_DB", "data", "briefer.sqlite3")


def prices_path() -> Path:
    """The user's price table (``BRIEFER_PRICES`` overrides ``<user config dir>/briefer/prices.toml``)."""
    explicit = os.environ.get("BRIEFER_PRICES")
    return Path(explicit).expanduser() if explicit else config_path().parent / "prices.toml"


def output_dir() -> Path:
    """Where morning briefings are written (``BRIEFER_OUTPUT_DIR`` overrides ``<user data dir>/briefer/briefings``)."""
    return _user_path("BRIEFER_OUTPUT_DIR", "data", "briefings")


def resolve_settings(config_file: Path | None = None, **arguments: Any) -> Settings:
    """Build Settings from arguments, then the environment, then the config file, then defaults."""
    unknown = set(arguments) - _FILE_KEYS
    if unknown:
        raise TypeError(f"unknown settings: {', '.join(sorted(unknown))}")
    values = _read_config_file(config_file or config_path(), explicit=config_file is not None)
    values.update({name: os.environ[var] for name, var in _ENV.items() if os.environ.get(var)})
    values.update({name: value for name, value in arguments.items() if value is not None})
    settings = Settings(**_coerce(values))
    if "context_tokens" not in values:
        settings = replace(settings, context_tokens=_context_for(settings.model, settings.context_tokens))
    if "concurrency" not in values and _is_loopback(settings.base_url):
        # a server on this machine (llama.cpp, Ollama) usually answers one request at a time: requests
        # queued behind each other would time out while they wait (unless it announces rate limits)
        settings = replace(settings, concurrency=1, concurrency_chosen=False)
    _check(settings)
    return settings


def _read_config_file(path: Path, *, explicit: bool) -> dict[str, Any]:
    if not path.exists():
        if explicit:
            raise ConfigError(f"config file not found: {path}")
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config file {path}: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from exc
    unknown = sorted(set(data) - _FILE_KEYS)
    if unknown:
        raise ConfigError(
            f"config file {path}: unknown keys {', '.join(unknown)} (known: {', '.join(sorted(_FILE_KEYS))})"
        )
    return data


def _coerce(values: dict[str, Any]) -> dict[str, Any]:
    """Turn strings from the environment or TOML into the field's type, with a one-line error."""
    types = {f.name: f.type for f in fields(Settings)}
    out: dict[str, Any] = {}
    for name, value in values.items():
        kind = types[name]
        try:
            if kind == "float":
                out[name] = float(value)
            elif kind == "int":
                out[name] = int(value)
            elif kind == "bool":
                out[name] = value if isinstance(value, bool) else str(value).lower() in {"1", "true", "yes"}
            else:
                out[name] = str(value)
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"setting {name} must be a number, got {value!r}") from exc
    return out


def _context_for(model: str, fallback: int) -> int:
    for prefix, tokens in _KNOWN_CONTEXT.items():
        if model.startswith(prefix):
            return tokens
    return fallback


def _is_loopback(base_url: str | None) -> bool:
    host = urlparse(base_url).hostname if base_url else None
    return host in {"localhost", "127.0.0.1", "::1"}


def _check(settings: Settings) -> None:
    if settings.base_url is not None:
        parsed = urlparse(settings.base_url)
        if parsed.scheme not in {"http", "https"} or not parsed.netloc:
            raise ConfigError(
                f"base URL must be an http(s) URL such as http://127.0.0.1:8080/v1, got {settings.base_url!r}"
            )
    for name in ("requests_per_minute", "tokens_per_minute", "keep_days"):
        if getattr(settings, name) < 0:
            raise ConfigError(f"setting {name} must be 0 (no limit) or positive, got {getattr(settings, name)}")
    for name in (
        "timeout",
        "max_tokens",
        "context_tokens",
        "concurrency",
        "retry_seconds",
        "max_input_bytes",
        "fetch_timeout",
    ):
        if getattr(settings, name) <= 0:
            raise ConfigError(f"setting {name} must be positive, got {getattr(settings, name)}")
    if settings.max_tokens >= settings.context_tokens:
        raise ConfigError(
            f"max_tokens ({settings.max_tokens}) must be below context_tokens ({settings.context_tokens})"
        )

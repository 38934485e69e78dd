"""Settings resolution: argument > environment > config file > default, and one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefer._config import DEFAULT_MODEL, Settings, resolve_settings
from briefer._errors import ConfigError


@pytest.fixture
def config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "config.toml"
    monkeypatch.setenv("BRIEFER_CONFIG", str(path))
    return path


def test_defaults() -> None:
    settings = resolve_settings()
    assert settings.model == DEFAULT_MODEL and settings.base_url is None and settings.api_key is None
    assert settings.context_tokens == 128_000  # gpt-4o-mini's window, from the known-model table


def test_precedence(config_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config_file.write_text('model = "from-file"\nbase_url = "http://file:1/v1"\ntimeout = 7\n', encoding="utf-8")
    assert resolve_settings().model == "from-file"
    monkeypatch.setenv("BRIEFER_MODEL", "from-env")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://env:2/v1")
    settings = resolve_settings()
    assert (settings.model, settings.base_url, settings.timeout) == ("from-env", "http://env:2/v1", 7.0)
    settings = resolve_settings(model="from-arg")
    assert (settings.model, settings.base_url) == ("from-arg", "http://env:2/v1")


def test_keep_days_from_file_environment_and_argument(config_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert resolve_settings().keep_days == 30
    config_file.write_text("keep_days = 7\n", encoding="utf-8")
    assert resolve_settings().keep_days == 7
    monkeypatch.setenv("BRIEFER_KEEP_DAYS", "0")
    assert resolve_settings().keep_days == 0
    assert resolve_settings(keep_days=90).keep_days == 90


def test_unknown_model_keeps_the_conservative_context(config_file: Path) -> None:
    assert resolve_settings(model="qwen2.5-coder-1.5b-instruct").context_tokens == 8192
    config_file.write_text("context_tokens = 32768\n", encoding="utf-8")
    assert resolve_settings(model="gpt-4o").context_tokens == 32768  # the user's word beats the table


def test_a_server_on_this_machine_gets_one_request_at_a_time(config_file: Path) -> None:
    assert resolve_settings(base_url="http://127.0.0.1:8765/v1").concurrency == 1
    assert resolve_settings(base_url="http://gpu-box:8000/v1").concurrency == 4
    config_file.write_text("concurrency = 3\n", encoding="utf-8")
    assert resolve_settings(base_url="http://localhost:8080/v1").concurrency == 3


def test_missing_endpoint_names_the_fix_in_the_librarys_words() -> None:
    with pytest.raises(
        ConfigError, match=r"pass base_url= or api_key=, or set OPENAI_BASE_URL .* OPENAI_API_KEY"
    ) as err:
        resolve_settings().require_endpoint()
    assert "--" not in str(err.value)  # a Python caller has no flags to pass


def test_base_url_alone_gets_a_placeholder_key() -> None:
    assert resolve_settings(base_url="http://127.0.0.1:8080/v1").require_endpoint().api_key


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("model = ", "not valid TOML"),
        ('modle = "x"\n', "unknown keys modle"),
        ('timeout = "soon"\n', "timeout must be a number"),
        ("max_tokens = 0\n", "max_tokens must be positive"),
        ('base_url = "localhost:8080"\n', "must be an http"),
        ("max_tokens = 9000\ncontext_tokens = 8192\n", "must be below context_tokens"),
        ("keep_days = -1\n", "keep_days must be 0"),
    ],
)
def test_bad_config_is_one_line(config_file: Path, content: str, message: str) -> None:
    config_file.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as caught:
        resolve_settings()
    assert "\n" not in str(caught.value)


def test_explicit_missing_config_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        resolve_settings(tmp_path / "nope.toml")


def test_unknown_argument_is_a_programming_error() -> None:
    with pytest.raises(TypeError):
        resolve_settings(colour="red")


def test_settings_are_immutable() -> None:
    with pytest.raises(AttributeError):
        Settings().model = "x"  # type: ignore[misc]

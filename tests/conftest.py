"""Test set-up: an isolated environment, recorded-model cassettes, and guards that keep replays honest.

Tests marked ``llm`` replay responses recorded from a real model (cassettes/<module>/<test>.yaml).
CI replays with ``--record-mode=none`` (pytest-recording's default): a request that is not in the
cassette fails with a diff, and a cassette holding a response no request used fails the test too.
Re-record with a model running (README, "Re-recording cassettes"):

    eval "$(../shared/tools/local-llm env)" && pytest -m llm --record-mode=rewrite
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import pytest

from briefer._config import Settings, resolve_settings
from briefer._replay import FILTERED_REQUEST_HEADERS, SERIALIZER_NAME, configure_vcr, recorded_settings, scrub_response
from tests.fake_openai import fake_openai  # noqa: F401  (a fixture)

# pytester for the plugin's tests; briefer's own plugin (README, "In your own tests") unless the installed
# briefer registers it already (entry point pytest11)
PLUGIN_INSTALLED = any(entry.value == "briefer.pytest_plugin" for entry in entry_points(group="pytest11"))
pytest_plugins = ["pytester"] if PLUGIN_INSTALLED else ["pytester", "briefer.pytest_plugin"]

ROOT = Path(__file__).resolve().parent.parent
CASSETTES = ROOT / "cassettes"
EXAMPLES = ROOT / "examples"

# Captured before the tests scrub the environment: where to record from when --record-mode asks for it.
_RECORDING_ENV = {name: os.environ.get(name) for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "BRIEFER_MODEL")}


def pytest_recording_configure(config: Any, vcr: Any) -> None:
    """Register briefer's cassette serializer and JSON-body matcher with pytest-recording."""
    configure_vcr(vcr)


@pytest.fixture(scope="session")
def vcr_config() -> dict[str, Any]:
    # No record_mode here: it would override --record-mode=none on the command line.
    return {
        "serializer": SERIALIZER_NAME,
        "match_on": ["method", "scheme", "host", "port", "path", "json_body"],
        "filter_headers": [(name, None) for name in (*FILTERED_REQUEST_HEADERS, "user-agent")],
        "before_record_response": scrub_response,
        "decode_compressed_response": True,
    }


@pytest.fixture
def vcr_cassette_dir(request: pytest.FixtureRequest) -> str:
    return str(CASSETTES / request.module.__name__.rsplit(".", 1)[-1])


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test sees the developer's key, endpoint, config file or cache."""
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "BRIEFER_MODEL", "BRIEFER_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("BRIEFER_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.setenv("BRIEFER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("BRIEFER_DB", str(tmp_path / "state.sqlite3"))


@pytest.fixture(autouse=True)
def _cassette_fully_played(request: pytest.FixtureRequest, record_mode: str) -> Iterator[None]:
    """Fail a replayed test whose cassette holds responses no request used (stale or over-recorded)."""
    if request.node.get_closest_marker("vcr") is None or record_mode != "none":
        yield
        return
    cassette = request.getfixturevalue("vcr")
    yield
    unplayed = len(cassette.data) - cassette.play_count
    assert unplayed == 0, f"{cassette._path}: {unplayed} recorded interaction(s) never played; re-record"


@pytest.fixture
def model_settings(request: pytest.FixtureRequest, record_mode: str, vcr_cassette_dir: str) -> Settings:
    """Settings for a test that talks to a real model: the live endpoint when recording, else the cassette's."""
    cassette = Path(vcr_cassette_dir) / f"{request.node.name}.yaml"
    if record_mode == "none":
        if not cassette.exists():
            pytest.fail(f"no cassette {cassette}; record it with a model running (README)")
        return recorded_settings(cassette)
    if not (_RECORDING_ENV["OPENAI_BASE_URL"] or _RECORDING_ENV["OPENAI_API_KEY"]):
        pytest.fail('recording needs a model: eval "$(../shared/tools/local-llm env)" or set OPENAI_API_KEY')
    settings = resolve_settings(
        api_key=_RECORDING_ENV["OPENAI_API_KEY"],
        base_url=_RECORDING_ENV["OPENAI_BASE_URL"],
        model=_RECORDING_ENV["BRIEFER_MODEL"],
        remember_modes=False,
    )
    return settings.require_endpoint()

"""examples/ci-project run the way its own CI would: its test replays its recording, no network, no key."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, PLUGIN_INSTALLED, ROOT

PROJECT = EXAMPLES / "ci-project"
WHEEL_TESTS = "BRIEFER_WHEEL_TESTS"  # .ci/run sets it: installs from PyPI into a fresh venv (minutes)


def _project_copy(tmp_path: Path) -> Path:
    """A copy, so the run writes nothing into examples/ (CI checks they stay untouched)."""
    return Path(shutil.copytree(PROJECT, tmp_path / "ci-project"))


def _users_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """A CI machine's environment: no key, no endpoint, no config, nothing of the developer's."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "BRIEFER_", "PYTEST_"))}
    env.update(BRIEFER_CONFIG=str(tmp_path / "none.toml"), BRIEFER_CACHE_DIR=str(tmp_path / "cache"))
    env.update(BRIEFER_DB=str(tmp_path / "state.sqlite3"), PYTHONDONTWRITEBYTECODE="1", **extra)
    return env


def _run_project_tests(project: Path, tmp_path: Path, *options: str) -> subprocess.CompletedProcess[str]:
    """The example project's tests, as its CI runs them, with this environment's briefer (PYTHONPATH)."""
    plugin = [] if PLUGIN_INSTALLED else ["-p", "briefer.pytest_plugin"]
    return subprocess.run(
        [sys.executable, "-m", "pytest", *plugin, "-p", "no:cacheprovider", *options, "-q"],
        cwd=project,
        env=_users_env(tmp_path, PYTHONPATH=str(ROOT)),
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_the_example_project_passes_from_its_recording_with_no_network(tmp_path: Path) -> None:
    """The fast variant: this environment's briefer (PYTHONPATH), sockets blocked by pytest-recording."""
    project = _project_copy(tmp_path)
    result = _run_project_tests(project, tmp_path, "--block-network")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout


def test_a_changed_word_in_the_override_fails_naming_the_template(tmp_path: Path) -> None:
    project = _project_copy(tmp_path)
    override = project / "prompts" / "brief_article" / "system.j2"
    text = override.read_text(encoding="utf-8")
    assert "for local " in text
    override.write_text(text.replace("for local ", "for lokal "), "utf-8")
    result = _run_project_tests(project, tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"prompt template brief_article/system.j2 (override {override}" in result.stdout
    assert "+    " in result.stdout and "for lokal " in result.stdout  # the diff shows the changed line
    assert "tests/test_newsdesk.py::test_desk_briefing --briefer-record" in result.stdout


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """briefer's wheel, built once per session."""
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(dist), str(ROOT)],
        check=True,
        timeout=600,
    )
    return next(dist.glob("briefer-*.whl"))


@pytest.mark.skipif(not os.environ.get(WHEEL_TESTS), reason=f"installs from PyPI; .ci/run sets {WHEEL_TESTS}=1")
def test_the_example_project_passes_from_the_built_wheel_in_a_fresh_venv(wheel: Path, tmp_path: Path) -> None:
    """As a user's CI: a fresh venv (no system site-packages), briefer from the wheel, the plugin by entry point."""
    project = _project_copy(tmp_path)
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True, system_site_packages=False)
    python = env_dir / "bin" / "python"
    subprocess.run([python, "-m", "pip", "install", "-q", str(wheel), "pytest"], check=True, timeout=1200)
    result = subprocess.run(
        [python, "-m", "pytest", "-p", "no:cacheprovider", "-q"],
        cwd=project,
        env=_users_env(tmp_path, PIP_DISABLE_PIP_VERSION_CHECK="1"),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout

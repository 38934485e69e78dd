"""briefer's pytest plugin: tests that replay recorded model responses, and re-record them on request.

Shipped with briefer (entry point ``pytest11``); it only adds a marker, a fixture and an option, and imports
nothing of briefer until a test asks for the fixture::

    @pytest.mark.briefer_recording("recordings/brief.yaml")   # relative to the test file
    def test_brief(briefer_recording):
        briefing = briefer.brief(text, settings=briefer_recording)

By default the recording is replayed: no key, no network. A request it does not hold fails the test with
the request's diff, naming the changed prompt template, and the command that re-records; a recorded
response the test never asked for fails it too. ``pytest --briefer-record`` records afresh from the
endpoint in ``OPENAI_BASE_URL`` / ``OPENAI_API_KEY`` (and ``BRIEFER_MODEL``), replacing the recording only
when the test passes.
"""

from __future__ import annotations

import shlex
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from briefer._config import Settings

__all__ = ["briefer_recording", "pytest_addoption", "pytest_configure", "pytest_runtest_makereport"]

MARKER = "briefer_recording"
RECORD_OPTION = "--briefer-record"
_PASSED = pytest.StashKey[bool]()


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--briefer-record``: record the marked tests' model calls afresh instead of replaying them."""
    group = parser.getgroup("briefer")
    group.addoption(
        RECORD_OPTION,
        action="store_true",
        default=False,
        help="briefer: record the model responses of tests using briefer_recording afresh (needs a model endpoint)",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Declare the marker (so --strict-markers accepts it)."""
    config.addinivalue_line(
        "markers",
        f"{MARKER}(path): replay briefer's model calls from the recording at path (relative to the test file); "
        f"{RECORD_OPTION} re-records it",
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Remember whether the test body passed (a recording is kept only from a passing test); show a replay
    miss as its message alone: the diff, the changed template and the command that re-records.
    """
    report = yield
    if report.when == "call":
        item.stash[_PASSED] = report.passed
    if call.excinfo is not None and MARKER in getattr(item, "fixturenames", ()):
        from briefer._errors import ReplayError

        if call.excinfo.errisinstance(ReplayError):
            in_test = [entry for entry in call.excinfo.traceback if str(entry.path) == str(item.path)]
            where = f"\n({in_test[-1].path}:{in_test[-1].lineno + 1})" if in_test else ""
            report.longrepr = call.excinfo.exconly() + where
    return report


def _recording_path(request: pytest.FixtureRequest) -> Path:
    """The marker's path beside the test file, else recordings/<test name>.yaml beside it."""
    marker = request.node.get_closest_marker(MARKER)
    folder = Path(str(request.node.path)).parent
    if marker is None or not marker.args:
        return folder / "recordings" / f"{request.node.name}.yaml"
    return folder / str(marker.args[0])


@pytest.fixture
def briefer_recording(request: pytest.FixtureRequest) -> Iterator[Settings]:
    """Settings to pass to briefer (``settings=``): replaying the test's recording, or recording it afresh."""
    from briefer._config import resolve_settings

    path = _recording_path(request)
    rerecord = (
        f"pytest {shlex.quote(request.node.nodeid)} {RECORD_OPTION}  (with OPENAI_BASE_URL or OPENAI_API_KEY set)"
    )
    settings = resolve_settings()
    if request.config.getoption(RECORD_OPTION):
        yield from _record(path, settings, request.node)
        return
    if not path.is_file():
        pytest.fail(f"no recording at {path}; record it with a model running: {rerecord}", pytrace=False)
    from briefer._errors import ReplayError
    from briefer._replay import replaying

    try:
        with replaying(path, settings=settings, strict=True, rerecord=rerecord) as recorded:
            yield recorded
    except ReplayError:
        if request.node.stash.get(_PASSED, False):
            raise  # responses left over after a passing test: the recording is stale
        # a failed test has said what went wrong; the responses it never reached add nothing


def _record(path: Path, settings: Settings, node: pytest.Item) -> Iterator[Settings]:
    """Record into a fresh file that replaces ``path`` only once the test is done (never appended to)."""
    from dataclasses import replace

    from briefer._replay import recording

    if not (settings.base_url or settings.api_key):
        pytest.fail(f"{RECORD_OPTION} needs a model: set OPENAI_BASE_URL (and BRIEFER_MODEL) or OPENAI_API_KEY")
    path.parent.mkdir(parents=True, exist_ok=True)
    fresh = path.with_name(f".{path.name}.recording")
    fresh.unlink(missing_ok=True)
    try:
        with recording(fresh):
            # every step of the output-mode ladder recorded, requests in a replayable order
            yield replace(settings.require_endpoint(), remember_modes=False, concurrency=1)
        if node.stash.get(_PASSED, False):
            fresh.replace(path)
    finally:
        fresh.unlink(missing_ok=True)

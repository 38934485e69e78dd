"""Bad input from a new user or an attacker: refused before any request is paid for, one clean line, and the
same mistake gives the same exit code whichever command meets it.

The fake endpoint only counts requests here; nothing it says stands for a model's output.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from briefer._cli import main
from tests.fake_openai import FakeOpenAI, error
from tests.test_fetch import _FaultServer, serve_faults

GOOD_TEXT = "The council met on Tuesday.\n\nIt voted nine to six to repair the harbour bridge before winter.\n"


@pytest.fixture
def faults() -> Iterator[_FaultServer]:
    yield from serve_faults()


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(list(argv))
    out, err = capsys.readouterr()
    return int(exited.value.code or 0), out, err


@pytest.fixture
def endpoint(fake_openai: FakeOpenAI, monkeypatch: pytest.MonkeyPatch) -> FakeOpenAI:
    """A configured endpoint that fails every request it gets: these tests expect it to get none."""
    fake_openai.responder = lambda request: error(500, "must not be asked", type_="server_error")
    monkeypatch.setenv("OPENAI_BASE_URL", fake_openai.base_url)
    monkeypatch.setenv("BRIEFER_MODEL", "fake")
    return fake_openai


def huge_file(folder: Path) -> list[str]:
    path = folder / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(50_000_000)  # a sparse 50 MB file: nothing is written to disk
    return ["brief", str(path)]


def control_bytes(folder: Path) -> list[str]:
    path = folder / "noise.txt"
    path.write_bytes(bytes(range(1, 9)) * 512 + b"\x1b[2J\x1b]0;owned\x07" * 16)
    return ["brief", str(path)]


def long_name(folder: Path) -> list[str]:
    return ["brief", str(folder / ("n" * 300 + ".txt"))]


def out_in_missing_folder(folder: Path) -> list[str]:
    (folder / "a.txt").write_text(GOOD_TEXT)
    return ["brief", str(folder / "a.txt"), "--out", str(folder / "no" / "such" / "folder" / "b.md")]


def missing_article(folder: Path) -> list[str]:
    return ["brief", str(folder / "gone.txt")]


def missing_sources_file(folder: Path) -> list[str]:
    return ["morning", str(folder / "sources.toml"), "--out", str(folder / "out")]


def every_source_fails(folder: Path) -> list[str]:
    (folder / "sources.toml").write_text('sources = ["gone.xml", "gone-too.txt", "empty-folder"]\n')
    (folder / "empty-folder").mkdir()
    return ["morning", str(folder / "sources.toml"), "--out", str(folder / "out")]


def html_posing_as_a_feed(folder: Path) -> list[str]:
    (folder / "feed.xml").write_text("<html><head><title>Home</title></head><body><p>Not a feed</p></body></html>")
    return ["morning", str(folder / "feed.xml"), "--out", str(folder / "out")]


def mostly_control_morning(folder: Path) -> list[str]:
    (folder / "noise.txt").write_bytes(b"\x00\x01\x02\x03" * 1000)
    return ["morning", str(folder / "noise.txt"), "--out", str(folder / "out")]


def loopback_url(folder: Path) -> list[str]:
    return ["brief", "http://127.1:9/story"]


def metadata_url(folder: Path) -> list[str]:
    return ["brief", "http://169.254.169.254/latest/meta-data/iam/", "--allow-private-hosts"]


CASES: list[tuple[Callable[[Path], list[str]], int, str]] = [
    (huge_file, 4, "larger than the 5 MB cap for a source (max_input_bytes in the config)"),
    (control_bytes, 4, "is mostly control characters"),
    (long_name, 4, "File name too long"),
    (out_in_missing_folder, 4, "does not exist; create it first"),
    (missing_article, 4, "no such file"),
    (missing_sources_file, 4, "no such file"),
    (every_source_fails, 4, "no source could be read: "),
    (html_posing_as_a_feed, 4, "is not an RSS or Atom feed"),
    (mostly_control_morning, 4, "mostly control characters"),
    (loopback_url, 4, "it is a loopback address; for a server on this machine or network, pass --allow-private-hosts"),
    (metadata_url, 4, "it is a cloud metadata address"),
]


@pytest.mark.parametrize(("make", "code", "message"), CASES, ids=[case[0].__name__ for case in CASES])
def test_bad_input_is_refused_before_any_request(
    capsys: pytest.CaptureFixture[str],
    endpoint: FakeOpenAI,
    tmp_path: Path,
    make: Callable[[Path], list[str]],
    code: int,
    message: str,
) -> None:
    exit_code, out, err = run_cli(capsys, *make(tmp_path))
    assert (exit_code, out) == (code, "")
    assert message in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert endpoint.requests == []


def test_every_failure_is_named_with_its_reason(
    capsys: pytest.CaptureFixture[str], endpoint: FakeOpenAI, tmp_path: Path
) -> None:
    every_source_fails(tmp_path)
    _code, _out, err = run_cli(capsys, "morning", str(tmp_path / "sources.toml"), "--out", str(tmp_path / "out"))
    assert f"{tmp_path / 'gone.xml'}: no such file" in err
    assert f"{tmp_path / 'gone-too.txt'}: no such file" in err
    assert "empty-folder holds no article files" in err


def test_every_feed_404_exits_non_zero(
    capsys: pytest.CaptureFixture[str], endpoint: FakeOpenAI, faults: _FaultServer, tmp_path: Path
) -> None:
    base = f"http://127.0.0.1:{faults.server_port}"
    argv = [
        "morning",
        f"{base}/missing",
        f"{base}/missing?again",
        "--allow-private-hosts",
        "--out",
        str(tmp_path / "o"),
    ]
    code, _out, err = run_cli(capsys, *argv)
    assert code == 4 and "no source could be read" in err and "HTTP 404" in err


def test_an_endpoint_that_fails_every_article_exits_5(
    capsys: pytest.CaptureFixture[str], endpoint: FakeOpenAI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    config.write_text("retry_seconds = 0.01\n")
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "a.txt").write_text(GOOD_TEXT)
    code, _out, err = run_cli(
        capsys, "morning", str(tmp_path / "news"), "--config", str(config), "--out", str(tmp_path / "o")
    )
    assert code == 5 and "no article could be briefed (1 tried)" in err and "a.txt" in err


def test_control_characters_in_a_path_are_escaped(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    evil = str(tmp_path / "evil\x1b]0;owned\x07\x1b[2J\u202e.txt")
    code, _out, err = run_cli(capsys, "brief", evil)
    assert code == 4
    assert "\x1b" not in err and "\x07" not in err and "\u202e" not in err
    assert "evil\\x1b]0;owned\\x07\\x1b[2J\\u202e.txt" in err


@pytest.mark.parametrize("command", ["brief", "morning"])
def test_a_fifo_is_refused_and_never_waited_on(tmp_path: Path, command: str) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    env = {**os.environ, "OPENAI_BASE_URL": "http://127.0.0.1:9/v1"}
    argv = [sys.executable, "-m", "briefer", command, str(fifo), "--out", str(tmp_path / "out")]
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 4, done.stderr
    assert "is a named pipe (FIFO), not a file" in done.stderr

"""The state file on disk: two runs at once never pay twice; a damaged file is moved aside, not written into."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from briefer import morning
from briefer._state_file import open_store
from tests.fake_openai import FakeOpenAI, Reply
from tests.test_ledger import asked_for, settings_for, write_articles
from tests.test_morning import answer


def test_two_morning_processes_on_one_state_file_pay_once(fake_openai: FakeOpenAI, tmp_path: Path) -> None:
    write_articles(tmp_path / "news", 6)

    def slow(request: dict) -> Reply:
        reply = answer(request)
        reply.delay = 0.2
        return reply

    fake_openai.responder = slow
    env = {**os.environ, "OPENAI_BASE_URL": fake_openai.base_url, "BRIEFER_MODEL": "fake"}
    env["BRIEFER_DB"] = str(tmp_path / "shared.sqlite3")
    command = [sys.executable, "-m", "briefer", "morning", str(tmp_path / "news"), "--since", "2026-11-01"]
    runs = [
        subprocess.Popen(
            [*command, "--out", str(tmp_path / f"out{n}")], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        for n in (1, 2)
    ]
    errors = [run.communicate(timeout=120)[1].decode() for run in runs]
    assert [run.returncode for run in runs] == [0, 0], errors
    assert len(fake_openai.requests) == 6  # six articles, each paid for once
    assert asked_for(fake_openai.requests) == set(range(1, 7))
    assert any("waiting for it to finish" in text for text in errors)
    assert any("cached 6" in text for text in errors)  # the second run found the first one's briefings


def test_a_damaged_state_file_is_moved_aside_and_a_fresh_one_started(
    fake_openai: FakeOpenAI, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    write_articles(tmp_path / "news", 2)
    state = tmp_path / "state.sqlite3"
    damaged = b"SQLite format 3\x00" + b"\xff" * 5000
    state.write_bytes(damaged)
    fake_openai.responder = answer
    with caplog.at_level(logging.WARNING, logger="briefer._store"):
        result = morning([str(tmp_path / "news")], settings=settings_for(fake_openai), state=state)
    assert len(result.articles) == 2
    aside = [path for path in tmp_path.iterdir() if ".damaged-" in path.name]
    assert len(aside) == 1 and aside[0].read_bytes() == damaged  # never written into
    assert f"moved it to {aside[0]}" in caplog.text


def test_a_corrupt_page_inside_a_database_is_caught_before_any_write(tmp_path: Path) -> None:
    state = tmp_path / "state.sqlite3"
    with open_store(state):
        pass
    data = bytearray(state.read_bytes())
    data[4096 : 4096 + 12] = b"\x07" * 12  # scribble over the header of the second page
    state.write_bytes(bytes(data))
    with open_store(state) as fresh:
        assert fresh.stats()["runs"] == 0
    assert [p for p in tmp_path.iterdir() if ".damaged-" in p.name]

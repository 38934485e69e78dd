"""The command line: one-line errors with the right exit codes, replay of the shipped example, outputs."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from briefer._cli import main
from tests.conftest import EXAMPLES
from tests.fake_openai import FakeOpenAI, completion

SEED = EXAMPLES / "us-skeptical-of-russian-promises.txt"


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(list(argv))
    out, err = capsys.readouterr()
    return int(exited.value.code or 0), out, err


def test_version_starts_fast() -> None:
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "briefer", "--version"], capture_output=True, text=True, check=True)
    assert done.stdout.startswith("briefer, version ")
    assert time.monotonic() - started < 2.0
    assert (
        "openai"
        not in subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "briefer", "--version"], capture_output=True, text=True
        ).stderr
    )


def test_the_command_keeps_its_output_and_exit_code_when_it_skips_the_teardown(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # run() ends the process with os._exit: what main() printed must still be flushed, and its code kept
    missing = subprocess.run(
        [sys.executable, "-m", "briefer", "brief", str(tmp_path / "missing.txt")], capture_output=True, text=True
    )
    assert missing.returncode == 4
    assert missing.stderr.startswith("briefer: no such file") and missing.stderr.count("\n") == 1
    usage = subprocess.run([sys.executable, "-m", "briefer", "brief", "--bogus"], capture_output=True, text=True)
    assert usage.returncode == 2 and "No such option '--bogus'" in usage.stderr
    helped = subprocess.run([sys.executable, "-m", "briefer", "morning", "--help"], capture_output=True, text=True)
    assert (helped.returncode, helped.stdout) == (0, run_cli(capsys, "morning", "--help")[1])  # all of it, flushed


def test_no_arguments_print_the_help_as_it_is_written(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys)
    assert code == 2 and out == ""
    assert err.startswith("Usage: briefer [OPTIONS] COMMAND") and "\\n" not in err
    assert "\n  morning  " in err  # one command a line, not the help squeezed onto one line


def test_help(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "brief", "--help")
    assert code == 0 and "--replay" in out and "--format" in out


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (["brief", str(SEED), "--bogus"], 2, "No such option '--bogus'"),
        (["brief", "missing.txt"], 4, "no such file"),
        (["brief", str(SEED), "--format", "pdf"], 2, "Invalid value for '--format'"),
        (["brief", str(SEED), "--base-url", "localhost:1"], 3, "must be an http"),
    ],
    ids=["bad-flag", "missing-file", "bad-format", "bad-base-url"],
)
def test_user_mistakes_are_one_line(
    capsys: pytest.CaptureFixture[str], argv: list[str], code: int, message: str
) -> None:
    exit_code, out, err = run_cli(capsys, *argv)
    assert exit_code == code
    assert message in err and err.count("\n") == 1 and "Traceback" not in err
    assert out == ""


def test_no_key_and_no_recording_names_the_fix(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Some article text that is long enough to brief.", encoding="utf-8")
    code, _, err = run_cli(capsys, "brief", str(article))
    assert code == 3 and "set OPENAI_API_KEY" in err and err.count("\n") == 1


def test_unreachable_endpoint(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFER_TIMEOUT", "1")
    code, _, err = run_cli(capsys, "brief", str(SEED), "--base-url", "http://127.0.0.1:9/v1")
    assert code == 5 and "cannot reach http://127.0.0.1:9/v1" in err


def test_example_replays_its_recording_with_no_key(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "brief", str(SEED))
    assert code == 0, err
    assert "replaying the recorded responses" in err
    assert "## Key claims" in out and "**Grounding:**" in out
    # the recorded model, and the recording in place of the address it was recorded from
    assert "qwen2.5-coder-1.5b-instruct at recording us-skeptical-of-russian-promises.recording.yaml" in out
    assert "127.0.0.1" not in out


def test_example_json_quotes_are_in_the_article(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "brief", str(SEED), "--format", "json")
    assert code == 0
    briefing = json.loads(out)
    text = SEED.read_text(encoding="utf-8")
    assert briefing["key_claims"], "the recorded example should publish at least one claim"
    for claim in briefing["key_claims"]:
        assert text[claim["span"]["start"] : claim["span"]["end"]] == claim["evidence"]
    report = briefing["grounding"]
    assert report["published"] == len(briefing["key_claims"])
    assert report["proposed"] == report["published"] + report["dropped"]


def test_out_file_is_not_overwritten_without_force(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "briefing.md"
    target.write_text("the user's own notes", encoding="utf-8")
    code, _, err = run_cli(capsys, "brief", str(SEED), "--out", str(target))
    assert code == 4 and "--force" in err
    assert target.read_text(encoding="utf-8") == "the user's own notes"
    code, _, _ = run_cli(capsys, "brief", str(SEED), "--out", str(target), "--force")
    assert code == 0 and target.read_text(encoding="utf-8").startswith("# ")


def test_changed_prompt_fails_replay_loudly(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    article = tmp_path / SEED.name
    article.write_text(SEED.read_text(encoding="utf-8").replace("Tuesday", "Wednesday"), encoding="utf-8")
    shutil.copy(SEED.with_suffix(".recording.yaml"), article.with_suffix(".recording.yaml"))
    code, _, err = run_cli(capsys, "brief", str(article))
    assert code == 7 and "recording holds no response" in err


def test_live_run_against_an_endpoint(
    capsys: pytest.CaptureFixture[str], fake_openai: FakeOpenAI, tmp_path: Path
) -> None:
    article = tmp_path / "note.md"
    article.write_text(
        "# Budget vote\n\nThe council approved the harbour budget on Monday after a long debate.\n", encoding="utf-8"
    )
    fake_openai.push(
        completion(
            json.dumps(
                {
                    "headline": "Council approves harbour budget",
                    "summary": "The council approved it.",
                    "key_claims": [
                        {
                            "sentences": [2],
                            "speaker": "the outlet",
                            "attribution": "outlet_assertion",
                            "statement": "The council approved the harbour budget on Monday.",
                        }
                    ],
                    "actors": [],
                    "open_questions": [],
                }
            )
        )
    )
    code, out, err = run_cli(capsys, "brief", str(article), "--base-url", fake_openai.base_url, "--model", "fake")
    assert code == 0, err
    assert "> The council approved the harbour budget on Monday after a long debate." in out
    assert fake_openai.requests[0]["model"] == "fake"

"""The CLI on top of the API: files written only where and when asked, one format on stdout, flags in errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES
from tests.test_cli import run_cli

SOURCES = EXAMPLES / "sources.toml"


def test_no_save_writes_nothing_and_prints_one_format(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEFER_OUTPUT_DIR", str(tmp_path / "out"))
    code, out, err = run_cli(capsys, "morning", str(SOURCES), "--no-save", "--format", "json")
    assert code == 0, err
    assert json.loads(out)["stories"]
    assert not (tmp_path / "out").exists()
    assert "not saved" in err
    # replay names the recording, never the address it was recorded from
    assert "127.0.0.1" not in out + err
    assert "at recording morning.recording.yaml" in err


def test_out_dir_and_the_save_setting(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'save = false\nout_dir = "{tmp_path / "from-config"}"\n', encoding="utf-8")
    code, _, err = run_cli(capsys, "morning", str(SOURCES), "--config", str(config), "--format", "md")
    assert code == 0, err
    assert not (tmp_path / "from-config").exists()
    code, out, err = run_cli(
        capsys,
        "morning",
        str(SOURCES),
        "--config",
        str(config),
        "--save",
        "--out-dir",
        str(tmp_path / "here"),
        "--state",
        str(tmp_path / "s.sqlite3"),
    )
    assert code == 0, err
    written = sorted(path.name for path in (tmp_path / "here").iterdir())
    assert [Path(name).suffix for name in written] == [".html", ".json", ".md"]
    assert f"wrote {tmp_path / 'here'}" in err
    assert out.startswith("# ")  # Markdown only on stdout


def test_cli_errors_name_flags(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Some article text that is long enough to brief.", encoding="utf-8")
    code, _, err = run_cli(capsys, "brief", str(article))
    assert code == 3
    assert "--base-url" in err
    assert "base_url=" not in err


def test_a_changed_prompt_override_fails_the_cli_replay_with_its_diff(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    shipped = (EXAMPLES.parent / "prompts" / "brief_article" / "system.j2").read_text(encoding="utf-8")
    (tmp_path / "p" / "brief_article").mkdir(parents=True)
    (tmp_path / "p" / "brief_article" / "system.j2").write_text(shipped.replace("busy", "hurried"), "utf-8")
    seed = EXAMPLES / "us-skeptical-of-russian-promises.txt"
    code, _, err = run_cli(capsys, "brief", str(seed), "--prompts", str(tmp_path / "p"))
    assert code == 7
    assert "prompt template brief_article/system.j2 (override" in err
    assert "\n-" in err and "hurried" in err  # the diff keeps its lines
    assert f"briefer brief {seed} --record {seed.with_suffix('.recording.yaml')} --update" in err

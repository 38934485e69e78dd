"""The public API does what the README says: text under replay, typed morning(), exports, the library's words."""

from __future__ import annotations

import enum
import inspect
import json
import types
import typing
from pathlib import Path

import pytest
from pydantic import BaseModel

import briefer
from tests.conftest import EXAMPLES, ROOT

SEED = EXAMPLES / "us-skeptical-of-russian-promises.txt"
SEED_RECORDING = EXAMPLES / "us-skeptical-of-russian-promises.recording.yaml"


def test_plain_text_replays_the_recording_the_cli_made_for_its_file() -> None:
    with briefer.replaying(SEED_RECORDING) as settings:
        briefing = briefer.brief(SEED.read_text(encoding="utf-8"), settings=settings)
    assert briefing.key_claims
    assert briefing.generation.model == "qwen2.5-coder-1.5b-instruct"
    # the endpoint is the recording, never the address it was recorded from
    assert briefing.generation.endpoint == f"recording {SEED_RECORDING.name}"


def _override(tmp_path: Path, old: str, new: str) -> Path:
    shipped = (ROOT / "prompts" / "brief_article" / "system.j2").read_text(encoding="utf-8")
    assert old in shipped
    folder = tmp_path / "my-prompts"
    (folder / "brief_article").mkdir(parents=True)
    (folder / "brief_article" / "system.j2").write_text(shipped.replace(old, new), encoding="utf-8")
    return folder


def test_a_changed_override_fails_replay_naming_the_template_the_diff_and_the_fix(tmp_path: Path) -> None:
    folder = _override(tmp_path, "careful news analyst", "careful news editor")
    with (
        pytest.raises(briefer.ReplayError) as failed,
        briefer.replaying(SEED_RECORDING, rerecord="make rerecord") as settings,
    ):
        briefer.brief(SEED.read_text(encoding="utf-8"), settings=settings, prompts=folder)
    message = str(failed.value)
    assert f"prompt template brief_article/system.j2 (override {folder.resolve()}" in message
    assert '-    "You are a careful news analyst.' in message
    assert '+    "You are a careful news editor.' in message
    assert message.rstrip().endswith("make rerecord")


def test_an_identical_override_replays_and_an_override_changes_the_prompt_version(tmp_path: Path) -> None:
    same = _override(tmp_path, "careful", "careful")
    with briefer.replaying(SEED_RECORDING) as settings:
        shipped = briefer.brief(SEED, settings=settings)
    with briefer.replaying(SEED_RECORDING) as settings:
        overridden = briefer.brief(SEED, settings=settings, prompts=same)
    assert overridden.key_claims == shipped.key_claims
    changed = _override(tmp_path / "b", "careful news analyst", "careful news editor")
    from briefer._pipeline.article import pipeline_version
    from briefer._prompts import prompt_overrides

    with prompt_overrides(same):
        assert pipeline_version() == shipped.generation.prompt_version
    with prompt_overrides(changed):
        assert pipeline_version() != shipped.generation.prompt_version


def test_morning_takes_the_same_keyword_arguments_as_amorning() -> None:
    sync, coro = inspect.signature(briefer.morning), inspect.signature(briefer.amorning)
    assert sync.parameters == coro.parameters
    assert inspect.signature(briefer.brief).parameters == inspect.signature(briefer.abrief).parameters
    assert "options" not in sync.parameters


def _model_classes(kind: object, seen: set[type]) -> set[type]:
    if typing.get_origin(kind) is not None or isinstance(kind, types.UnionType):
        for arg in typing.get_args(kind):
            _model_classes(arg, seen)
    elif isinstance(kind, type) and issubclass(kind, BaseModel | enum.Enum) and kind not in seen:
        seen.add(kind)
        if issubclass(kind, BaseModel):
            for field in kind.model_fields.values():
                _model_classes(field.annotation, seen)
    return seen


def test_every_model_class_a_result_can_hold_is_exported_and_documented() -> None:
    classes = _model_classes(briefer.Briefing, set()) | _model_classes(briefer.MorningBriefing, set())
    assert len(classes) > 15
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for kind in classes:
        assert getattr(briefer, kind.__name__) is kind
        assert f"`{kind.__name__}`" in readme, f"README does not document {kind.__name__}"


def test_library_errors_speak_the_librarys_language(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Some article text that is long enough to brief.", encoding="utf-8")
    with pytest.raises(briefer.ConfigError, match="base_url=") as failed:
        briefer.brief(article)
    assert "--" not in str(failed.value)


def test_morning_replays_a_sources_files_recording_and_writes_where_asked(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    out = tmp_path / "out"
    today = briefer.morning([EXAMPLES / "sources.toml"], state=tmp_path / "state.sqlite3", out_dir=out)
    assert today.stories and today.endpoint == "recording morning.recording.yaml"
    assert "replaying" in caplog.text and "OPENAI_BASE_URL" in caplog.text
    written = sorted(out.iterdir())
    assert [path.suffix for path in written] == [".html", ".json", ".md"]
    assert json.loads(written[1].read_text(encoding="utf-8"))["generated_at"] == today.generated_at
    assert "127.0.0.1" not in written[1].read_text(encoding="utf-8")  # no address the user never set


def test_morning_writes_nothing_unless_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BRIEFER_OUTPUT_DIR", str(tmp_path / "default-out"))
    briefer.morning([EXAMPLES / "sources.toml"], state=tmp_path / "state.sqlite3")
    assert not (tmp_path / "default-out").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["state.sqlite3", "state.sqlite3.lock"]


def test_a_stale_recording_fails_a_strict_replay(tmp_path: Path) -> None:
    import yaml

    recorded = len(yaml.safe_load(SEED_RECORDING.read_text(encoding="utf-8"))["interactions"])
    assert recorded >= 2
    with (
        pytest.raises(briefer.ReplayError, match=rf"{recorded} recorded response\(s\) were never asked for"),
        briefer.replaying(SEED_RECORDING, strict=True),
    ):
        pass


def test_errors_carry_the_public_name() -> None:
    import pickle

    error = briefer.ReplayError("the recording holds no response")
    assert f"{type(error).__module__}.{type(error).__qualname__}" == "briefer.ReplayError"
    assert pickle.loads(pickle.dumps(error)).args == error.args

"""Every Python snippet in the README runs as written, offline, from the example recordings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
SNIPPETS = re.findall(r"^```python\n(.*?)^```$", README, flags=re.MULTILINE | re.DOTALL)


def test_the_readme_has_python_snippets() -> None:
    assert len(SNIPPETS) >= 6


@pytest.mark.parametrize("snippet", SNIPPETS, ids=[f"snippet{i + 1}" for i in range(len(SNIPPETS))])
def test_snippet_runs_as_written(snippet: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # run from a folder that looks like the repository root (examples/ is the real one), so that what a
    # snippet writes lands in a temporary folder
    workdir = tmp_path / "repo"
    workdir.mkdir()
    (workdir / "examples").symlink_to(ROOT / "examples")
    monkeypatch.chdir(workdir)
    exec(compile(snippet, "README.md", "exec"), {"__name__": "readme_snippet"})

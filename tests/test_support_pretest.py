"""The agreement table's shortcuts to the support check (the word test first, then its tests cheapest first)
give the whole check's verdict on a real model's claims and articles."""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path

import pytest

from briefer._cli import main
from briefer._pipeline import synthesis
from briefer._support import Wording, check_support, evidence_stems, supports, wording
from tests.conftest import EXAMPLES


def test_shortcuts_keep_the_support_checks_verdicts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The example morning (a real model's recording), with every window the table tries kept for the whole check."""
    tried: list[tuple[str, str, str]] = []

    def spy(statement: str, evidence: str, *, context: str = "") -> bool:
        tried.append((statement, evidence, context))
        return supports(statement, evidence, context=context)

    monkeypatch.setattr(synthesis, "supports", spy)
    monkeypatch.setattr(Wording, "may_support", lambda self, stems: True)  # every window reaches the spy
    monkeypatch.setattr(synthesis, "_STANCES", OrderedDict())
    with pytest.raises(SystemExit) as exited:
        main(["morning", str(EXAMPLES / "sources.toml"), "--out", str(tmp_path), "--state", str(tmp_path / "s")])
    assert exited.value.code == 0
    monkeypatch.undo()

    verdicts = [(s, e, check_support(s, e, context=c).supported, supports(s, e, context=c)) for s, e, c in tried]
    assert [whole for *_, whole, _ in verdicts] == [quick for *_, quick in verdicts]
    accepted = [(s, e) for s, e, whole, _ in verdicts if whole]
    refused = [(s, e) for s, e, whole, _ in verdicts if not whole]
    assert accepted and refused
    for statement, evidence in accepted:  # the word test never turns away what the check accepts
        words = wording(statement)
        assert words is not None and words.may_support(evidence_stems(evidence)), (statement, evidence)
    turned_away = sum(1 for s, e in refused if (w := wording(s)) is None or not w.may_support(evidence_stems(e)))
    assert turned_away * 2 > len(refused)  # the point of it: most refusals come cheap

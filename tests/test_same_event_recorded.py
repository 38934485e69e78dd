"""The second look at borderline pairs, answered by a real model (replayed from its recording).

Re-record (two questions, a few minutes with the local model):
    eval "$(../shared/tools/local-llm env)" && pytest tests/test_same_event_recorded.py --record-mode=rewrite
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bench.clustering import load_set, story_item
from briefer._config import Settings
from briefer._grouping import Grouping
from briefer._llm import LLM
from briefer._pipeline.same_event import PairContext, SecondLook, second_look
from briefer._store import Store

pytestmark = [pytest.mark.llm, pytest.mark.vcr]

HARD = Path(__file__).parent / "data" / "lookalikes"


def test_second_look_on_the_hard_sets_closest_pairs(model_settings: Settings, tmp_path: Path) -> None:
    labelled = load_set(HARD)
    contexts = [PairContext(a.content_hash, a.source.outlet or "", a.source.published or "") for a in labelled.articles]
    grouping = Grouping([story_item(a) for a in labelled.articles])

    async def run() -> SecondLook:
        llm = LLM(model_settings)
        try:
            with Store(tmp_path / "state.sqlite3") as store:
                return await second_look(grouping, contexts, llm, store, limit=2)
        finally:
            await llm.aclose()

    look = asyncio.run(run())
    assert look.asked == 2 and look.failed == 0
    assert len(look.verdicts) == 2 and all(isinstance(v, bool) for v in look.verdicts.values())
    assert all(answer.reason.strip() for answer in look.answers.values())
    assert look.usage.requests >= 2
    for (i, j), same in look.verdicts.items():  # what the real model said, next to the labels, for the record
        truth = labelled.stories[i] == labelled.stories[j]
        print(f"\n{labelled.paths[i].name} ~ {labelled.paths[j].name}: model {same}, labels {truth}")

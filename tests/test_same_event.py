"""The second look against a fake endpoint: which pairs are asked, the bound, the budget, the cache, failures.

The fake's answers are computed by the test to exercise briefer's logic; none stands for a model's output.
"""

from __future__ import annotations

import asyncio
import json
import random
from pathlib import Path

from bench.clustering import load_set, story_item
from bench.corpus import generate
from briefer._config import Settings
from briefer._grouping import THRESHOLD, Grouping
from briefer._llm import LLM
from briefer._models.same_event import SameEventAnswer
from briefer._pipeline.same_event import PairContext, Questions, SecondLook, second_look, settled_groups
from briefer._store import Store
from tests.fake_openai import FakeOpenAI, Reply, completion

SECOND = Path(__file__).parent / "data" / "stories"


def batch() -> tuple[Grouping, list[PairContext]]:
    labelled = load_set(SECOND)
    contexts = [PairContext(a.content_hash, a.source.outlet or "", a.source.published or "") for a in labelled.articles]
    return Grouping([story_item(a) for a in labelled.articles]), contexts


def different(request: dict) -> Reply:
    assert "same event" in request["messages"][0]["content"]
    return completion(json.dumps({"reason": "other dates", "same_event": False}))


def look(fake: FakeOpenAI, store: Store, **options: object) -> tuple[Grouping, SecondLook]:
    grouping, contexts = batch()
    llm = LLM(Settings(base_url=fake.base_url, api_key="k", model="fake", remember_modes=False))

    async def run() -> SecondLook:
        try:
            return await second_look(grouping, contexts, llm, store, **options)  # type: ignore[arg-type]
        finally:
            await llm.aclose()

    return grouping, asyncio.run(run())


def test_borderline_pairs_are_asked_once_then_cached(fake_openai: FakeOpenAI, tmp_path: Path) -> None:
    fake_openai.responder = different
    with Store(tmp_path / "state.sqlite3") as store:
        grouping, first = look(fake_openai, store, limit=2)
        close = grouping.borderline()
        assert len(close) > 2  # so the bound matters
        assert (first.asked, first.skipped, first.cached, first.failed) == (2, len(close) - 2, 0, 0)
        assert list(first.verdicts) == close[:2] and not any(first.verdicts.values())
        assert first.usage.requests == len(fake_openai.requests) == 2
        user = fake_openai.requests[0]["messages"][1]["content"]
        i, j = close[0]
        assert grouping.items[i].title in user and grouping.items[j].title in user
        again = look(fake_openai, store, limit=2)[1]
    assert (again.cached, again.asked) == (2, 2) and len(fake_openai.requests) == 4
    assert again.usage.requests == 2  # only the two pairs not asked before


def test_nothing_is_asked_past_the_budget(fake_openai: FakeOpenAI, tmp_path: Path) -> None:
    fake_openai.responder = different
    with Store(tmp_path / "state.sqlite3") as store:
        grouping, result = look(fake_openai, store, can_spend=lambda: False)
    assert result.asked == 0 and result.skipped == len(grouping.borderline()) and not fake_openai.requests


def test_a_failed_answer_leaves_the_score_to_decide(fake_openai: FakeOpenAI, tmp_path: Path) -> None:
    fake_openai.responder = lambda request: completion("not json at all")
    with Store(tmp_path / "state.sqlite3") as store:
        grouping, result = look(fake_openai, store, limit=1)
    assert (result.asked, result.failed, result.verdicts) == (1, 1, {})
    assert result.usage.requests == 3  # the question and its two re-asks
    assert grouping.groups(verdicts=result.verdicts) == grouping.groups()


def test_questions_go_together_and_the_verdicts_are_those_asked_one_by_one(
    fake_openai: FakeOpenAI, tmp_path: Path
) -> None:
    def slow_and_alternating(request: dict) -> Reply:
        same = sum(map(ord, request["messages"][1]["content"])) % 2 == 0  # differs between pairs, fixed per pair
        reply = completion(json.dumps({"reason": "checked", "same_event": same}))
        reply.delay = 0.2  # every question is still unanswered when the others are sent
        return reply

    fake_openai.responder = slow_and_alternating
    grouping, contexts = batch()

    def run(jobs: int, state: Path) -> tuple[SecondLook, int]:
        llm = LLM(Settings(base_url=fake_openai.base_url, api_key="k", model="fake", remember_modes=False))

        async def ask(store: Store) -> SecondLook:
            try:
                return await second_look(grouping, contexts, llm, store, limit=4, jobs=jobs)
            finally:
                await llm.aclose()

        with Store(state) as store:
            return asyncio.run(ask(store)), llm.slots.most_in_flight

    together, most = run(8, tmp_path / "together.sqlite3")
    one_by_one, one = run(1, tmp_path / "one-by-one.sqlite3")
    assert (most, one) == (4, 1)
    assert list(together.verdicts.items()) == list(one_by_one.verdicts.items())
    assert len(set(together.verdicts.values())) == 2  # both answers occur, so an answer given to another pair shows
    assert (together.asked, together.usage) == (one_by_one.asked, one_by_one.usage)
    assert sorted(map(json.dumps, fake_openai.requests[:4])) == sorted(map(json.dumps, fake_openai.requests[4:]))


def test_settled_groups_are_those_found_whatever_the_pending_answers() -> None:
    # what is tested is the bookkeeping, on many pairs near the threshold: generated events no longer give them
    # (their look-alikes share only parts of names), so scores are drawn around the threshold
    draw = random.Random(3)
    scores = {
        (i, j): draw.uniform(0.4, 1.8) * THRESHOLD for i, j in (sorted(draw.sample(range(300), 2)) for _ in range(400))
    }
    grouping = Grouping(generate(300), scores=scores)
    close = grouping.borderline()
    assert len(close) > 100
    rng = random.Random(9)
    for trial in range(12):
        known = dict(rng.sample([(pair, rng.random() < 0.5) for pair in close], rng.randrange(len(close))))
        pending = rng.sample([pair for pair in close if pair not in known], min(8, len(close) - len(known)))
        answers = {pair: SameEventAnswer(reason="r", same_event=same) for pair, same in known.items()}
        settled = settled_groups(grouping, Questions(SecondLook(), close, answers, [(*p, "key") for p in pending]))
        if trial == 0:
            assert 0 < len(settled) < len(grouping.groups(verdicts=known))  # some settled, some not
        for _ in range(4):
            final = {**known, **{pair: rng.random() < 0.5 for pair in pending if rng.random() < 0.8}}
            groups = grouping.groups(verdicts=final)
            assert all(group in groups for group in settled)

"""The model's second look at borderline pairs in story grouping: one small "same event?" question per pair.

Only pairs whose score lies close to the threshold are asked (``Grouping.borderline``), the closest first, at
most MAX_SECOND_LOOKS per run and none once the run's budget would be passed. Answers are cached in the state
file by the two articles' content hashes, the prompt version and the model, so a rerun asks nothing. A pair
whose question fails keeps its score: the second look can only refine grouping, never stop a run.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from briefer._errors import LLMError
from briefer._grouping import THRESHOLD, Grouping, lede
from briefer._llm import LLM
from briefer._models import Usage
from briefer._models.same_event import SameEventAnswer
from briefer._pipeline.jobs import bounded_gather
from briefer._pipeline.session import Session
from briefer._prompts import load_prompt
from briefer._store import Store

__all__ = [
    "MAX_SECOND_LOOKS",
    "PROMPT",
    "PairContext",
    "Questions",
    "SecondLook",
    "ask_questions",
    "plan_second_look",
    "second_look",
    "settled_groups",
]

PROMPT = "same_event"
MAX_SECOND_LOOKS = 8  # a few seconds of a hosted model, a few minutes of a small local one
_CACHE_PREFIX = "same-event:"
QUESTION_LEDE_CHARS = 500  # enough for who, what, where and when; a small model reads the rest poorly


@dataclass(frozen=True)
class PairContext:
    """What the question shows of one article besides grouping's features."""

    content_hash: str
    outlet: str
    published: str


@dataclass
class SecondLook:
    """The verdicts of one run's second look, and what they cost."""

    verdicts: dict[tuple[int, int], bool] = field(default_factory=dict)
    answers: dict[tuple[int, int], SameEventAnswer] = field(default_factory=dict)
    usage: Usage = field(default_factory=Usage)
    asked: int = 0  # questions sent to the model (each may take more than one request)
    cached: int = 0
    skipped: int = 0  # borderline pairs left to the score: over the per-run bound or the budget
    failed: int = 0


def pair_key(a: str, b: str) -> str:
    """The cache key of a pair of articles: their content hashes, order-free."""
    return _CACHE_PREFIX + hashlib.sha256("\n".join(sorted((a, b))).encode()).hexdigest()


@dataclass
class Questions:
    """What the second look has before it asks: answers cached earlier, and the pairs it will ask, in order."""

    look: SecondLook
    borderline: list[tuple[int, int]]
    found: dict[tuple[int, int], SameEventAnswer]
    asked: list[tuple[int, int, str]]  # the pair and its cache key

    def known(self) -> dict[tuple[int, int], bool]:
        """The verdicts already known (cached), before any question is asked."""
        return {pair: answer.same_event for pair, answer in self.found.items()}


async def second_look(
    grouping: Grouping,
    contexts: Sequence[PairContext],
    llm: LLM,
    store: Store,
    *,
    threshold: float = THRESHOLD,
    limit: int = MAX_SECOND_LOOKS,
    can_spend: Callable[[], bool] = lambda: True,
    jobs: int = 1,
) -> SecondLook:
    """Ask the model about the borderline pairs of ``grouping`` (cached answers first, then at most ``limit``).

    The questions are independent: up to ``jobs`` are under way at once (1: asked one by one, in order).
    """
    questions = plan_second_look(grouping, contexts, llm, store, threshold=threshold, limit=limit, can_spend=can_spend)
    return await ask_questions(questions, grouping, contexts, llm, store, jobs=jobs)


def plan_second_look(
    grouping: Grouping,
    contexts: Sequence[PairContext],
    llm: LLM,
    store: Store,
    *,
    threshold: float = THRESHOLD,
    limit: int = MAX_SECOND_LOOKS,
    can_spend: Callable[[], bool] = lambda: True,
) -> Questions:
    """The cached answers, and which pairs to ask (settled before any is sent, as when asked one by one:
    ``can_spend`` is the run's budget, which the answers only join once the second look is over)."""
    questions = Questions(look=SecondLook(), borderline=grouping.borderline(threshold), found={}, asked=[])
    look, version = questions.look, load_prompt(PROMPT).version
    for i, j in questions.borderline:
        key = pair_key(contexts[i].content_hash, contexts[j].content_hash)
        answer = _cached(store, key, version, llm.model)
        if answer is not None:
            look.cached += 1
            questions.found[i, j] = answer
        elif look.asked >= limit or not can_spend():
            look.skipped += 1
        else:
            look.asked += 1
            questions.asked.append((i, j, key))
    return questions


async def ask_questions(
    questions: Questions, grouping: Grouping, contexts: Sequence[PairContext], llm: LLM, store: Store, *, jobs: int
) -> SecondLook:
    """Ask the planned questions, up to ``jobs`` at once; each answer is stored as soon as it comes."""
    look, found, version = questions.look, dict(questions.found), load_prompt(PROMPT).version

    async def ask(i: int, j: int, key: str) -> None:
        answer = await _ask(grouping, contexts, i, j, llm, look)
        if answer is not None:
            store.put_synthesis(key, version, llm.model, answer.model_dump(mode="json"))
            found[i, j] = answer

    await bounded_gather([functools.partial(ask, *question) for question in questions.asked], jobs)
    for pair in questions.borderline:  # in the order the pairs were considered, whatever order the answers came in
        if pair in found:
            look.answers[pair] = found[pair]
            look.verdicts[pair] = found[pair].same_event
    return look


def settled_groups(grouping: Grouping, questions: Questions, threshold: float = THRESHOLD) -> list[list[int]]:
    """The groups that no pending answer can change, as ``grouping.groups`` will give them once it is in.

    Average linkage merges two groups only when their mean similarity reaches ``threshold``, so when some pair
    across them does: every group lies within one connected part of the graph of such pairs (the verdicts
    known applied), and no part's groups depend on what lies outside it. An answer changes one pair's score:
    the parts that hold a pending pair (joined by it, whatever the answer) are unsettled; the rest are settled.
    """
    known = questions.known()
    parent = list(range(len(grouping.items)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    pending = [(i, j) for i, j, _key in questions.asked]
    for i, j in [pair for pair, score in grouping.scores.items() if pair not in known and score >= threshold]:
        parent[root(i)] = root(j)
    for i, j in [pair for pair, same in known.items() if same] + pending:
        parent[root(i)] = root(j)
    unsettled = {root(i) for i, _j in pending}
    return [group for group in grouping.groups(threshold, verdicts=known) if root(group[0]) not in unsettled]


def _cached(store: Store, key: str, version: str, model: str) -> SameEventAnswer | None:
    data = store.get_synthesis(key, version, model)
    if data is None:
        return None
    try:
        return SameEventAnswer.model_validate(data)
    except ValidationError:
        return None  # cached under an older schema: ask again


async def _ask(
    grouping: Grouping, contexts: Sequence[PairContext], i: int, j: int, llm: LLM, look: SecondLook
) -> SameEventAnswer | None:
    session = Session(llm)
    try:
        answer = await session.ask(
            PROMPT,
            SameEventAnswer,
            first=_article(grouping, contexts, i),
            second=_article(grouping, contexts, j),
            conflicts=grouping.conflicts(i, j),
        )
    except LLMError as exc:
        look.usage = look.usage + (exc.usage or Usage())
        look.failed += 1
        return None
    look.usage = look.usage + session.usage
    return answer


def _article(grouping: Grouping, contexts: Sequence[PairContext], index: int) -> dict[str, Any]:
    item, context = grouping.items[index], contexts[index]
    return {
        "outlet": context.outlet,
        "published": context.published,
        "headline": item.title,
        "lede": lede(item.text, QUESTION_LEDE_CHARS),
        **grouping.signature_view(index),
    }

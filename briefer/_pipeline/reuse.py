"""What a morning run reuses from the runs before it when nothing changed: stories, grouping scores, duplicates.

A story is reused when the previous briefing, made with the same prompts, checks and model, holds a story of
exactly the same articles under the same ids and run by the same outlets: its claims were checked then, against
the same texts, so they are not checked again (a one-article story also needs the article's briefing to be the one
it was made from). Duplicate groups are reused when the same articles (text, date, outlet, byline) arrive in the
same order, which spares a rerun the shingling; grouping scores likewise, when the same
articles with the same briefings (the same prompts and model) are grouped again, and the groups, when the
second look's verdicts are the same too.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence

from briefer._dedupe import DuplicateGroup, find_duplicates
from briefer._grouping import THRESHOLD, Grouping, StoryItem
from briefer._models import Article, PastMorning, Story
from briefer._pipeline.story import StoryArticle
from briefer._store import Store
from briefer._store_retention import DEDUPE_MEMO, GROUPING_MEMO, GROUPS_MEMO

__all__ = ["PreviousStories", "duplicate_groups", "grouping_key", "grouping_of", "groups_of"]

_DEDUPE_VERSION = "dedupe-1"
_GROUPING_VERSION = "grouping-1"
_GROUPS_VERSION = "groups-1"


class PreviousStories:
    """The previous briefing's stories, found by their articles' ids and content hashes."""

    def __init__(self, previous: PastMorning | None, *, version: str, model: str) -> None:
        self._stories: dict[frozenset[str], Story] = {}
        self._ids: dict[str, str] = {}
        if previous is None or previous.prompt_version != version or previous.model != model:
            return
        failed = {failure.source for failure in previous.failed_sources}
        self._ids = {entry.id: entry.content_hash for entry in previous.articles}
        for story in previous.stories:
            # a story whose synthesis failed stood on a fallback: the next run tries again
            if f"story of {', '.join(story.articles)}" not in failed:
                self._stories[frozenset(story.articles)] = story

    def find(self, members: Sequence[StoryArticle]) -> Story | None:
        """The previous story of exactly these articles, under the same ids and outlets, if there was one."""
        story = self._stories.get(frozenset(member.entry.id for member in members))
        if story is None or any(self._ids.get(m.entry.id) != m.entry.content_hash for m in members):
            return None
        if story.outlets != list(dict.fromkeys(outlet for m in members for outlet in m.outlets)):
            return None  # another outlet ran a copy since: its citations and agreement change
        if len(members) == 1 and not _told_by(story, members[0]):
            return None
        return story


def _told_by(story: Story, member: StoryArticle) -> bool:
    """True if a one-article story was made from the briefing the article has now (not one briefed again since)."""
    briefing = member.entry.briefing
    return story.headline == briefing.headline and [claim.statement for claim in story.claims] == [
        claim.statement for claim in briefing.key_claims
    ]


def duplicate_groups(articles: Sequence[Article], store: Store) -> list[DuplicateGroup]:
    """``find_duplicates(articles)``, or what it found for the very same articles before."""
    identity = hashlib.sha256()
    for article in articles:
        source = article.source
        identity.update(f"{article.content_hash}|{source.published}|{source.outlet}|{source.author}\n".encode())
    key = f"{DEDUPE_MEMO}{identity.hexdigest()}"
    cached = store.get_synthesis(key, _DEDUPE_VERSION, "")
    if cached is not None:
        try:
            return [DuplicateGroup(original=int(g[0]), duplicates=[int(i) for i in g[1]]) for g in cached["groups"]]
        except (KeyError, TypeError, ValueError, IndexError):
            pass  # an unreadable memo: find them again
    groups = find_duplicates(articles)
    store.put_synthesis(key, _DEDUPE_VERSION, "", {"groups": [[g.original, g.duplicates] for g in groups]})
    return groups


def grouping_of(items: Sequence[StoryItem], store: Store, *, key: str) -> Grouping:
    """``Grouping(items)``, from the scores an earlier run computed for the same items (``grouping_key``) if any."""
    cached = store.get_synthesis(key, _GROUPING_VERSION, "")
    if cached is not None:
        try:
            scores = {(i, j): score for i, j, score in cached["scores"]}  # JSON gave the ints and floats back
            return Grouping(items, scores=scores)
        except (KeyError, TypeError, ValueError):
            pass  # an unreadable memo: score again
    grouping = Grouping(items)
    store.put_synthesis(key, _GROUPING_VERSION, "", {"scores": [[i, j, s] for (i, j), s in grouping.scores.items()]})
    return grouping


def grouping_key(items: Sequence[StoryItem], members: Sequence[StoryArticle], *, version: str) -> str:
    """What grouping's scores are memoised under: the items' texts, briefings, dates and titles, in order."""
    identity = hashlib.sha256(version.encode())
    for item, member in zip(items, members, strict=True):
        published = item.published.isoformat() if item.published else ""
        identity.update(f"\n{member.entry.content_hash}|{member.entry.briefing.generation.model}|{published}|".encode())
        identity.update(item.title.encode())
    return f"{GROUPING_MEMO}{identity.hexdigest()}"


def groups_of(
    grouping: Grouping, verdicts: Mapping[tuple[int, int], bool], store: Store, *, key: str
) -> list[list[int]]:
    """``grouping.groups(verdicts=verdicts)``, or what it gave before for the same scores (``key``) and verdicts."""
    identity = hashlib.sha256(f"{key}|{_GROUPING_VERSION}|{THRESHOLD!r}".encode())  # what made the scores
    for (i, j), same in sorted(verdicts.items()):
        identity.update(f"\n{i},{j},{int(same)}".encode())
    memo = f"{GROUPS_MEMO}{identity.hexdigest()}"
    cached = store.get_synthesis(memo, _GROUPS_VERSION, "")
    if cached is not None:
        try:
            return [[int(i) for i in group] for group in cached["groups"]]
        except (KeyError, TypeError, ValueError):
            pass  # an unreadable memo: group again
    groups = grouping.groups(verdicts=verdicts)
    store.put_synthesis(memo, _GROUPS_VERSION, "", {"groups": groups})
    return groups

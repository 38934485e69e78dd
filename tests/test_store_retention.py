"""What the state file forgets: history and caches no run used since the cutoff, all but the newest memos."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from briefer import _store
from briefer._models import Article, Source
from briefer._store import Store
from briefer._store_retention import MEMOS_KEPT
from tests.test_store import make_briefing, make_morning

NOW = datetime.now(UTC)
LONG_AGO = NOW - timedelta(days=60)
CUTOFF = NOW - timedelta(days=30)


def article(text: str) -> Article:
    return Article(text=text, source=Source(outlet="Courier", title=text[:20]))


def rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(path)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "state.sqlite3"


def a_run(store: Store, sources: str, seen: list[Article]) -> int:
    run = store.start_run(sources, None)
    store.record_articles([(a, f"file://{a.content_hash[:8]}") for a in seen], run_id=run)
    for a in seen:
        store.put_briefing(a.content_hash, "v1", "m", make_briefing())
    store.finish_run(run, status="finished", briefing=make_morning(sources))
    return run


def test_forgets_what_no_run_used_since_the_cutoff_and_keeps_the_rest(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gone, still_in_feed, elsewhere, fresh = (article(f"Article {n} of the day.") for n in "ABCD")
    store = Store(db)
    monkeypatch.setattr(_store, "_now", LONG_AGO.isoformat)
    old_run = a_run(store, "k", [gone, still_in_feed])
    other_sources = a_run(store, "other", [elsewhere])
    store.put_synthesis("story-of-long-ago", "v1", "m", {"draft": {}})
    store.record_failure("k", gone, "timed out", strike=False)
    monkeypatch.undo()
    new_run = a_run(store, "k", [still_in_feed, fresh])
    store.put_synthesis("story-of-today", "v1", "m", {"draft": {}})

    deleted = store.forget(before=CUTOFF)
    store.close()

    # sources no run read since the cutoff start afresh; the latest run stays: the next marks what is new by it
    assert rows(db, "SELECT id FROM runs ORDER BY id") == [(new_run,)]
    assert rows(db, "SELECT run_id FROM mornings ORDER BY run_id") == [(new_run,)]
    assert old_run < other_sources < new_run
    briefed = {r[0] for r in rows(db, "SELECT content_hash FROM briefings")}
    # a briefing written long ago stays while its article is still seen
    assert briefed == {still_in_feed.content_hash, fresh.content_hash}
    assert {r[0] for r in rows(db, "SELECT content_hash FROM articles")} == briefed
    assert rows(db, "SELECT story_key FROM syntheses") == [("story-of-today",)]
    assert rows(db, "SELECT count(*) FROM pending") == [(0,)]
    assert deleted == {
        "mornings": 2,
        "sightings": 3,
        "articles": 2,
        "runs": 2,
        "briefings": 2,
        "syntheses": 1,
        "pending": 1,
    }


def test_only_the_newest_memos_of_each_kind_are_kept_whatever_their_age(db: Path) -> None:
    store = Store(db)
    for n in range(MEMOS_KEPT + 3):
        store.put_synthesis(f"grouping:{n}", "g1", "", {"scores": []})
        store.put_synthesis(f"dedupe:{n}", "d1", "", {"groups": []})
    assert store.forget(before=CUTOFF)["syntheses"] == 2 * 3
    kept = {r[0] for r in rows(db, "SELECT story_key FROM syntheses")}
    assert kept == {f"{kind}:{n}" for kind in ("grouping", "dedupe") for n in range(3, MEMOS_KEPT + 3)}
    store.close()


def test_a_file_mostly_forgotten_is_rewritten_smaller(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store(db)
    monkeypatch.setattr(_store, "_now", LONG_AGO.isoformat)
    for n in range(200):
        store.put_synthesis(f"story-{n}", "v1", "m", {"draft": "x" * 4000 + str(n)})
    monkeypatch.undo()
    store.put_synthesis("story-of-today", "v1", "m", {"draft": {}})
    ((pages, page_size),) = rows(db, "SELECT * FROM pragma_page_count(), pragma_page_size()")
    store.forget(before=CUTOFF)
    store.close()
    assert isinstance(pages, int) and isinstance(page_size, int) and pages > 200
    assert db.stat().st_size < pages * page_size / 4
    assert rows(db, "SELECT story_key FROM syntheses") == [("story-of-today",)]


def test_nothing_is_forgotten_when_everything_is_recent(db: Path) -> None:
    store = Store(db)
    a_run(store, "k", [article("One article.")])
    a_run(store, "k", [article("Another article.")])
    assert not any(store.forget(before=CUTOFF).values())
    store.close()

"""The state store: caches keyed exactly, writes durable even across kill -9, run history, damaged files."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import threading
import zlib
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from briefer._errors import ConfigError
from briefer._models import (
    Article,
    AttributionKind,
    Briefing,
    Generation,
    GroundingReport,
    KeyClaim,
    MorningBriefing,
    PastMorning,
    QuoteSpan,
    Source,
)
from briefer._store import SCHEMA_VERSION, Store

ROOT = Path(__file__).resolve().parent.parent
TEXT = "The council approved the budget on Tuesday, the mayor said."


def make_briefing(headline: str = "Council approves budget") -> Briefing:
    return Briefing(
        headline=headline,
        summary="The council approved the budget.",
        key_claims=[
            KeyClaim(
                statement="The budget was approved.",
                speaker="the mayor",
                attribution=AttributionKind.PARAPHRASE,
                evidence=TEXT,
                span=QuoteSpan(start=0, end=len(TEXT)),
                sentences=[1],
            )
        ],
        actors=[],
        open_questions=[],
        source=Source(outlet="Courier"),
        generation=Generation(model="m", endpoint="e", prompt_name="p", prompt_version="v1", output_mode="json"),
        grounding=GroundingReport(proposed=1, published=1),
    )


def make_morning(generated_at: str) -> MorningBriefing:
    return MorningBriefing(
        generated_at=generated_at,
        since=None,
        model="m",
        endpoint="e",
        prompt_version="v1",
        stories=[],
        articles=[],
    )


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "state" / "briefer.sqlite3"


@pytest.fixture
def store(db: Path) -> Store:
    return Store(db)


def raw(path: Path, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        return connection.execute(sql, params).fetchall()
    finally:
        connection.close()


# --- caches ----------------------------------------------------------------------------------------------


def test_creates_parent_directories_and_wal_journal(db: Path) -> None:
    with Store(db) as store:
        assert store.stats() == dict.fromkeys(
            ("articles", "sightings", "briefings", "syntheses", "runs", "mornings", "pending"), 0
        )
    assert raw(db, "PRAGMA journal_mode") == [("wal",)]
    assert raw(db, "PRAGMA user_version") == [(SCHEMA_VERSION,)]


def test_in_memory_store_works() -> None:
    with Store(Path(":memory:")) as store:
        store.put_briefing("h", "v1", "m", make_briefing())
        assert store.get_briefing("h", "v1", "m") == make_briefing()


@pytest.mark.parametrize(
    ("content_hash", "prompt_version", "model"),
    [("other", "v1", "m"), ("h", "v2", "m"), ("h", "v1", "other-model")],
)
def test_briefing_cache_misses_on_any_key_part(
    store: Store, content_hash: str, prompt_version: str, model: str
) -> None:
    store.put_briefing("h", "v1", "m", make_briefing())
    assert store.get_briefing("h", "v1", "m") == make_briefing()
    assert store.get_briefing(content_hash, prompt_version, model) is None


def test_put_briefing_replaces_and_survives_reopening(db: Path) -> None:
    with Store(db) as store:
        store.put_briefing("h", "v1", "m", make_briefing("first"))
        store.put_briefing("h", "v1", "m", make_briefing("second"))
    with Store(db) as store:
        cached = store.get_briefing("h", "v1", "m")
        assert cached is not None
        assert cached.headline == "second"
        assert store.stats()["briefings"] == 1


_CHILD = """
import os, signal, sys
from pathlib import Path
from briefer._models import Briefing
from briefer._store import Store
store = Store(Path(sys.argv[1]))
store.put_briefing("h", "v1", "m", Briefing.model_validate_json(sys.stdin.read()))
store.put_synthesis("s", "v1", "m", {"headline": "story"})
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_put_survives_kill_9_right_after_it_returns(db: Path) -> None:
    child = subprocess.run(
        [sys.executable, "-c", _CHILD, str(db)],
        input=make_briefing().model_dump_json(),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert child.returncode == -signal.SIGKILL, child.stderr
    with Store(db) as store:
        assert store.get_briefing("h", "v1", "m") == make_briefing()
        assert store.get_synthesis("s", "v1", "m") == {"headline": "story"}


def test_synthesis_cache_round_trips_json_and_is_keyed(store: Store) -> None:
    data = {"headline": "Fire", "claims": [{"statement": "x", "supported_by": []}], "score": 1.5}
    store.put_synthesis("story", "v1", "m", data)
    assert store.get_synthesis("story", "v1", "m") == data
    assert store.get_synthesis("story", "v2", "m") is None
    assert store.get_synthesis("story", "v1", "m2") is None
    assert store.get_synthesis("other", "v1", "m") is None


@pytest.mark.parametrize(
    ("stored", "synthesis"),
    [("not json", None), ("[1, 2]", None), ('{"headline": 1}', {"headline": 1})],  # the caller validates objects
)
def test_rows_that_no_longer_validate_are_cache_misses(db: Path, stored: str, synthesis: object) -> None:
    with Store(db) as store:
        store.put_briefing("h", "v1", "m", make_briefing())
        store.put_synthesis("s", "v1", "m", {"a": 1})
        run = store.start_run("k", None)
        store.finish_run(run, status="finished", briefing=make_morning("2026-01-01T07:00:00+00:00"))
    for table in ("briefings", "syntheses", "mornings"):
        raw(db, f"UPDATE {table} SET data = ?", (stored,))
    with Store(db) as store:
        assert store.get_briefing("h", "v1", "m") is None
        assert store.get_synthesis("s", "v1", "m") == synthesis
        assert store.previous_morning("k", before_run=run + 1) is None
        store.put_briefing("h", "v1", "m", make_briefing())  # a fresh answer replaces the stale row
        assert store.get_briefing("h", "v1", "m") == make_briefing()


# --- articles seen -------------------------------------------------------------------------------------


def test_record_articles_first_seen_and_sightings_from_two_outlets(db: Path) -> None:
    with Store(db) as store:
        first, second = store.start_run("k", None), store.start_run("k", None)
        courier = Article(text=TEXT, source=Source(outlet="Courier", url="https://courier.example/a"))
        wire = Article(text=TEXT, source=Source(outlet="Metro Wire", url="https://wire.example/b"))
        assert store.record_articles([(courier, "https://courier.example/a")], run_id=first) == [True]
        # the same sighting twice is recorded once
        sightings = [(wire, "https://wire.example/b"), (wire, "https://wire.example/b")]
        assert store.record_articles(sightings, run_id=second) == [False, False]
        assert store.stats()["articles"] == 1
        assert store.stats()["sightings"] == 2
    assert raw(db, "SELECT first_run FROM articles") == [(first,)]
    outlets = raw(db, "SELECT outlet, location FROM sightings ORDER BY run_id")
    assert outlets == [("Courier", "https://courier.example/a"), ("Metro Wire", "https://wire.example/b")]


def test_seen_before_counts_only_earlier_finished_runs(store: Store) -> None:
    article = Article(text=TEXT)
    finished = store.start_run("k", None)
    store.record_articles([(article, "a.txt")], run_id=finished)
    store.finish_run(finished, status="finished", briefing=None)
    failed = store.start_run("k", None)
    other = Article(text="Only a failed run saw this.")
    store.record_articles([(other, "b.txt")], run_id=failed)
    store.finish_run(failed, status="failed", briefing=None)
    now = store.start_run("k", None)
    assert store.seen_before(article.content_hash, before_run=now) is True
    assert store.seen_before(article.content_hash, before_run=finished) is False
    assert store.seen_before(other.content_hash, before_run=now) is False
    assert store.seen_before("never", before_run=now) is False


# --- runs and history ------------------------------------------------------------------------------------


def test_runs_last_finished_and_previous_morning(db: Path) -> None:
    store = Store(db)
    assert store.last_finished_run("k") is None
    first = store.start_run("k", datetime(2026, 1, 1, 6, tzinfo=timezone(timedelta(hours=1))))
    store.finish_run(first, status="finished", briefing=make_morning("first"))
    failed = store.start_run("k", None)
    store.finish_run(failed, status="failed", briefing=None)
    elsewhere = store.start_run("other sources", None)
    store.finish_run(elsewhere, status="finished", briefing=make_morning("elsewhere"))
    unfinished = store.start_run("k", None)

    last = store.last_finished_run("k")
    assert last is not None
    assert (last.id, last.status) == (first, "finished")
    assert last.started_at.tzinfo is not None
    assert last.finished_at is not None
    assert last.started_at <= last.finished_at <= datetime.now(UTC)
    previous = store.previous_morning("k", before_run=unfinished)
    assert previous is not None
    assert previous.generated_at == "first"  # not the failed run's, nor the other sources'
    assert store.previous_morning("k", before_run=first) is None
    assert store.previous_morning("other sources", before_run=elsewhere) is None

    store.finish_run(unfinished, status="finished", briefing=make_morning("latest"))
    later = store.start_run("k", None)
    latest = store.previous_morning("k", before_run=later)
    assert latest is not None
    assert latest.generated_at == "latest"
    last = store.last_finished_run("k")
    assert last is not None
    assert last.id == unfinished
    store.close()
    assert raw(db, "SELECT since FROM runs WHERE id = ?", (first,)) == [("2026-01-01T05:00:00+00:00",)]
    assert raw(db, "SELECT status FROM runs WHERE id = ?", (later,)) == [("running",)]


def test_finish_run_rejects_unknown_status_and_run(store: Store) -> None:
    run = store.start_run("k", None)
    with pytest.raises(ValueError, match="status"):
        store.finish_run(run, status="done", briefing=None)
    with pytest.raises(ValueError, match="no run"):
        store.finish_run(run + 100, status="finished", briefing=None)


# --- damaged, foreign and future files -------------------------------------------------------------------


def test_a_file_that_is_not_sqlite_is_a_one_line_config_error(tmp_path: Path) -> None:
    path = tmp_path / "briefer.sqlite3"
    path.write_bytes(b"\x00garbage, not a database\n" * 200)
    with pytest.raises(ConfigError) as caught:
        Store(path)
    message = str(caught.value)
    assert "\n" not in message
    assert str(path) in message
    assert "move it aside" in message


def test_a_database_from_a_newer_briefer_is_refused(db: Path) -> None:
    Store(db).close()
    raw(db, f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(ConfigError, match="newer briefer") as caught:
        Store(db)
    assert str(db) in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_path_that_cannot_be_created_is_a_config_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ConfigError, match="cannot open state database"):
        Store(blocker / "state.sqlite3")


# --- threads and processes -------------------------------------------------------------------------------


def test_concurrent_puts_from_threads_and_two_connections(db: Path) -> None:
    stores = [Store(db), Store(db)]
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def work(worker: int) -> None:
        store = stores[worker % 2]
        try:
            barrier.wait()
            for i in range(25):
                store.put_briefing(f"h{worker}-{i}", "v1", "m", make_briefing(f"{worker}-{i}"))
                store.put_synthesis(f"s{worker}-{i}", "v1", "m", {"n": i})
                assert store.get_briefing(f"h{worker}-{i}", "v1", "m") is not None
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert stores[0].stats()["briefings"] == 200
    assert stores[1].stats()["syntheses"] == 200
    for store in stores:
        store.close()


def test_a_morning_is_stored_compressed_and_an_older_text_row_still_reads(db: Path) -> None:
    morning = make_morning("2026-01-01T07:00:00+00:00")
    with Store(db) as store:
        first = store.start_run("k", None)
        store.finish_run(first, status="finished", briefing=morning)
    (data,) = raw(db, "SELECT data FROM mornings WHERE run_id = ?", (first,))[0]
    assert isinstance(data, bytes) and MorningBriefing.model_validate_json(zlib.decompress(data)) == morning
    raw(db, "UPDATE mornings SET data = ?", (morning.model_dump_json(),))  # as runs before compression stored it
    with Store(db) as store:
        assert store.previous_morning("k", before_run=first + 1) == PastMorning.model_validate(morning.model_dump())
    raw(db, "UPDATE mornings SET data = ?", (b"\x78\x9cnot zlib",))
    with Store(db) as store:
        assert store.previous_morning("k", before_run=first + 1) is None

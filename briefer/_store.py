"""Briefer's state in one SQLite file: cached briefings and syntheses, articles seen, runs and their briefings.

Every write commits at once (WAL, ``synchronous=NORMAL``), so a run that is interrupted, even by kill -9,
keeps every briefing it finished, and a rerun over the same inputs asks the model nothing.

Tables (keys in brackets)::

    articles   [content_hash]                         first_seen, first_run, title
    sightings  [content_hash, run_id, location]       outlet, seen_at
    briefings  [content_hash, prompt_version, model]  data (Briefing JSON), created_at
    syntheses  [story_key, prompt_version, model]     data (JSON object), created_at
    runs       [id]                                   sources_key, since, started_at, finished_at, status
    mornings   [run_id]                               data (MorningBriefing JSON, zlib-compressed; older rows text)
    pending    [sources_key, content_hash]            article (Article JSON), status, reason, strikes, shown

``pending`` holds every article a run could not brief: ``retry`` ones are briefed again by the next run over
the same sources whatever its ``since``; ``failed`` ones (bad output twice) are listed once more, then rest.

Timestamps are ISO 8601 UTC text. ``PRAGMA user_version`` counts the migrations applied.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from briefer._errors import ConfigError
from briefer._models import Article, Briefing, MorningBriefing, PastMorning

__all__ = [
    "RUN_STATUSES",
    "SCHEMA_VERSION",
    "STRIKES_FOR_GOOD",
    "DamagedStateError",
    "PendingArticle",
    "RunRecord",
    "Store",
]

RUN_STATUSES = frozenset({"running", "finished", "failed", "interrupted"})
BUSY_TIMEOUT_SECONDS = 30.0
STRIKES_FOR_GOOD = 2  # bad output twice: the model will not brief this text

# One entry per schema version: append, never edit, so every existing file upgrades step by step.
_MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE articles (
            content_hash TEXT PRIMARY KEY, first_seen TEXT NOT NULL, first_run INTEGER, title TEXT)""",
        """CREATE TABLE runs (
            id INTEGER PRIMARY KEY AUTOINCREMENT, sources_key TEXT NOT NULL, since TEXT,
            started_at TEXT NOT NULL, finished_at TEXT, status TEXT NOT NULL)""",
        "CREATE INDEX runs_by_sources ON runs (sources_key, status, id)",
        """CREATE TABLE sightings (
            content_hash TEXT NOT NULL REFERENCES articles (content_hash),
            run_id INTEGER NOT NULL REFERENCES runs (id), location TEXT NOT NULL, outlet TEXT,
            seen_at TEXT NOT NULL, PRIMARY KEY (content_hash, run_id, location))""",
        """CREATE TABLE briefings (
            content_hash TEXT NOT NULL, prompt_version TEXT NOT NULL, model TEXT NOT NULL,
            data TEXT NOT NULL, created_at TEXT NOT NULL, PRIMARY KEY (content_hash, prompt_version, model))""",
        """CREATE TABLE syntheses (
            story_key TEXT NOT NULL, prompt_version TEXT NOT NULL, model TEXT NOT NULL,
            data TEXT NOT NULL, created_at TEXT NOT NULL, PRIMARY KEY (story_key, prompt_version, model))""",
        "CREATE TABLE mornings (run_id INTEGER PRIMARY KEY REFERENCES runs (id), data TEXT NOT NULL)",
    ),
    (
        """CREATE TABLE pending (
            sources_key TEXT NOT NULL, content_hash TEXT NOT NULL, article TEXT NOT NULL,
            status TEXT NOT NULL, reason TEXT NOT NULL, strikes INTEGER NOT NULL DEFAULT 0,
            shown INTEGER NOT NULL DEFAULT 0, updated_at TEXT NOT NULL, PRIMARY KEY (sources_key, content_hash))""",
    ),
    (  # what forgetting looks up: without them it reads every cached row, data and all, at the end of every run
        "CREATE INDEX briefings_by_age ON briefings (created_at)",
        "CREATE INDEX syntheses_by_age ON syntheses (created_at)",
    ),
)
SCHEMA_VERSION = len(_MIGRATIONS)
_TABLES = ("articles", "sightings", "briefings", "syntheses", "runs", "mornings", "pending")
_DAMAGED = frozenset({"SQLITE_NOTADB", "SQLITE_CORRUPT"})


@dataclass(frozen=True)
class RunRecord:
    """One morning run: when it started and finished, and how it ended."""

    id: int
    started_at: datetime
    finished_at: datetime | None
    status: str


class DamagedStateError(ConfigError):
    """The state file is not a SQLite database, or fails SQLite's integrity check."""


@dataclass(frozen=True)
class PendingArticle:
    """An article a run could not brief: ``retry`` it next run, or ``failed`` for good (after ``strikes``)."""

    article: Article
    status: str
    reason: str
    strikes: int
    shown: bool


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _utc(moment: datetime) -> str:
    """ISO 8601 UTC text; a naive datetime is taken to be UTC already."""
    aware = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return aware.isoformat()


class Store:
    """Briefer's state file. Safe to share between threads; every write is committed when it returns."""

    def __init__(self, path: Path) -> None:
        self.path = path
        # one connection shared by the caller's worker threads (asyncio.to_thread); the lock serialises it
        self._lock = threading.Lock()
        try:
            if str(path) != ":memory:":
                path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(
                str(path), timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None, check_same_thread=False
            )
        except (OSError, sqlite3.Error) as exc:
            raise ConfigError(f"cannot open state database {path}: {exc}") from exc
        try:
            with self._guard():
                self._check_integrity()
                self._configure()
                self._migrate()
        except BaseException:
            self._db.close()
            raise

    def close(self) -> None:
        """Close the file; the Store cannot be used afterwards."""
        with self._lock:
            # lets SQLite refresh its query-planner statistics when they are stale; cheap when not
            with suppress(sqlite3.Error):
                self._db.execute("PRAGMA optimize")
            self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- articles seen -------------------------------------------------------------------------------

    def record_articles(self, sightings: Sequence[tuple[Article, str]], *, run_id: int) -> list[bool]:
        """Record that ``run_id`` saw each article at its location, in one transaction; True where the text is new."""
        now = _now()
        new: list[bool] = []
        with self._transaction() as db:
            for article, location in sightings:
                digest = article.content_hash
                inserted = db.execute(
                    "INSERT INTO articles (content_hash, first_seen, first_run, title) VALUES (?, ?, ?, ?)"
                    " ON CONFLICT (content_hash) DO NOTHING",
                    (digest, now, run_id, article.source.title),
                ).rowcount
                db.execute(
                    "INSERT INTO sightings (content_hash, run_id, location, outlet, seen_at) VALUES (?, ?, ?, ?, ?)"
                    " ON CONFLICT DO NOTHING",
                    (digest, run_id, location, article.source.outlet, now),
                )
                new.append(inserted == 1)
        return new

    def seen_before(self, content_hash: str, *, before_run: int) -> bool:
        """True if a finished run earlier than ``before_run`` saw this text."""
        # failed or killed runs do not count: they never put the article before the reader
        row = self._one(
            "SELECT 1 FROM sightings JOIN runs ON runs.id = sightings.run_id"
            " WHERE content_hash = ? AND run_id < ? AND status = 'finished' LIMIT 1",
            (content_hash, before_run),
        )
        return row is not None

    # --- per-article briefings -----------------------------------------------------------------------

    def get_briefing(self, content_hash: str, prompt_version: str, model: str) -> Briefing | None:
        """The cached briefing, or None (also when the stored one no longer fits the model)."""
        row = self._one(
            "SELECT data FROM briefings WHERE content_hash = ? AND prompt_version = ? AND model = ?",
            (content_hash, prompt_version, model),
        )
        if row is None:
            return None
        try:
            return Briefing.model_validate_json(row[0])
        except ValidationError:
            return None

    def put_briefing(self, content_hash: str, prompt_version: str, model: str, briefing: Briefing) -> None:
        """Cache a briefing; it is on disk when this returns."""
        self._upsert("briefings", "content_hash", (content_hash, prompt_version, model), briefing.model_dump_json())

    # --- articles not yet briefed ---------------------------------------------------------------------

    def pending_articles(self, sources_key: str) -> list[PendingArticle]:
        """The articles runs over these sources could not brief, oldest first (unreadable rows left out)."""
        with self._guard() as db:
            rows = db.execute(
                "SELECT article, status, reason, strikes, shown FROM pending WHERE sources_key = ?"
                " ORDER BY updated_at, content_hash",
                (sources_key,),
            ).fetchall()
        pending = []
        for article, status, reason, strikes, shown in rows:
            with suppress(ValidationError):  # stored under an older Article schema: collected afresh instead
                stored = Article.model_validate_json(article)
                pending.append(PendingArticle(stored, status, reason, strikes, shown != 0))
        return pending

    def record_failure(self, sources_key: str, article: Article, reason: str, *, strike: bool) -> bool:
        """Keep ``article`` for the next run; a ``strike`` (bad output) counts. True once it failed for good."""
        with self._transaction() as db:
            row = db.execute(
                "SELECT strikes FROM pending WHERE sources_key = ? AND content_hash = ?",
                (sources_key, article.content_hash),
            ).fetchone()
            strikes = (row[0] if row else 0) + (1 if strike else 0)
            status = "failed" if strikes >= STRIKES_FOR_GOOD else "retry"
            db.execute(
                "INSERT INTO pending (sources_key, content_hash, article, status, reason, strikes, shown, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, 0, ?) ON CONFLICT (sources_key, content_hash) DO UPDATE SET"
                " article = excluded.article, status = excluded.status, reason = excluded.reason,"
                " strikes = excluded.strikes, shown = 0, updated_at = excluded.updated_at",
                (sources_key, article.content_hash, article.model_dump_json(), status, reason, strikes, _now()),
            )
        return status == "failed"

    def mark_shown(self, sources_key: str, content_hash: str) -> None:
        """Record that a failed-for-good article was listed once more."""
        with self._transaction() as db:
            db.execute(
                "UPDATE pending SET shown = 1 WHERE sources_key = ? AND content_hash = ?", (sources_key, content_hash)
            )

    def resolve(self, sources_key: str, content_hash: str) -> None:
        """The article is briefed: nothing is owed for it any more."""
        with self._transaction() as db:
            db.execute("DELETE FROM pending WHERE sources_key = ? AND content_hash = ?", (sources_key, content_hash))

    # --- story syntheses -----------------------------------------------------------------------------

    def get_synthesis(self, story_key: str, prompt_version: str, model: str) -> dict[str, Any] | None:
        """The cached synthesis as a JSON object, or None when absent or unreadable."""
        row = self._one(
            "SELECT data FROM syntheses WHERE story_key = ? AND prompt_version = ? AND model = ?",
            (story_key, prompt_version, model),
        )
        if row is None:
            return None
        try:
            data = json.loads(row[0])
        except ValueError:
            return None
        return data if isinstance(data, dict) else None

    def put_synthesis(self, story_key: str, prompt_version: str, model: str, data: dict[str, Any]) -> None:
        """Cache a story synthesis (any JSON object); it is on disk when this returns."""
        self._upsert("syntheses", "story_key", (story_key, prompt_version, model), json.dumps(data))

    # --- runs and history ----------------------------------------------------------------------------

    def start_run(self, sources_key: str, since: datetime | None) -> int:
        """Record a run that starts now over the sources identified by ``sources_key``; return its id."""
        with self._transaction() as db:
            cursor = db.execute(
                "INSERT INTO runs (sources_key, since, started_at, status) VALUES (?, ?, ?, 'running')",
                (sources_key, _utc(since) if since else None, _now()),
            )
        assert cursor.lastrowid is not None  # an INSERT into a rowid table always sets it
        return cursor.lastrowid

    def finish_run(self, run_id: int, *, status: str, briefing: MorningBriefing | None) -> None:
        """Record how a run ended, with the briefing it produced."""
        if status not in RUN_STATUSES - {"running"}:
            raise ValueError(f"unknown run status {status!r}")
        with self._transaction() as db:
            updated = db.execute(
                "UPDATE runs SET finished_at = ?, status = ? WHERE id = ?", (_now(), status, run_id)
            ).rowcount
            if updated != 1:
                raise ValueError(f"no run {run_id} in {self.path}")
            if briefing is not None:
                db.execute(
                    "INSERT INTO mornings (run_id, data) VALUES (?, ?)"
                    " ON CONFLICT (run_id) DO UPDATE SET data = excluded.data",
                    (run_id, _compressed_morning(briefing)),
                )

    def last_finished_run(self, sources_key: str) -> RunRecord | None:
        """The latest run over these sources that finished, or None."""
        row = self._one(
            "SELECT id, started_at, finished_at, status FROM runs"
            " WHERE sources_key = ? AND status = 'finished' ORDER BY id DESC LIMIT 1",
            (sources_key,),
        )
        if row is None:
            return None
        finished = datetime.fromisoformat(row[2]) if row[2] else None
        return RunRecord(id=row[0], started_at=datetime.fromisoformat(row[1]), finished_at=finished, status=row[3])

    def previous_morning(self, sources_key: str, *, before_run: int) -> PastMorning | None:
        """What a later run needs of the latest finished run over these sources before ``before_run``, or None."""
        row = self._one(
            "SELECT data FROM mornings JOIN runs ON runs.id = mornings.run_id"
            " WHERE sources_key = ? AND status = 'finished' AND id < ? ORDER BY id DESC LIMIT 1",
            (sources_key, before_run),
        )
        if row is None:
            return None
        try:
            return PastMorning.model_validate_json(zlib.decompress(row[0]) if isinstance(row[0], bytes) else row[0])
        except (ValidationError, zlib.error):
            return None

    def forget(self, *, before: datetime) -> dict[str, int]:
        """Delete what no run has used since ``before`` (see briefer._store_retention); rows deleted per table.

        When that frees more than half the file, it is rewritten smaller (VACUUM); otherwise the next runs
        reuse the freed pages.
        """
        from briefer._store_retention import forget_before

        with self._transaction() as db:
            deleted = forget_before(db, _utc(before))
        with self._guard() as db:
            free, pages = (db.execute(f"PRAGMA {name}").fetchone()[0] for name in ("freelist_count", "page_count"))
            if free * 2 > pages:
                db.execute("VACUUM")
        return deleted

    def stats(self) -> dict[str, int]:
        """Rows per table."""
        with self._guard() as db:
            return {table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in _TABLES}

    # --- plumbing --------------------------------------------------------------------------------------

    def _check_integrity(self) -> None:
        """Refuse a damaged file before anything is written into it."""
        verdict = self._db.execute("PRAGMA quick_check").fetchone()
        if verdict is None or verdict[0] != "ok":
            raise DamagedStateError(f"state database {self.path} is damaged ({verdict[0] if verdict else 'no answer'})")

    def _configure(self) -> None:
        # WAL: readers never block the writer; NORMAL: a commit survives a killed process (not power loss)
        self._db.execute("PRAGMA journal_mode = WAL")
        self._db.execute("PRAGMA synchronous = NORMAL")
        self._db.execute("PRAGMA foreign_keys = ON")

    def _migrate(self) -> None:
        if self._version() == SCHEMA_VERSION:
            return
        self._db.execute("BEGIN IMMEDIATE")
        try:
            # read again under the write lock: another process may have migrated meanwhile
            version = self._version()
            if version > SCHEMA_VERSION:
                raise ConfigError(
                    f"state database {self.path} was written by a newer briefer (schema {version}, this briefer"
                    f" knows {SCHEMA_VERSION}): upgrade briefer or use another state file (--state / BRIEFER_DB)"
                )
            for number in range(version, SCHEMA_VERSION):
                for statement in _MIGRATIONS[number]:
                    self._db.execute(statement)
            self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            self._db.execute("COMMIT")
        except BaseException:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise

    def _version(self) -> int:
        version: int = self._db.execute("PRAGMA user_version").fetchone()[0]
        return version

    @contextmanager
    def _guard(self) -> Iterator[sqlite3.Connection]:
        """Hold the lock, and turn SQLite's failures into one-line errors that name the file."""
        with self._lock:
            try:
                yield self._db
            except sqlite3.DatabaseError as exc:
                if getattr(exc, "sqlite_errorname", "") in _DAMAGED:
                    raise DamagedStateError(
                        f"state database {self.path} is not a SQLite database or is damaged ({exc}):"
                        " move it aside and briefer will start a new one"
                    ) from exc
                if isinstance(exc, sqlite3.OperationalError):
                    raise ConfigError(f"state database {self.path}: {exc}") from exc
                raise

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction, committed on exit; IMMEDIATE so a busy file is waited for, not failed."""
        with self._guard() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def _one(self, sql: str, params: tuple[Any, ...]) -> tuple[Any, ...] | None:
        with self._guard() as db:
            row: tuple[Any, ...] | None = db.execute(sql, params).fetchone()
            return row

    def _upsert(self, table: str, key: str, keys: tuple[str, str, str], data: str) -> None:
        with self._transaction() as db:
            db.execute(
                f"INSERT INTO {table} ({key}, prompt_version, model, data, created_at) VALUES (?, ?, ?, ?, ?)"
                f" ON CONFLICT ({key}, prompt_version, model)"
                " DO UPDATE SET data = excluded.data, created_at = excluded.created_at",
                (*keys, data, _now()),
            )


def _compressed_morning(briefing: MorningBriefing) -> bytes:
    """The briefing's JSON compressed a piece at a time: a thousand-article run is ~10 MB as text, ~0.5 MB so."""
    from briefer._render.pieces import json_pieces

    compressor = zlib.compressobj()
    compressed = [compressor.compress(piece) for piece in json_pieces(briefing, ("stories", "articles"))]
    compressed.append(compressor.flush())
    return b"".join(compressed)

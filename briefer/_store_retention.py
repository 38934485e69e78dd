"""What the state file forgets: what no run has used since a cutoff, and all but the newest memos.

Without it the file only grows (a fresh thousand-article run adds ~8 MB), and SQLite's integrity check at every
open reads all of it. Runs that started before the cutoff go with their sightings and briefings; a briefing stays
while some run since the cutoff saw its article, so an article still in the sources is never paid for twice.
A set of sources no run has read since the cutoff starts afresh: everything in it is new again.
Freed pages are reused by the next runs, so a file pruned every run stays near the size of ``keep_days`` of use.
"""

from __future__ import annotations

import sqlite3

__all__ = ["DEDUPE_MEMO", "GROUPING_MEMO", "GROUPS_MEMO", "MEMOS_KEPT", "MEMO_PREFIXES", "forget_before"]

# Grouping's and dedupe's memos help only a rerun over the very same articles; the model's answers
# (story syntheses, second-look verdicts) cost requests, so they are kept for the whole period instead.
DEDUPE_MEMO, GROUPING_MEMO, GROUPS_MEMO = "dedupe:", "grouping:", "groups:"  # their keys' prefixes
MEMO_PREFIXES = (DEDUPE_MEMO, GROUPING_MEMO, GROUPS_MEMO)
MEMOS_KEPT = 8  # of each kind: a rerun of any of the last few sets of sources still finds its own

# In this order: the foreign keys (sightings -> articles and runs, mornings -> runs) hold at every step.
_STATEMENTS = {
    "mornings": "DELETE FROM mornings WHERE run_id IN (SELECT id FROM runs WHERE started_at < :cutoff)",
    "sightings": "DELETE FROM sightings WHERE seen_at < :cutoff",
    "articles": "DELETE FROM articles WHERE content_hash NOT IN (SELECT content_hash FROM sightings)",
    "runs": "DELETE FROM runs WHERE started_at < :cutoff AND id NOT IN (SELECT DISTINCT run_id FROM sightings)",
    "briefings": "DELETE FROM briefings WHERE created_at < :cutoff"
    " AND content_hash NOT IN (SELECT content_hash FROM sightings WHERE seen_at >= :cutoff)",
    "syntheses": "DELETE FROM syntheses WHERE created_at < :cutoff"
    f" AND substr(story_key, 1, instr(story_key, ':')) NOT IN {MEMO_PREFIXES}",
    "pending": "DELETE FROM pending WHERE updated_at < :cutoff",
}
_MEMOS = (  # GLOB, not substr: it looks the prefix up in the key's index (no prefix holds a wildcard)
    "DELETE FROM syntheses WHERE story_key GLOB :pattern AND rowid NOT IN"
    " (SELECT rowid FROM syntheses WHERE story_key GLOB :pattern ORDER BY created_at DESC, rowid DESC LIMIT :kept)"
)


def forget_before(db: sqlite3.Connection, cutoff: str, *, memos_kept: int = MEMOS_KEPT) -> dict[str, int]:
    """Delete what no run has used since ``cutoff`` (ISO 8601 UTC) inside the caller's transaction; rows per table."""
    deleted = {table: db.execute(sql, {"cutoff": cutoff}).rowcount for table, sql in _STATEMENTS.items()}
    for prefix in MEMO_PREFIXES:
        deleted["syntheses"] += db.execute(_MEMOS, {"pattern": prefix + "*", "kept": memos_kept}).rowcount
    return deleted

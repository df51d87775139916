"""The history schema, as an ordered list of migrations keyed by ``PRAGMA user_version``.

Each migration runs in its own write transaction together with the bump of
``user_version``, so a crash in the middle leaves the database at the previous
version, and the next start simply runs it again. Migrations are only ever appended:
a released one is never edited, since users' files already went through it.

``PRAGMA application_id`` marks the file as ours, which is how a foreign SQLite file
(one that happens to sit at our path) is told apart from an empty or old history.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

# "MvBk": written into the database header by migration 1.
APPLICATION_ID = 0x4D76426B


@dataclass(frozen=True)
class Migration:
    """Statements that take the schema from ``version - 1`` to ``version``."""

    version: int
    why: str
    statements: tuple[str, ...]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "prompts and what became of them",
        (
            f"PRAGMA application_id = {APPLICATION_ID}",
            """CREATE TABLE prompts (
                id          INTEGER PRIMARY KEY AUTOINCREMENT,
                routine_id  TEXT    NOT NULL,
                steps_total INTEGER NOT NULL,
                at          TEXT    NOT NULL,  -- UTC, ISO 8601
                local_date  TEXT    NOT NULL   -- the user's day, YYYY-MM-DD
            )""",
            """CREATE TABLE events (
                id          INTEGER PRIMARY KEY AUTOINCREMENT,
                prompt_id   INTEGER NOT NULL REFERENCES prompts(id),
                kind        TEXT    NOT NULL,
                at          TEXT    NOT NULL,
                local_date  TEXT    NOT NULL,
                steps_done  INTEGER
            )""",
        ),
    ),
    Migration(
        2,
        "measured minutes moved, the UTC offset, and indexes for per-day reads",
        (
            "ALTER TABLE events ADD COLUMN active_seconds REAL",
            "ALTER TABLE events ADD COLUMN utc_offset_min INTEGER",
            "CREATE INDEX prompts_by_day ON prompts(local_date)",
            "CREATE INDEX events_by_prompt ON events(prompt_id)",
        ),
    ),
)

LATEST = MIGRATIONS[-1].version


def user_version(conn: sqlite3.Connection) -> int:
    """The schema version written in the file (0 for a new, empty file)."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(
    conn: sqlite3.Connection,
    target: int = LATEST,
    migrations: tuple[Migration, ...] = MIGRATIONS,
) -> list[int]:
    """Bring the schema up to ``target``; return the versions applied.

    ``conn`` must be in autocommit mode (``isolation_level=None``) so that the
    transactions here are the only ones. The version is read again inside each
    write transaction, so two processes starting at once never apply a migration
    twice: the second one waits for the lock and then finds nothing to do.
    ``migrations`` is for tests of a failing migration.
    """
    applied: list[int] = []
    for migration in migrations:
        if migration.version > target or user_version(conn) >= migration.version:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            if user_version(conn) >= migration.version:
                conn.execute("ROLLBACK")
                continue
            for statement in migration.statements:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {migration.version}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        applied.append(migration.version)
    return applied

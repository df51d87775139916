"""The history store: every prompt and what became of it, in one SQLite file.

Durability is the point of this module. Each event is one write transaction,
committed before ``record`` returns, in WAL mode with ``synchronous=FULL``: once a
call returns, a SIGKILL or a power cut cannot take the row back. Events come a few
times an hour, so the fsync per event costs nothing anyone would notice.

A file at our path that is not a healthy movebreak history (garbage, a damaged
database, another program's SQLite file, or one written by a newer movebreak) is
never written into: it is moved aside under a time-stamped name, a warning says
where, and a fresh history starts. ``moved_aside`` lists what was moved, so the
shell can tell the user too.

Opening is quick (a 16-byte header read, a few pragmas, ``quick_check`` over a
file that grows by a few kilobytes a week, and migrations only once per version),
and the store may be opened on a worker thread and then used from any thread: a
lock serialises access to the one connection.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from movebreak.core.history import HistoryEvent
from movebreak.core.outcome import Outcome
from movebreak.history.files import ensure_private_file, looks_like_sqlite, move_aside
from movebreak.history.schema import APPLICATION_ID, LATEST, migrate, user_version

if TYPE_CHECKING:
    from movebreak.core.session_events import SessionResult

log = logging.getLogger(__name__)

# How long a writer waits for another process (say ``movebreak stats``) to let go.
BUSY_TIMEOUT_MS = 5000


class HistoryError(Exception):
    """The history cannot be opened or written; the app goes on without it."""


class _Unusable(Exception):
    """Internal: the file at our path is not a history we may write into."""

    def __init__(self, label: str, reason: str) -> None:
        super().__init__(reason)
        self.label = label
        self.reason = reason


class HistoryStore:
    """An open history. Use ``HistoryStore.open(path)``; close it (or use ``with``)."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        path: Path,
        tz: tzinfo | None,
        moved_aside: tuple[Path, ...],
    ) -> None:
        self._conn = conn
        self._lock = threading.Lock()
        self._tz = tz
        self.path = path
        self.moved_aside = moved_aside

    # --- opening ---------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        tz: tzinfo | None = None,
        now: datetime | None = None,
    ) -> HistoryStore:
        """Open (creating, migrating, or replacing a bad file as needed) the history.

        ``tz`` is the zone that decides an event's calendar day; None means the
        system's local zone at the time of each write. ``now`` stamps the name of a
        file moved aside (injected in tests).
        """
        moved: list[Path] = []
        for _attempt in range(2):
            try:
                conn = _connect(path)
            except _Unusable as bad:
                target = _move(path, bad, now)
                moved.append(target)
                continue
            return cls(conn, path, tz, tuple(moved))
        raise HistoryError(f"{path}: could not start a fresh history")

    def close(self) -> None:
        """Close the connection (the WAL is checkpointed and removed by SQLite)."""
        with self._lock:
            self._conn.close()

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # --- writing ---------------------------------------------------------------------

    def record_prompt(self, routine_id: str, at: datetime, steps_total: int) -> int:
        """Record that a routine was offered; return the prompt id for later events.

        A routine started from the menu without a prompt gets one too, so every
        session has an id. When a snoozed prompt comes back, keep its id: the
        stats count one prompt and judge it by its last outcome.
        """
        local = self._local(at)
        with self._write() as conn:
            cur = conn.execute(
                "INSERT INTO prompts (routine_id, steps_total, at, local_date) VALUES (?,?,?,?)",
                (routine_id, steps_total, _utc_text(at), local.date().isoformat()),
            )
            prompt_id = int(cur.lastrowid or 0)
            self._insert_event(conn, prompt_id, Outcome.PROMPTED, at, None, None)
        return prompt_id

    def record(
        self,
        prompt_id: int,
        kind: Outcome,
        at: datetime,
        *,
        steps_done: int | None = None,
        active_seconds: float | None = None,
    ) -> int:
        """Record one event of a prompt (started, paused, completed, missed...); its id.

        ``PROMPTED`` here means the same prompt shown again (after a snooze); a new
        prompt comes from ``record_prompt``.
        """
        with self._write() as conn:
            return self._insert_event(conn, prompt_id, kind, at, steps_done, active_seconds)

    def record_result(self, prompt_id: int, result: SessionResult) -> int:
        """Record how a guided session ended (completed, skipped or snoozed)."""
        return self.record(
            prompt_id,
            Outcome(result.outcome.value),
            result.ended_at,
            steps_done=result.steps_done,
            active_seconds=result.active_seconds,
        )

    # --- reading ---------------------------------------------------------------------

    def events(self, since: date | None = None, until: date | None = None) -> list[HistoryEvent]:
        """Every event of the prompts made from ``since`` to ``until`` (local days).

        Selected by the prompt's day, not the event's, so a prompt answered after
        midnight still comes with all its rows.
        """
        low = (since or date.min).isoformat()
        high = (until or date.max).isoformat()
        with self._lock:
            try:
                rows = self._conn.execute(
                    """SELECT e.id, e.prompt_id, e.kind, e.at, e.local_date, p.routine_id,
                              p.steps_total, e.steps_done, e.active_seconds
                       FROM events e JOIN prompts p ON p.id = e.prompt_id
                       WHERE p.local_date BETWEEN ? AND ?
                       ORDER BY e.id""",
                    (low, high),
                ).fetchall()
            except sqlite3.Error as err:
                raise HistoryError(f"{self.path}: cannot read the history: {err}") from err
        return [event for row in rows if (event := _event_from_row(row)) is not None]

    # --- internals -------------------------------------------------------------------

    def _local(self, at: datetime) -> datetime:
        if at.tzinfo is None or at.utcoffset() is None:
            raise ValueError("history times must be aware datetimes")
        return at.astimezone(self._tz)

    def _insert_event(
        self,
        conn: sqlite3.Connection,
        prompt_id: int,
        kind: Outcome,
        at: datetime,
        steps_done: int | None,
        active_seconds: float | None,
    ) -> int:
        local = self._local(at)
        offset = local.utcoffset()
        cur = conn.execute(
            """INSERT INTO events (prompt_id, kind, at, local_date, steps_done,
                                   active_seconds, utc_offset_min)
               VALUES (?,?,?,?,?,?,?)""",
            (
                prompt_id,
                kind.value,
                _utc_text(at),
                local.date().isoformat(),
                steps_done,
                active_seconds,
                None if offset is None else round(offset.total_seconds() / 60),
            ),
        )
        return int(cur.lastrowid or 0)

    def _write(self) -> _Transaction:
        return _Transaction(self._conn, self._lock, self.path)


class _Transaction:
    """One write transaction under the store's lock; errors become HistoryError."""

    def __init__(self, conn: sqlite3.Connection, lock: threading.Lock, path: Path) -> None:
        self._conn = conn
        self._lock = lock
        self._path = path

    def __enter__(self) -> sqlite3.Connection:
        self._lock.acquire()
        try:
            self._conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as err:
            self._lock.release()
            raise HistoryError(f"{self._path}: cannot write the history: {err}") from err
        return self._conn

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if exc_type is None:
                self._conn.execute("COMMIT")
                return
            self._conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.IntegrityError):
                raise ValueError(f"history write refused: {exc}") from exc
            if isinstance(exc, sqlite3.Error):
                raise HistoryError(f"{self._path}: cannot write the history: {exc}") from exc
        except sqlite3.Error as err:
            raise HistoryError(f"{self._path}: cannot write the history: {err}") from err
        finally:
            self._lock.release()


def _connect(path: Path) -> sqlite3.Connection:
    """Open, check and migrate; raise _Unusable for a file we must not write into."""
    try:
        ensure_private_file(path)
        if not looks_like_sqlite(path):
            raise _Unusable("corrupt", "not an SQLite database (unknown file header)")
    except OSError as err:
        raise HistoryError(f"{path}: cannot open the history: {err}") from err
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=5)
    try:
        _check(conn)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            log.warning("%s: SQLite refused WAL mode (got %s); writes stay durable", path, mode)
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        applied = migrate(conn)
        if applied:
            log.info("%s: history schema migrated to version %d", path, applied[-1])
    except _Unusable:
        conn.close()
        raise
    except sqlite3.DatabaseError as err:
        conn.close()
        raise _Unusable("corrupt", f"damaged database ({err})") from err
    except BaseException:
        conn.close()
        raise
    return conn


def _check(conn: sqlite3.Connection) -> None:
    """Tell our history from someone else's file or a damaged one."""
    app_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
    version = user_version(conn)
    if app_id == APPLICATION_ID:
        if version > LATEST:
            raise _Unusable(
                "newer", f"written by a newer movebreak (schema {version}, we know {LATEST})"
            )
    elif app_id != 0:
        raise _Unusable("foreign", f"another program's SQLite database (application_id {app_id})")
    elif conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
        raise _Unusable("foreign", "an SQLite database with tables that are not movebreak's")
    verdict = conn.execute("PRAGMA quick_check").fetchone()[0]
    if verdict != "ok":
        raise _Unusable("corrupt", f"damaged database (quick_check: {verdict})")


def _move(path: Path, bad: _Unusable, now: datetime | None) -> Path:
    try:
        target = move_aside(path, bad.label, now)
    except OSError as err:
        raise HistoryError(
            f"{path}: {bad.reason}, and it could not be moved aside ({err}); "
            "history is off until the file is removed"
        ) from err
    log.warning(
        "%s: %s. Moved it to %s and started a fresh history; nothing was deleted.",
        path,
        bad.reason,
        target.name,
    )
    return target


def _utc_text(at: datetime) -> str:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("history times must be aware datetimes")
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def _event_from_row(row: tuple[Any, ...]) -> HistoryEvent | None:
    event_id, prompt_id, kind, at, local_date, routine_id, total, done, active = row
    try:
        parsed_kind = Outcome(kind)
    except ValueError:
        log.warning("history: skipping event %s of unknown kind %r", event_id, kind)
        return None
    return HistoryEvent(
        id=event_id,
        prompt_id=prompt_id,
        kind=parsed_kind,
        at=datetime.fromisoformat(at),
        local_date=date.fromisoformat(local_date),
        routine_id=routine_id,
        steps_total=total,
        steps_done=done,
        active_seconds=active,
    )

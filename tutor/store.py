"""The progress store: SQLite in the data home, a rebuildable index of the transcripts.

Transcripts are the source of truth. `sync` reads every run file whose size or
modification time changed since it was last read and replaces that run's rows (its
usage and cost, evaluations and notes) in one transaction, so the store cannot
silently drift from the transcripts: an evaluation written while the store was
locked is picked up by the next command. The schema is versioned by numbered
migrations, each applied atomically (BEGIN IMMEDIATE) and recorded. The database
runs in WAL mode with a busy timeout; a corrupt file is moved aside and rebuilt.
"""

from __future__ import annotations

import json
import sqlite3
import time
import warnings
from pathlib import Path
from typing import Any, Callable

from tutor import transcript
from tutor.errors import DataError
from tutor.evaluation import Evaluation, evaluation_from_event
from tutor.home import private_file
from tutor.dimensions import DIMENSIONS

DATABASE = "progress.db"
BUSY_TIMEOUT_MS = 5_000


def m001_initial(db: sqlite3.Connection) -> None:
    db.execute("CREATE TABLE evaluations (id INTEGER PRIMARY KEY, session TEXT NOT NULL, created TEXT NOT NULL)")


def m002_unique_per_transcript_event(db: sqlite3.Connection) -> None:
    pass  # superseded by m003; kept so that stores of the first version migrate in order


def m003_index_of_transcripts(db: sqlite3.Connection) -> None:
    """Runs, evaluations and notes per course, refilled from the transcripts by sync."""
    db.execute("DROP TABLE IF EXISTS evaluations")
    db.execute(
        """CREATE TABLE runs (
            path TEXT PRIMARY KEY, course TEXT NOT NULL, session TEXT NOT NULL, started TEXT, last_activity TEXT,
            evaluated INTEGER NOT NULL, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
            input_tokens INTEGER NOT NULL, cached_input_tokens INTEGER NOT NULL, output_tokens INTEGER NOT NULL,
            cost_usd REAL, language TEXT, backend TEXT, model TEXT)"""
    )
    db.execute("CREATE INDEX runs_by_session ON runs (course, session, started)")
    dimensions = ", ".join(f"{d} REAL" for d in DIMENSIONS)
    db.execute(
        f"""CREATE TABLE evaluations (
            id INTEGER PRIMARY KEY, run TEXT NOT NULL REFERENCES runs(path) ON DELETE CASCADE,
            course TEXT NOT NULL, session TEXT NOT NULL, created TEXT NOT NULL, method TEXT NOT NULL,
            {dimensions}, readable INTEGER NOT NULL, record TEXT NOT NULL)"""
    )
    db.execute("CREATE INDEX evaluations_by_session ON evaluations (course, session, created, id)")
    db.execute(
        """CREATE TABLE notes (
            id INTEGER PRIMARY KEY, run TEXT NOT NULL REFERENCES runs(path) ON DELETE CASCADE,
            course TEXT NOT NULL, session TEXT NOT NULL, created TEXT NOT NULL, kind TEXT NOT NULL, value TEXT NOT NULL)"""
    )
    db.execute("CREATE INDEX notes_by_session ON notes (course, session, created)")


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [m001_initial, m002_unique_per_transcript_event, m003_index_of_transcripts]


class Store:
    def __init__(self, home: Path) -> None:
        self.home = home
        self.path = home / DATABASE
        self.repaired: str | None = None
        self.db = self._open()

    def _open(self) -> sqlite3.Connection:
        try:
            db = _connect(self.path)
            migrate(db)
            return db
        except sqlite3.DatabaseError as exc:
            if _is_busy(exc):
                raise DataError(f"The progress store {self.path} is busy (another tutor process is writing).", "Run the command again in a moment.") from exc
            # Not a database, or damaged: it only indexes the transcripts, so rebuild it.
            aside = self.path.with_name(f"{DATABASE}.corrupt-{time.strftime('%Y%m%dT%H%M%S')}")
            self.path.rename(aside)
            for suffix in ("-wal", "-shm"):
                Path(str(self.path) + suffix).unlink(missing_ok=True)
            db = _connect(self.path)
            migrate(db)
            self.repaired = f"The progress store was damaged; it was moved to {aside.name} and rebuilt from your transcripts."
            warnings.warn(self.repaired, stacklevel=2)
            return db

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def sync(self, course: str | None = None) -> None:
        """Index every run file that changed since it was last read (of one course, or all)."""
        paths = transcript.all_runs(self.home, course)
        known = {row[0]: (row[1], row[2]) for row in self.db.execute(
            "SELECT path, size, mtime_ns FROM runs" + (" WHERE course = ?" if course else ""), (course,) if course else ())}
        changed = []
        for path in paths:
            info = path.stat()
            if known.pop(str(path), None) != (info.st_size, info.st_mtime_ns):
                changed.append((path, info))
        if not changed and not known:
            return
        with _transaction(self.db):
            self.db.executemany("DELETE FROM runs WHERE path = ?", [(gone,) for gone in known])
            for path, info in changed:
                self.db.execute("DELETE FROM runs WHERE path = ?", (str(path),))
                for run in transcript.readable([path]):
                    _index(self.db, run, info.st_size, info.st_mtime_ns)

    def rebuild(self) -> int:
        """Empty the store and refill it from the transcripts, in one transaction."""
        with _transaction(self.db):
            self.db.execute("DELETE FROM runs")
            for path in transcript.all_runs(self.home):
                info = path.stat()
                for run in transcript.readable([path]):
                    _index(self.db, run, info.st_size, info.st_mtime_ns)
        return self.count()

    def count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM evaluations").fetchone()[0]

    def latest_two(self, course: str) -> dict[str, list[Evaluation]]:
        """Per session, the latest evaluation and the one before it (newest first)."""
        rows = self.db.execute(
            """SELECT session, record FROM (
                   SELECT session, record, ROW_NUMBER() OVER (PARTITION BY session ORDER BY created DESC, id DESC) AS rank
                   FROM evaluations WHERE course = ?
               ) WHERE rank <= 2 ORDER BY session, rank""",
            (course,),
        ).fetchall()
        result: dict[str, list[Evaluation]] = {}
        for session, record in rows:
            result.setdefault(session, []).append(Evaluation.from_json(json.loads(record)))
        return result

    def sessions(self, course: str) -> dict[str, dict[str, Any]]:
        """Per session: first start, last activity, whether its newest run is evaluated,
        and usage summed over all runs (cost None when any call had no known price)."""
        rows = self.db.execute(
            """SELECT session, MIN(started), MAX(last_activity), SUM(input_tokens), SUM(cached_input_tokens),
                      SUM(output_tokens), SUM(cost_usd), SUM(cost_usd IS NULL),
                      (SELECT evaluated FROM runs AS newest WHERE newest.course = runs.course AND newest.session = runs.session
                       ORDER BY started DESC LIMIT 1)
               FROM runs WHERE course = ? GROUP BY session""",
            (course,),
        ).fetchall()
        return {
            row[0]: {
                "started": row[1], "last_activity": row[2], "newest_evaluated": bool(row[8]),
                "usage": {"input_tokens": row[3], "cached_input_tokens": row[4], "output_tokens": row[5],
                          "cost_usd": None if row[7] else round(row[6] or 0.0, 6)},
            }
            for row in rows
        }

    def notes(self, course: str) -> dict[str, list[tuple[str, str, str]]]:
        """Per session, its notes in order: (created, kind, value)."""
        result: dict[str, list[tuple[str, str, str]]] = {}
        for session, created, kind, value in self.db.execute(
            "SELECT session, created, kind, value FROM notes WHERE course = ? ORDER BY created, id", (course,)
        ):
            result.setdefault(session, []).append((created, kind, value))
        return result


def _index(db: sqlite3.Connection, run: transcript.Transcript, size: int, mtime_ns: int) -> None:
    usage = run.usage()
    db.execute(
        """INSERT INTO runs (path, course, session, started, last_activity, evaluated, size, mtime_ns,
                             input_tokens, cached_input_tokens, output_tokens, cost_usd, language, backend, model)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (str(run.path), run.course, run.session, run.header.get("started"), run.last_activity(), int(run.evaluated),
         size, mtime_ns, usage["input_tokens"], usage["cached_input_tokens"], usage["output_tokens"], usage["cost_usd"],
         run.setting("language"), run.setting("backend"), run.setting("model")),
    )
    for event in run.events:
        if event["type"] == "evaluation":
            evaluation = evaluation_from_event(run, event)
            db.execute(
                f"""INSERT INTO evaluations (run, course, session, created, method, {', '.join(DIMENSIONS)}, readable, record)
                    VALUES (?, ?, ?, ?, ?, {', '.join('?' * len(DIMENSIONS))}, ?, ?)""",
                (str(run.path), run.course, run.session, evaluation.created, evaluation.method,
                 *[evaluation.scores.get(d) for d in DIMENSIONS], int(evaluation.readable),
                 json.dumps(evaluation.to_json(), ensure_ascii=False)),
            )
        elif event["type"] == "note":
            db.execute(
                "INSERT INTO notes (run, course, session, created, kind, value) VALUES (?, ?, ?, ?, ?, ?)",
                (str(run.path), run.course, run.session, event.get("at", ""), str(event.get("kind")), str(event.get("value"))),
            )


def migrate(db: sqlite3.Connection) -> None:
    """Apply the migrations not yet recorded, each in its own immediate transaction
    (a second process opening the store at the same moment waits, then sees it done)."""
    with _transaction(db):
        db.execute("CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)")
    for migration in MIGRATIONS:
        with _transaction(db):
            done = db.execute("SELECT 1 FROM migrations WHERE name = ?", (migration.__name__,)).fetchone()
            if not done:
                migration(db)
                db.execute("INSERT INTO migrations (name) VALUES (?)", (migration.__name__,))


class _transaction:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any error (the connection runs in
    autocommit mode so that Python never opens transactions behind our back)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, *rest: object) -> None:
        self.db.execute("ROLLBACK" if kind else "COMMIT")


def _connect(path: Path) -> sqlite3.Connection:
    private_file(path)
    db = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA foreign_keys = ON")
    return db


def _is_busy(exc: sqlite3.Error) -> bool:
    return "locked" in str(exc) or "busy" in str(exc)

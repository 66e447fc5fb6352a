"""The progress store: every evaluation, in SQLite in the data home.

The schema is versioned by numbered migration functions, recorded in a table as they
are applied. Transcripts stay the source of truth: `rebuild` refills the store from
the evaluation events in them.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from tutor.scores import DIMENSIONS

DATABASE = "progress.db"


def m001_initial(db: sqlite3.Connection) -> None:
    db.execute(
        """
        CREATE TABLE evaluations (
            id INTEGER PRIMARY KEY,
            session TEXT NOT NULL,
            created TEXT NOT NULL,
            transcript TEXT,
            backend TEXT,
            model TEXT,
            language TEXT,
            prompt_hash TEXT,
            method TEXT NOT NULL,
            question_decomposition REAL,
            critical_thinking REAL,
            connection_making REAL,
            conceptual_understanding REAL,
            reflection_quality REAL,
            readable INTEGER NOT NULL,
            evidence TEXT NOT NULL DEFAULT '{}',
            report TEXT NOT NULL DEFAULT ''
        )
        """
    )
    db.execute("CREATE INDEX evaluations_by_session ON evaluations (session, created, id)")


def m002_unique_per_transcript_event(db: sqlite3.Connection) -> None:
    # Lets `rebuild` and a repeated import skip evaluations that are already stored.
    db.execute("CREATE UNIQUE INDEX evaluations_by_origin ON evaluations (transcript, created) WHERE transcript IS NOT NULL")


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [m001_initial, m002_unique_per_transcript_event]


@dataclass(frozen=True)
class Evaluation:
    session: str
    created: str
    scores: dict[str, float | None]
    readable: bool
    method: str  # "structured", "parsed" or "imported"
    report: str = ""
    evidence: dict[str, str] | None = None
    transcript: str | None = None
    backend: str | None = None
    model: str | None = None
    language: str | None = None
    prompt_hash: str | None = None

    @property
    def total(self) -> float | None:
        values = [self.scores.get(d) for d in DIMENSIONS]
        return None if any(v is None for v in values) else sum(values)

    def to_event(self) -> dict[str, Any]:
        """The fields written into the transcript's evaluation event."""
        return {
            "created": self.created, "scores": self.scores, "readable": self.readable, "method": self.method,
            "report": self.report, "evidence": self.evidence or {}, "backend": self.backend, "model": self.model,
            "language": self.language, "prompt_hash": self.prompt_hash,
        }


class Store:
    def __init__(self, home: Path) -> None:
        home.mkdir(parents=True, exist_ok=True)
        self.path = home / DATABASE
        self.db = sqlite3.connect(self.path)
        self.db.row_factory = sqlite3.Row
        migrate(self.db)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def add(self, evaluation: Evaluation) -> None:
        columns = ["session", "created", "transcript", "backend", "model", "language", "prompt_hash", "method", "readable", "evidence", "report", *DIMENSIONS]
        values = [
            evaluation.session, evaluation.created, evaluation.transcript, evaluation.backend, evaluation.model,
            evaluation.language, evaluation.prompt_hash, evaluation.method, int(evaluation.readable),
            json.dumps(evaluation.evidence or {}, ensure_ascii=False), evaluation.report,
            *[evaluation.scores.get(d) for d in DIMENSIONS],
        ]
        with self.db:
            self.db.execute(f"INSERT OR IGNORE INTO evaluations ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})", values)

    def latest_two(self) -> dict[str, list[Evaluation]]:
        """Per session, the latest evaluation and the one before it (newest first)."""
        rows = self.db.execute(
            """
            SELECT * FROM (
                SELECT *, ROW_NUMBER() OVER (PARTITION BY session ORDER BY created DESC, id DESC) AS rank
                FROM evaluations
            ) WHERE rank <= 2 ORDER BY session, rank
            """
        ).fetchall()
        result: dict[str, list[Evaluation]] = {}
        for row in rows:
            result.setdefault(row["session"], []).append(_evaluation(row))
        return result

    def count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM evaluations").fetchone()[0]

    def rebuild(self, home: Path) -> int:
        """Empty the store and refill it from the transcripts' evaluation events."""
        from tutor import transcript

        with self.db:
            self.db.execute("DELETE FROM evaluations")
        for path in transcript.all_runs(home):
            run = transcript.read(path)
            for event in run.events:
                if event["type"] == "evaluation":
                    self.add(evaluation_from_event(run.session, str(path), event))
        return self.count()


def evaluation_from_event(session: str, transcript_path: str, event: dict[str, Any]) -> Evaluation:
    return Evaluation(
        session=session, created=event["created"], scores={d: event["scores"].get(d) for d in DIMENSIONS},
        readable=bool(event.get("readable")), method=event.get("method", "parsed"), report=event.get("report", ""),
        evidence=event.get("evidence") or {}, transcript=transcript_path, backend=event.get("backend"),
        model=event.get("model"), language=event.get("language"), prompt_hash=event.get("prompt_hash"),
    )


def migrate(db: sqlite3.Connection) -> None:
    db.execute("CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)")
    done = {row[0] for row in db.execute("SELECT name FROM migrations")}
    for migration in MIGRATIONS:
        if migration.__name__ not in done:
            with db:
                migration(db)
                db.execute("INSERT INTO migrations (name) VALUES (?)", (migration.__name__,))


def _evaluation(row: sqlite3.Row) -> Evaluation:
    return Evaluation(
        session=row["session"], created=row["created"], scores={d: row[d] for d in DIMENSIONS},
        readable=bool(row["readable"]), method=row["method"], report=row["report"], evidence=json.loads(row["evidence"]),
        transcript=row["transcript"], backend=row["backend"], model=row["model"], language=row["language"],
        prompt_hash=row["prompt_hash"],
    )

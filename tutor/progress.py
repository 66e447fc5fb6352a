"""Progress over the course: each session's status, latest scores, change since the
previous evaluation, mastery band, and a per-dimension summary."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tutor import transcript
from tutor.course import Course
from tutor.scores import DIMENSIONS
from tutor.store import Evaluation, Store

NOT_STARTED, IN_PROGRESS, EVALUATED = "not started", "in progress", "evaluated"
# Mastery bands over the total out of 25: (lowest total, name).
BANDS = ((20, "advanced"), (15, "proficient"), (10, "developing"), (5, "introductory"), (0, "pre-introductory"))


def mastery_band(total: float | None) -> str | None:
    if total is None:
        return None
    return next(name for floor, name in BANDS if total >= floor)


@dataclass(frozen=True)
class SessionProgress:
    session: str
    title: str
    module: int
    status: str
    last_activity: str | None
    latest: Evaluation | None
    previous: Evaluation | None

    @property
    def total(self) -> float | None:
        return self.latest.total if self.latest else None

    @property
    def change(self) -> float | None:
        if self.total is None or self.previous is None or self.previous.total is None:
            return None
        return self.total - self.previous.total

    def to_json(self) -> dict[str, Any]:
        return {
            "session": self.session,
            "title": self.title,
            "module": self.module,
            "status": self.status,
            "last_activity": self.last_activity,
            "scores": {d: self.latest.scores.get(d) for d in DIMENSIONS} if self.latest else {d: None for d in DIMENSIONS},
            "total": self.total,
            "mastery": mastery_band(self.total),
            "change": self.change,
            "evaluated_at": self.latest.created if self.latest else None,
            "readable": self.latest.readable if self.latest else None,
        }


def course_progress(course: Course, home: Path) -> list[SessionProgress]:
    with Store(home) as store:
        evaluations = store.latest_two()
    rows = []
    for lesson in course.ordered():
        runs = transcript.runs(home, lesson.id)
        newest = transcript.read(runs[-1]) if runs else None
        latest, previous = (evaluations.get(lesson.id, []) + [None, None])[:2]
        if newest is not None and not newest.evaluated:
            status = IN_PROGRESS  # a run under way, even if an earlier one was evaluated
        else:
            status = EVALUATED if latest else NOT_STARTED
        last = max(filter(None, [newest.last_activity() if newest else None, latest.created if latest else None]), default=None)
        rows.append(SessionProgress(lesson.id, lesson.title, lesson.module, status, last, latest, previous))
    return rows


def dimension_summary(rows: list[SessionProgress]) -> dict[str, float | None]:
    """Each dimension's mean over the sessions' latest evaluations that scored it."""
    summary: dict[str, float | None] = {}
    for dimension in DIMENSIONS:
        values = [r.latest.scores[dimension] for r in rows if r.latest and r.latest.scores.get(dimension) is not None]
        summary[dimension] = round(sum(values) / len(values), 2) if values else None
    return summary


def weakest(summary: dict[str, float | None]) -> str | None:
    scored = {d: v for d, v in summary.items() if v is not None}
    return min(scored, key=scored.get) if scored else None


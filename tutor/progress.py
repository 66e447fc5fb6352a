"""Progress over a course: each session's status, dates, latest scores and change,
mastery band, confidence and key learnings, usage and cost; a per-dimension summary;
and what to do next.

Everything comes from the progress store after it has indexed any transcript that
changed, so the view can never disagree with the transcripts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tutor.course import Course
from tutor.evaluation import Evaluation, mastery_band
from tutor.dimensions import DIMENSION_TITLES, DIMENSIONS
from tutor.store import Store

NOT_STARTED, IN_PROGRESS, EVALUATED = "not started", "in progress", "evaluated"
REVIEW_BELOW = 10  # a total under "developing" calls for a review before moving on
NO_USAGE = {"input_tokens": 0, "cached_input_tokens": 0, "output_tokens": 0, "cost_usd": 0.0}


@dataclass(frozen=True)
class SessionProgress:
    session: str
    title: str
    module: int
    status: str
    started: str | None
    last_activity: str | None
    latest: Evaluation | None
    previous: Evaluation | None
    confidence: int | None = None
    learnings: list[str] = field(default_factory=list)
    challenges: list[str] = field(default_factory=list)
    usage: dict[str, Any] = field(default_factory=lambda: dict(NO_USAGE))

    @property
    def total(self) -> float | None:
        return self.latest.total if self.latest else None

    @property
    def change(self) -> float | None:
        if self.total is None or self.previous is None or self.previous.total is None:
            return None
        return self.total - self.previous.total

    @property
    def completed(self) -> str | None:
        return self.latest.created if self.latest else None

    @property
    def calibration(self) -> str | None:
        """'over-confident' or 'under-confident' when the learner's confidence (1-5) is
        two or more steps from what the grade says (total / 5), else None."""
        if self.confidence is None or self.total is None:
            return None
        gap = self.confidence - self.total / 5
        return "over-confident" if gap >= 2 else "under-confident" if gap <= -2 else None

    def to_json(self) -> dict[str, Any]:
        return {
            "session": self.session,
            "title": self.title,
            "module": self.module,
            "status": self.status,
            "started": self.started,
            "last_activity": self.last_activity,
            "scores": {d: self.latest.scores.get(d) if self.latest else None for d in DIMENSIONS},
            "total": self.total,
            "mastery": mastery_band(self.total),
            "change": self.change,
            "evaluated_at": self.completed,
            "readable": self.latest.readable if self.latest else None,
            "flags": self.latest.flags if self.latest else {},
            "confidence": self.confidence,
            "calibration": self.calibration,
            "learnings": self.learnings,
            "usage": self.usage,
        }


def course_progress(course: Course, home: Path) -> list[SessionProgress]:
    with Store(home) as store:
        store.sync(course.key)
        evaluations = store.latest_two(course.key)
        sessions = store.sessions(course.key)
        notes = store.notes(course.key)
    rows = []
    for lesson in course.ordered():
        latest, previous = (evaluations.get(lesson.id, []) + [None, None])[:2]
        info = sessions.get(lesson.id)
        if info is None:
            status = NOT_STARTED
        else:
            status = EVALUATED if info["newest_evaluated"] else IN_PROGRESS
        session_notes = notes.get(lesson.id, [])
        confidences = [int(value) for _, kind, value in session_notes if kind == "confidence" and value.isdigit()]
        rows.append(SessionProgress(
            lesson.id, lesson.title, lesson.module, status,
            info["started"] if info else None, info["last_activity"] if info else None, latest, previous,
            confidence=confidences[-1] if confidences else None,
            learnings=[value for _, kind, value in session_notes if kind == "learned"],
            challenges=[value for _, kind, value in session_notes if kind == "challenge"],
            usage=info["usage"] if info else dict(NO_USAGE),
        ))
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


def course_usage(rows: list[SessionProgress]) -> dict[str, Any]:
    """Usage summed over the course; cost None when any session's cost is unknown."""
    total = dict(NO_USAGE)
    for row in rows:
        for key in ("input_tokens", "cached_input_tokens", "output_tokens"):
            total[key] += row.usage.get(key) or 0
        cost = row.usage.get("cost_usd")
        total["cost_usd"] = None if cost is None or total["cost_usd"] is None else round(total["cost_usd"] + cost, 6)
    return total


def recommendation(course: Course, rows: list[SessionProgress]) -> str:
    """One next step: a review of an earlier session that needs one, else the next session."""
    for row in rows:
        if row.latest is None:
            continue
        if row.latest.readiness == "not ready":
            return (f"Review {row.session} ({row.title}) first: the grader said you were not ready to move on. "
                    f"Run `{course.command(f'start {row.session} --new')}`.")
        if row.total is not None and row.total < REVIEW_BELOW:
            return (f"Review {row.session} ({row.title}) first: {row.total:g}/25 is below \"developing\". "
                    f"Run `{course.command(f'start {row.session} --new')}`.")
    for row in rows:
        if row.status == IN_PROGRESS:
            return (f"Continue {row.session} ({row.title}): `{course.command(f'start {row.session}')}`, "
                    f"then `{course.command(f'eval {row.session}')}`.")
        if row.status == NOT_STARTED:
            return f"Next: {row.session} ({row.title}). Start it with `{course.command(f'start {row.session}')}`."
    return "You have finished every session of this course. Revisit your weakest dimension with /deeper in any session."


def weakest_dimension(evaluation: Evaluation) -> str | None:
    scored = {d: v for d, v in evaluation.scores.items() if v is not None}
    return DIMENSION_TITLES[min(scored, key=scored.get)] if scored else None

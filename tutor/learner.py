"""What the tutor carries over about the learner: the course map and the profile.

The course map lists every session with its knowledge points, marked done
(evaluated), current or later, so the tutor builds on what is done and defers what
comes later. The profile is a compact summary (at most about 400 tokens) of earlier
sessions: the weakest dimension and the growth areas the grader named, the learner's
confidence and notes, and the notes the learner wrote about themselves. Both are
computed when a run starts and stored in its header, so they stay the same for the
whole run (and inside the cached prefix). `tutor profile` shows exactly this text.

The learner's own notes and the reset point live in profile.json in the data home.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from tutor.backends.base import estimate_tokens
from tutor.course import Course
from tutor.errors import DataError
from tutor.home import private_file
from tutor.progress import EVALUATED, SessionProgress, weakest_dimension
from tutor.transcript import now

PROFILE_FILE = "profile.json"
MAX_NOTE_CHARACTERS, MAX_NOTES = 300, 50
PROFILE_BUDGET_TOKENS = 400
MAP_LINE_CHARACTERS = 160


class _ProfileFile(BaseModel):
    """What profile.json may hold; a hand edit that breaks it is named, not guessed at."""

    model_config = ConfigDict(extra="forbid", strict=True)
    reset_at: str | None = None
    notes: Annotated[list[Annotated[str, StringConstraints(min_length=1, max_length=MAX_NOTE_CHARACTERS)]],
                     Field(max_length=MAX_NOTES)] = []


@dataclass
class LearnerNotes:
    """profile.json: what the learner wrote about themselves, and when they last reset."""

    reset_at: str | None = None
    notes: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, home: Path) -> "LearnerNotes":
        path = home / PROFILE_FILE
        try:
            data = _ProfileFile.model_validate_json(path.read_bytes())
        except FileNotFoundError:
            return cls()
        except OSError as exc:
            raise DataError(f"Cannot read {path}: {exc.strerror}.", "Check the file's permissions.") from exc
        except ValidationError as exc:
            problem = exc.errors()[0]
            where = ".".join(str(part) for part in problem["loc"]) or "the file"
            raise DataError(f"{path} is not a valid profile: {where}: {problem['msg']}.",
                            "Fix it (notes are a list of texts), or run `tutor profile --reset` to start a fresh one.") from exc
        return cls(data.reset_at, list(data.notes))

    def save(self, home: Path) -> None:
        path = private_file(home / PROFILE_FILE)
        temporary = private_file(path.with_suffix(".tmp"))
        temporary.write_text(json.dumps({"reset_at": self.reset_at, "notes": self.notes}, ensure_ascii=False, indent=1), encoding="utf-8")
        temporary.replace(path)

    def reset(self) -> None:
        self.reset_at, self.notes = now(), []


def course_map(course: Course, current: str, rows: list[SessionProgress]) -> str:
    status = {row.session: row.status for row in rows}
    lines = [
        "# The course map",
        f"The course \"{course.title}\" has {len(rows)} sessions. Build on sessions marked done; "
        "for topics of later sessions, say where they come (\"we will meet that in s2.2\") instead of teaching them now.",
    ]
    for lesson in course.ordered():
        mark = "current" if lesson.id == current else "done" if status.get(lesson.id) == EVALUATED else "later"
        line = f"- {lesson.id} {lesson.title} [{mark}]: {'; '.join(lesson.knowledge_points)}"
        lines.append(line if len(line) <= MAP_LINE_CHARACTERS else line[: MAP_LINE_CHARACTERS - 1] + "…")
    return "\n".join(lines)


def learner_profile(rows: list[SessionProgress], notes: LearnerNotes, current: str) -> str:
    """The profile sent to the tutor; empty when there is nothing to carry over."""
    since = notes.reset_at or ""
    entries = []
    for row in rows:
        if row.session == current:
            continue
        graded = row.latest if row.latest and row.latest.created > since else None
        mine = [f'learned "{text}"' for text in row.learnings] + [f'found hard "{text}"' for text in row.challenges]
        if graded is None and not mine and row.confidence is None:
            continue
        parts = []
        if graded is not None:
            total = f"{graded.total:g}/25" if graded.total is not None else "partly scored"
            parts.append(f"graded {total}; weakest: {weakest_dimension(graded) or 'unknown'}")
            if graded.growth_areas:
                parts.append("grader's growth areas: " + "; ".join(a[:120] for a in graded.growth_areas[:2]))
            if graded.readiness:
                parts.append(f"readiness: {graded.readiness}")
        if row.confidence is not None:
            parts.append(f"own confidence {row.confidence}/5")
        parts += mine[:2]
        entries.append((row.latest.created if row.latest else row.last_activity or "", f"- {row.session} {row.title}: " + ". ".join(parts) + "."))
    own = [f"- {text}" for text in notes.notes]
    if not entries and not own:
        return ""
    head = ["# What you know about this learner", "Use this to adapt your questions and pace; do not recite it to the learner."]
    entries.sort(key=lambda entry: entry[0])
    lines = [line for _, line in entries]
    while True:
        text = "\n".join(head + (["From earlier sessions:"] + lines if lines else []) + (["In the learner's own words:"] + own if own else []))
        if estimate_tokens(text) <= PROFILE_BUDGET_TOKENS or not (lines or own):
            return text
        if lines:
            lines.pop(0)  # the oldest session goes first
        else:
            own.pop(0)

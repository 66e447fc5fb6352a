"""Opening a session run: settings, backend and transcript, new or continued.

Language and tier follow the flag, then the run being continued, then the config
file; a change on continuing is recorded in the transcript as a settings event. A new
run's header freezes the course map and the learner profile it starts with, so the
system context stays the same (and cached) for the whole run. Continuing a run whose
lesson has changed since it started says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tutor import __version__, transcript
from tutor.backends import choose_backend, open_backend
from tutor.backends.base import Backend
from tutor.config import Config
from tutor.content import read_prompt, text_hash
from tutor.course import Course, Lesson
from tutor.learner import LearnerNotes, course_map, learner_profile
from tutor.progress import course_progress
from tutor.text import check_language
from tutor.transcript import Transcript


@dataclass(frozen=True)
class Choices:
    """What the learner asked for on the command line (None: not given)."""

    language: str | None = None
    tier: str | None = None
    backend: str | None = None
    model: str | None = None


@dataclass
class Opened:
    transcript: Transcript
    backend: Backend
    continued: bool
    notices: list[str]


def open_run(course: Course, lesson: Lesson, config: Config, choices: Choices, home: Path, *, new: bool) -> Opened:
    existing = None if new else transcript.latest_unfinished(home, course.key, lesson.id)
    if existing is not None and existing.header.get("backend") is None and not existing.turns():
        existing = None  # written by `tutor note` before the first chat: the chat starts its own run
    spec, notice = choose_backend(config, choices.backend, choices.model)
    backend = open_backend(spec)
    model = backend.spec.model
    notices = [n for n in [notice, *config.notices] if n]
    if existing is None:
        run = transcript.create(home, {
            **run_header(course, lesson),
            "backend": spec.name,
            "model": model,
            "language": choices.language or _configured_language(config),
            "tier": choices.tier or config.data.tier,
            "context": carried_context(course, lesson, home),
        })
        return Opened(run, backend, False, notices)
    if existing.header.get("prompt_hashes", {}).get("lesson") not in (None, text_hash(lesson.text)):
        notices.append(f"The lesson of {lesson.id} has changed since this run started; the tutor now teaches from the new version. "
                       f"`{course.command(f'start {lesson.id} --new')}` starts afresh.")
    changes = {
        key: value
        for key, value in (("language", choices.language), ("tier", choices.tier), ("backend", spec.name), ("model", model))
        if value is not None and value != existing.setting(key)
    }
    if changes:
        existing.append("settings", **changes)
    return Opened(existing, backend, True, notices)


def run_header(course: Course, lesson: Lesson) -> dict:
    """What every run records of where it came from."""
    return {
        "course": course.key,
        "course_title": course.title,
        "session": lesson.id,
        "title": lesson.title,
        "course_version": course.version,
        "course_hash": course.content_hash,
        "prompt_hashes": {
            "pre_prompt": text_hash(read_prompt("pre-prompt.md")),
            "post_prompt": text_hash(read_prompt("post-prompt.md")),
            "lesson": text_hash(lesson.text),
        },
        "tutor_version": __version__,
    }


def carried_context(course: Course, lesson: Lesson, home: Path) -> dict[str, str]:
    rows = course_progress(course, home)
    return {
        "course_map": course_map(course, lesson.id, rows),
        "profile": learner_profile(rows, LearnerNotes.load(home), lesson.id),
    }


def _configured_language(config: Config) -> str:
    value = config.setting("language", env="TUTOR_LANG") or "English"
    try:
        return check_language(value)
    except ValueError:
        from tutor.errors import InputError

        raise InputError(f"TUTOR_LANG is {value[:40]!r}, which is not a language name.", "Set it to a language name or code, such as French or zh.") from None

"""Opening a session run: settings, backend and transcript, new or continued.

Language and tier follow the flag, then the run being continued, then the config
file; a change on continuing is recorded in the transcript as a settings event.
"""

from __future__ import annotations

from dataclasses import dataclass

from tutor import __version__, transcript
from tutor.backends.base import Backend, open_backend
from tutor.config import Config, choose_backend, data_home
from tutor.content import read_prompt, text_hash
from tutor.course import Course, Lesson
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
    notice: str | None


def open_run(course: Course, lesson: Lesson, config: Config, choices: Choices, *, new: bool) -> Opened:
    home = data_home()
    existing = None if new else transcript.latest_unfinished(home, lesson.id)
    spec, notice = choose_backend(config, choices.backend, choices.model)
    backend = open_backend(spec)
    model = backend.spec.model
    if existing is None:
        run = transcript.create(home, {
            "session": lesson.id,
            "title": lesson.title,
            "course_version": course.version,
            "course_hash": course.content_hash,
            "prompt_hashes": prompt_hashes(lesson),
            "backend": spec.name,
            "model": model,
            "language": choices.language or config.get("language", env="TUTOR_LANG") or "English",
            "tier": choices.tier or config.get("tier"),
            "tutor_version": __version__,
        })
        return Opened(run, backend, False, notice)
    changes = {
        key: value
        for key, value in (("language", choices.language), ("tier", choices.tier), ("backend", spec.name), ("model", model))
        if value is not None and value != existing.setting(key)
    }
    if changes:
        existing.append("settings", **changes)
    return Opened(existing, backend, True, notice)


def prompt_hashes(lesson: Lesson) -> dict[str, str]:
    return {
        "pre_prompt": text_hash(read_prompt("pre-prompt.md")),
        "post_prompt": text_hash(read_prompt("post-prompt.md")),
        "lesson": text_hash(lesson.text),
    }


"""`tutor note SESSION`: record confidence, a key learning or a challenge outside a chat."""

from __future__ import annotations

from typing import Optional

import typer

from tutor.commands import options

MAX_NOTE = 500


def note(
    session: options.Session,
    confidence: Optional[int] = typer.Option(None, "--confidence", min=1, max=5, help="How confident you feel about the session, 1 (lost) to 5 (could teach it).", show_default=False),
    learned: Optional[str] = typer.Option(None, "--learned", help="A key learning, in your words.", show_default=False),
    challenge: Optional[str] = typer.Option(None, "--challenge", help="Something you found hard.", show_default=False),
    course: options.Course = None,
) -> None:
    """Record your confidence (1-5), a key learning or a challenge for a session."""
    from tutor import transcript
    from tutor.course import load_course
    from tutor.errors import InputError
    from tutor.home import data_home, session_lock
    from tutor.session import run_header
    from tutor.store import Store
    from tutor.text import sanitise

    entries = [("confidence", confidence)] if confidence is not None else []
    for kind, text in (("learned", learned), ("challenge", challenge)):
        if text is None:
            continue
        text = " ".join(sanitise(text).split())
        if not text or len(text) > MAX_NOTE:
            raise InputError(f"--{kind} needs some text, at most {MAX_NOTE} characters.", f"For example: tutor note {session} --{kind} \"...\"")
        entries.append((kind, text))
    if not entries:
        raise InputError("Nothing to note.", f"Give --confidence N, --learned TEXT or --challenge TEXT, e.g. tutor note {session} --confidence 4")
    loaded = load_course(course)
    lesson = loaded.lesson(session)
    home = data_home()
    with session_lock(transcript.sessions_dir(home, loaded.key), lesson.id):
        run = transcript.latest(home, loaded.key, lesson.id)
        if run is None:
            run = transcript.create(home, {**run_header(loaded, lesson), "backend": None, "model": None, "language": None, "tier": None})
        for kind, value in entries:
            run.append("note", kind=kind, value=value)
    with Store(home) as store:
        store.sync(loaded.key)
    print(f"Noted for {lesson.id}: " + "; ".join(f"{kind} {value}" for kind, value in entries) + ".")

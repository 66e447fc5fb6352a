"""`tutor profile`: exactly what the tutor carries over about you, and your own notes."""

from __future__ import annotations

from typing import Optional

import typer

from tutor.commands import options


def profile(
    reset: bool = typer.Option(False, "--reset", help="Start over: forget earlier sessions' carry-over and your notes."),
    add: Optional[str] = typer.Option(None, "--add", help="Add a note about yourself for the tutor, e.g. \"I know linear algebra\".", show_default=False),
    forget: Optional[int] = typer.Option(None, "--forget", min=1, help="Remove your note number N.", show_default=False),
    course: options.Course = None,
) -> None:
    """Show what the tutor will be told about you in your next session."""
    from tutor import transcript
    from tutor.course import load_course
    from tutor.errors import InputError
    from tutor.home import data_home
    from tutor.learner import MAX_NOTE_CHARACTERS, MAX_NOTES, LearnerNotes, learner_profile
    from tutor.progress import IN_PROGRESS, NOT_STARTED, course_progress
    from tutor.text import sanitise

    home = data_home()
    if reset:  # also the way out of a damaged profile.json, so it is not read first
        notes = LearnerNotes()
        notes.reset()
        notes.save(home)
        print("Profile reset: the next session starts without carry-over from earlier ones.")
        return
    notes = LearnerNotes.load(home)
    if add is not None:
        text = " ".join(sanitise(add).split())
        if not text or len(text) > MAX_NOTE_CHARACTERS:
            raise InputError(f"--add needs a note of at most {MAX_NOTE_CHARACTERS} characters.",
                             'For example: tutor profile --add "I am comfortable with Python"')
        if len(notes.notes) >= MAX_NOTES:
            raise InputError(f"You have {MAX_NOTES} notes already.", "Remove one with `tutor profile --forget N` first.")
        notes.notes.append(text)
        notes.save(home)
    if forget is not None:
        if forget > len(notes.notes):
            raise InputError(f"You have {len(notes.notes)} note(s); there is no note {forget}.", "`tutor profile` lists them with their numbers.")
        notes.notes.pop(forget - 1)
        notes.save(home)
    loaded = load_course(course)
    rows = course_progress(loaded, home)
    upcoming = next((r.session for r in rows if r.status in (IN_PROGRESS, NOT_STARTED)), rows[-1].session)
    running = transcript.latest_unfinished(home, loaded.key, upcoming)
    if running is not None and "context" in running.header:
        text = running.header["context"].get("profile", "")
        print(f"What the tutor is told about you in {upcoming}, the run you have under way "
              f"(fixed when it started; `{loaded.command(f'start {upcoming} --new')}` would use your latest profile):\n")
    else:
        text = learner_profile(rows, notes, upcoming)
        print(f"What the tutor will be told about you in your next session ({upcoming}):\n")
    print(text or "(nothing yet: it grows as you finish and evaluate sessions, or add notes with --add)")
    if notes.notes:
        print("\nYour notes (remove one with --forget N):")
        for number, note in enumerate(notes.notes, start=1):
            print(f"  {number}. {note}")

"""`tutor list` and `tutor show SESSION`: the course and one lesson."""

from __future__ import annotations

from tutor.commands import options

MARKS = {"not started": "○", "in progress": "◐", "evaluated": "●"}


def list_sessions(course: options.Course = None) -> None:
    """Show the course by module, with each session's status."""
    from tutor.config import data_home
    from tutor.course import load_course
    from tutor.progress import course_progress
    from tutor.render import make_screen, wants_plain

    loaded = load_course(course)
    rows = {row.session: row for row in course_progress(loaded, data_home())}
    screen = make_screen(wants_plain())
    screen.info(loaded.title)
    for module in loaded.modules:
        table = []
        for lesson in module.lessons:
            row = rows[lesson.id]
            score = f"{row.total:g}/25" if row.total is not None else ""
            table.append([f"{MARKS[row.status]} {lesson.id}", lesson.title, row.status, score])
        screen.table(f"Module {module.id}: {module.title}", ["session", "title", "status", "score"], table)
    screen.info("○ not started  ◐ in progress  ● evaluated · tutor show SESSION for details, tutor start SESSION to begin.")


def show(session: options.Session, course: options.Course = None) -> None:
    """Show a session's primary question, prerequisites and knowledge points."""
    from tutor.course import load_course
    from tutor.render import make_screen, wants_plain

    loaded = load_course(course)
    lesson = loaded.lesson(session)
    prerequisites = ", ".join(f"{p} ({loaded.lessons[p].title})" if p in loaded.lessons else p for p in lesson.prerequisites)
    points = "\n".join(f"{n}. {title}" for n, title in enumerate(lesson.knowledge_points, start=1))
    make_screen(wants_plain()).markdown(
        f"# Session {lesson.id[1:]}: {lesson.title}\n\n"
        f"**Primary question:** {lesson.primary_question}\n\n"
        f"**Prerequisites:** {prerequisites or 'none'}\n\n"
        f"**About {lesson.estimated_minutes} minutes.** Knowledge points:\n\n{points}\n\n"
        f"Start it with `tutor start {lesson.id}`."
    )

"""`tutor list`, `tutor show SESSION|MODULE` and `tutor courses`: the courses, one
course, one lesson or one module."""

from __future__ import annotations

from tutor.commands import options

MARKS = {"not started": "○", "in progress": "◐", "evaluated": "●"}


def list_sessions(course: options.Course = None) -> None:
    """Show the course by module, with each session's status."""
    from tutor.course import load_course
    from tutor.home import data_home
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
    screen.info("○ not started  ◐ in progress  ● evaluated · tutor show SESSION (or m1, m2…) for details, tutor start SESSION to begin.")


def show(session: options.SessionOrModule, course: options.Course = None) -> None:
    """Show a session's primary question, prerequisites and knowledge points, or a module's overview."""
    from tutor.course import load_course
    from tutor.render import make_screen, wants_plain

    loaded = load_course(course)
    screen = make_screen(wants_plain())
    module = loaded.module(session)
    if module is not None:
        sessions = "\n".join(f"- `{lesson.id}` {lesson.title}" for lesson in module.lessons)
        screen.markdown(f"{module.overview.strip() or f'# Module {module.id}: {module.title}'}\n\n**Sessions:**\n\n{sessions}")
        return
    lesson = loaded.lesson(session)
    prerequisites = ", ".join(f"{p} ({loaded.lessons[p].title})" if p in loaded.lessons else p for p in lesson.prerequisites)
    points = "\n".join(f"{n}. {title}" for n, title in enumerate(lesson.knowledge_points, start=1))
    screen.markdown(
        f"# Session {lesson.id[1:]}: {lesson.title}\n\n"
        f"**Primary question:** {lesson.primary_question}\n\n"
        f"**Prerequisites:** {prerequisites or 'none'}\n\n"
        f"**About {lesson.estimated_minutes} minutes.** Knowledge points:\n\n{points}\n\n"
        f"Start it with `{loaded.command(f'start {lesson.id}')}`."
    )


def courses() -> None:
    """List the built-in courses, with how far you are in each; --course NAME picks one."""
    from tutor.course import DEFAULT_COURSE, built_in_courses, load_course
    from tutor.home import data_home
    from tutor.progress import EVALUATED, IN_PROGRESS, course_progress
    from tutor.render import make_screen, wants_plain

    home = data_home()
    rows = []
    for name in built_in_courses():
        loaded = load_course(name)
        progress = course_progress(loaded, home)
        done = sum(r.status == EVALUATED for r in progress)
        open_ = sum(r.status == IN_PROGRESS for r in progress)
        status = f"{done}/{len(progress)} evaluated" + (f", {open_} in progress" if open_ else "")
        rows.append([name + (" (default)" if name == DEFAULT_COURSE else ""), loaded.title, str(len(progress)), status])
    screen = make_screen(wants_plain())
    screen.table("Built-in courses", ["name", "title", "sessions", "status"], rows)
    screen.info("Pick one with --course NAME on start, eval, list, show, progress, transcript and journal; "
                "--course PATH runs a course from a folder.")

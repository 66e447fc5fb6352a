"""`tutor course check [NAME|PATH]`: validate a course folder, for teachers."""

from __future__ import annotations

from typing import Optional

import typer

app = typer.Typer(help="Work with course folders.", no_args_is_help=True)


@app.command("check")
def check(course: Optional[str] = typer.Argument(None, help="A built-in course name or a folder with a course.yaml (default: the built-in course).", show_default=False)) -> None:
    """Validate a course and list every problem with file and line (exit 2 if any)."""
    from tutor.course import resolve_course
    from tutor.course_check import check_course

    _, root = resolve_course(course)
    problems = check_course(root)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) in {root}.")
        raise typer.Exit(2)
    print(f"{root}: the course is valid.")

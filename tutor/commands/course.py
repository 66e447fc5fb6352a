"""`tutor course check [PATH]`: validate a course folder, for teachers."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

app = typer.Typer(help="Work with course folders.", no_args_is_help=True)


@app.command("check")
def check(path: Optional[Path] = typer.Argument(None, help="Course folder with a course.yaml (default: the built-in course).", show_default=False)) -> None:
    """Validate a course folder and list every problem with file and line (exit 2 if any)."""
    from tutor.course import default_course_root
    from tutor.course_check import check_course

    root = path or default_course_root()
    problems = check_course(root)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) in {root}.")
        raise typer.Exit(2)
    print(f"{root}: the course is valid.")

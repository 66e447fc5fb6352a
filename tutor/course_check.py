"""`tutor course check`: every problem in a course folder, with file and line.

Unlike `load_course`, which stops at the first broken file, this keeps going so a
teacher sees the whole list at once. It applies the same validation (the pydantic
models of tutor.course) plus the rules a course needs to teach well: ids in order,
prerequisites that come earlier, every knowledge point with its five parts, and a
recorded output under every runnable example.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from tutor.course import KP_HEADING, KP_PARTS, PART_HEADING, SESSION_ID, inside, parse_lesson, read_yaml, runnable_examples
from tutor.course_schema import CourseIndex, validate_file
from tutor.errors import InputError


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def check_course(root: Path) -> list[Problem]:
    index = root / "course.yaml"
    if not index.is_file():
        return [Problem(index, 0, "course.yaml is missing")]
    try:
        data: CourseIndex = validate_file(CourseIndex, read_yaml(index), index)
    except InputError as exc:
        return [_problem(index, exc)]
    problems: list[Problem] = []
    seen: list[str] = []
    lines = index.read_text(encoding="utf-8").splitlines()
    for module in data.modules:
        files = [("overview", module.overview)] * bool(module.overview) + [("session", s) for s in module.sessions]
        for what, relative in files:
            try:
                path = inside(root, relative, index)
            except InputError as exc:
                problems.append(Problem(index, _line_of(lines, relative), exc.message.split(": ", 1)[-1]))
                continue
            if not path.is_file():
                problems.append(Problem(index, _line_of(lines, relative), f"{what} file {relative} does not exist"))
            elif what == "session":  # checked as a lesson even when it also serves as the overview
                problems += _check_lesson(path, seen)
    return problems


def _check_lesson(path: Path, seen: list[str]) -> list[Problem]:
    try:
        lesson = parse_lesson(path)
    except InputError as exc:
        return [_problem(path, exc)]
    lines = lesson.text.splitlines()
    problems = []
    where = _line_of(lines, "id:")
    if lesson.id in seen:
        problems.append(Problem(path, where, f"id {lesson.id} is used by an earlier session"))
    elif seen and _order(lesson.id) < _order(seen[-1]):
        problems.append(Problem(path, where, f"id {lesson.id} comes after {seen[-1]} in course.yaml but sorts before it"))
    for prerequisite in lesson.prerequisites:
        if prerequisite not in seen:
            problems.append(Problem(path, _line_of(lines, "prerequisites:"), f"prerequisite {prerequisite} is not an earlier session of the course"))
    seen.append(lesson.id)
    problems += [
        Problem(path, example.line, "this runnable example has no ```output block under it with what it prints")
        for example in runnable_examples(lesson.text)
        if example.output is None
    ]
    return problems + _check_knowledge_points(path, lines, lesson.knowledge_points)


def _check_knowledge_points(path: Path, lines: list[str], titles: list[str]) -> list[Problem]:
    problems = []
    headings = [(n, KP_HEADING.match(line)) for n, line in enumerate(lines, start=1)]
    headings = [(n, m) for n, m in headings if m]
    for index, title in enumerate(titles, start=1):
        if index > len(headings):
            problems.append(Problem(path, len(lines), f"knowledge point {index} ({title!r}) has no '## Knowledge point {index}: {title}' section"))
            continue
        line, match = headings[index - 1]
        if int(match.group(1)) != index or match.group(2) != title:
            problems.append(Problem(path, line, f"heading should be '## Knowledge point {index}: {title}' to match the front matter"))
        end = headings[index][0] if index < len(headings) else _next_h2(lines, line)
        parts = [m.group(1) for m in (PART_HEADING.match(text) for text in lines[line:end - 1]) if m]
        missing = [part for part in KP_PARTS if part not in parts]
        if missing:
            problems.append(Problem(path, line, f"knowledge point {index} lacks: {', '.join('### ' + p for p in missing)}"))
        elif [p for p in parts if p in KP_PARTS] != list(KP_PARTS):
            problems.append(Problem(path, line, f"knowledge point {index}: put its parts in the order {', '.join(KP_PARTS)}"))
    for line, match in headings[len(titles):]:
        problems.append(Problem(path, line, f"knowledge point {match.group(1)} is not listed in the front matter"))
    return problems


def _problem(path: Path, exc: InputError) -> Problem:
    found = re.search(r"line (\d+)", exc.message)
    return Problem(path, int(found.group(1)) if found else 1, exc.message.split(": ", 1)[-1])


def _next_h2(lines: list[str], after: int) -> int:
    for number in range(after + 1, len(lines) + 1):
        if lines[number - 1].startswith("## "):
            return number
    return len(lines) + 1


def _order(session_id: str) -> tuple[int, int]:
    match = SESSION_ID.match(session_id)
    return (int(match.group(1)), int(match.group(2))) if match else (0, 0)


def _line_of(lines: list[str], needle: str) -> int:
    return next((n for n, line in enumerate(lines, start=1) if needle in line), 1)

"""The shipped course: it passes `tutor course check`, fits a small model's window
next to the pre-prompt, and every code block marked runnable runs on the CPU."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tutor.backends.base import estimate_tokens
from tutor.content import read_prompt
from tutor.course import load_course
from tutor.course_check import check_course

COURSE = load_course()
RUNNABLE = re.compile(r"^```python runnable\n(.*?)^```", re.S | re.M)
BLOCKS = [
    pytest.param(code, id=f"{lesson.id}-block{number}")
    for lesson in COURSE.lessons.values()
    for number, code in enumerate(RUNNABLE.findall(lesson.text), start=1)
]
# The pre-prompt plus the largest lesson must fit a small local model's window.
TOKEN_BUDGET = 10_000


def test_shipped_course_passes_check():
    assert check_course(COURSE.root) == []


def test_course_has_three_modules_and_fourteen_lessons():
    assert [len(m.lessons) for m in COURSE.modules] == [5, 4, 5]
    assert all(m.overview.strip() for m in COURSE.modules)


@pytest.mark.parametrize("lesson", COURSE.lessons.values(), ids=lambda lesson: lesson.id)
def test_lesson_fits_the_budget_and_cites_resources(lesson):
    assert estimate_tokens(read_prompt("pre-prompt.md")) + estimate_tokens(lesson.text) <= TOKEN_BUDGET
    assert 6_000 <= len(lesson.text.encode()) <= 18_000
    assert "## Learning resources" in lesson.body and RUNNABLE.search(lesson.text)
    assert "http" not in lesson.body  # resources are cited by author, title and year


@pytest.mark.parametrize("code", BLOCKS)
def test_runnable_block_executes(code, tmp_path):
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.strip(), "a runnable example should print what it shows"

"""The shipped courses: each passes `tutor course check`, fits a small model's window
next to the pre-prompt, follows the built-in courses' conventions (sessions/README.md),
and every runnable example prints exactly the output recorded under it."""

from __future__ import annotations

import re

import pytest

from lesson_runner import normalise, preload, run_example
from tutor.backends.base import estimate_tokens
from tutor.content import read_prompt
from tutor.course import built_in_courses, compact_lesson, load_course, runnable_examples
from tutor.course_check import check_course

COURSES = {name: load_course(name) for name in built_in_courses()}
EXAMPLES = [
    pytest.param(course.root, example, id=f"{name}-{lesson.id}-line{example.line}")
    for name, course in COURSES.items()
    for lesson in course.lessons.values()
    for example in runnable_examples(lesson.text)
]
LESSONS = pytest.mark.parametrize(
    "lesson", [pytest.param(lesson, id=f"{name}-{lesson.id}") for name, course in COURSES.items() for lesson in course.lessons.values()],
)
SHAPE = {"llm": [5, 4, 5], "gpt": [3, 6, 4, 5]}
# What the whole system context may cost (pre-prompt and full lesson): every API model's
# window holds it. The compact form must fit the smallest window (the embedded model's
# 8,192 tokens) with room for a reply.
FULL_BUDGET = 14_000
COMPACT_BUDGET = 8_192 - 512 - 1_024


@pytest.fixture(scope="module", autouse=True)
def heavy_imports_once():
    preload()


@pytest.mark.parametrize("name", COURSES)
def test_shipped_course_passes_check(name):
    assert [str(p) for p in check_course(COURSES[name].root)] == []


@pytest.mark.parametrize("name", COURSES)
def test_course_has_its_modules_and_lessons_and_overviews(name):
    course = COURSES[name]
    assert [len(m.lessons) for m in course.modules] == SHAPE[name]
    for module in course.modules:
        assert all(f"## {part}" in module.overview for part in ("In scope", "Out of scope", "Short on time")), module.title


@LESSONS
def test_lesson_fits_the_budget_and_cites_resources(lesson):
    pre_prompt = estimate_tokens(read_prompt("pre-prompt.md"))
    assert pre_prompt + estimate_tokens(lesson.text) <= FULL_BUDGET
    assert pre_prompt + estimate_tokens(compact_lesson(lesson)) <= COMPACT_BUDGET
    assert "## Learning resources" in lesson.body and runnable_examples(lesson.text)
    assert "http" not in lesson.body  # resources are cited by author, title and year


@LESSONS
def test_every_knowledge_point_has_tiered_checks_and_exercises(lesson):
    for number in range(1, len(lesson.knowledge_points) + 1):
        parts = lesson.sections(number)
        where = f"{lesson.id} KP{number}"
        checks = [line for line in parts["Understanding check"].splitlines() if line.strip()]
        tiers = [re.match(r"- (Core|Hands-on|Advanced): ", line) for line in checks]
        assert [m.group(1) if m else line for m, line in zip(tiers, checks)] == ["Core", "Hands-on", "Advanced"], where
        assert all(line.count("?") == 1 for line in checks), f"{where}: one question per tier"
        assert "**Change, predict, run.**" in parts["Hands-on implementation"], where
        assert "**Derive it.**" in parts["Advanced theory"] and "*Sketch:*" in parts["Advanced theory"], where


@pytest.mark.parametrize(("root", "example"), EXAMPLES)
def test_runnable_example_prints_its_recorded_output(root, example):
    ran = run_example(example.code, cwd=root)
    assert ran.ok, ran.error[-2000:]
    assert example.output is not None, "record the output with tests/lesson_runner.py --write"
    assert normalise(ran.stdout) == normalise(example.output)


def test_gpt2_checkpoint_shapes_fit_the_course_model_built_with_random_weights():
    """s3.4 lists GPT-2's checkpoint (names, shapes) and compares it with the course's
    model; the lesson builds it on the meta device, here it is built for real."""
    course = COURSES["gpt"]
    code = runnable_examples(course.lessons["s3.4"].text)[0].code
    assert 'with torch.device("meta"):' in code
    ran = run_example(code.replace('with torch.device("meta"):', "if True:  # real tensors, random weights"), cwd=course.root)
    assert ran.ok, ran.error[-2000:]
    for line in ["checkpoint: 148 tensors, 124,439,808 numbers", "our model: 149 entries, 124,439,808 parameters",
                 "ours but not in the checkpoint: ['lm_head.weight']", "in the checkpoint but not ours: []",
                 "same shape: 112 | same after transposing: 36 | Conv1D weights by name: 48"]:
        assert line in ran.stdout

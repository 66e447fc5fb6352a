"""Loading courses and lessons, session ids, the compact lesson, and `tutor course check`."""

from __future__ import annotations

import shutil

import pytest

from conftest import MINI_COURSE
from tutor.course import compact_lesson, load_course, normalise_session_id
from tutor.course_check import check_course
from tutor.errors import InputError


@pytest.mark.parametrize("text", ["s1.1", "S1.1", "1.1", " s1.1 "])
def test_session_ids_accept_three_spellings(text):
    assert normalise_session_id(text) == "s1.1"


def test_mini_course_loads_in_order():
    course = load_course(MINI_COURSE)
    assert [lesson.id for lesson in course.ordered()] == ["s1.1", "s1.2"]
    assert course.version == "test-1"
    assert course.lessons["s1.2"].prerequisites == ["s1.1"]
    assert course.modules[0].overview.startswith("# A tiny module")


def test_unknown_session_suggests_nearest_ids():
    course = load_course(MINI_COURSE)
    with pytest.raises(InputError) as error:
        course.lesson("s1.3")
    assert error.value.exit_code == 2
    assert "s1.1" in error.value.hint or "s1.2" in error.value.hint


def test_compact_lesson_keeps_questions_and_checks_only():
    lesson = load_course(MINI_COURSE).lesson("s1.1")
    compact = compact_lesson(lesson)
    assert lesson.primary_question in compact
    assert "What would you count first in lesson 1?" in compact
    assert "Why does dividing by N matter for lesson 1?" in compact
    assert "## Knowledge point 2: Second idea of lesson 1" in compact
    assert "LONG-CORE-TEXT-1" not in compact
    assert len(compact) < len(lesson.text)


@pytest.fixture
def broken_course(tmp_path):
    root = tmp_path / "course"
    shutil.copytree(MINI_COURSE, root)
    return root


def test_missing_front_matter_field_names_file_and_field(broken_course):
    path = broken_course / "m1" / "s1.2-guessing.md"
    path.write_text(path.read_text().replace("primary_question:", "primary_questio:"))
    with pytest.raises(InputError) as error:
        load_course(broken_course)
    assert "s1.2-guessing.md" in error.value.message
    assert "primary_question" in error.value.message


def test_invalid_yaml_names_the_line(broken_course):
    path = broken_course / "m1" / "s1.1-counting.md"
    path.write_text(path.read_text().replace("module: 1", "module: [1"))
    with pytest.raises(InputError) as error:
        load_course(broken_course)
    assert "s1.1-counting.md" in error.value.message and "line" in error.value.message


def test_shipped_mini_course_passes_check():
    assert check_course(MINI_COURSE) == []


def test_check_lists_every_problem_with_file_and_line(broken_course):
    first = broken_course / "m1" / "s1.1-counting.md"
    first.write_text(first.read_text().replace("### Advanced theory\nThe estimate", "### Theory\nThe estimate"))
    second = broken_course / "m1" / "s1.2-guessing.md"
    second.write_text(
        second.read_text()
        .replace("prerequisites: [s1.1]", "prerequisites: [s1.1, s0.9]")
        .replace("## Knowledge point 2: Second idea of lesson 2", "## Knowledge point 2: Another title")
    )
    problems = check_course(broken_course)
    messages = [str(p) for p in problems]
    assert len(problems) == 3, messages
    assert any("s1.1-counting.md" in m and "### Advanced theory" in m for m in messages)
    assert any("s1.2-guessing.md:6:" in m and "s0.9" in m for m in messages)
    assert any("s1.2-guessing.md" in m and "Second idea of lesson 2" in m for m in messages)


def test_a_lesson_that_is_also_its_modules_overview_is_still_checked(broken_course):
    course_yaml = broken_course / "course.yaml"
    course_yaml.write_text(course_yaml.read_text().replace("overview: m1/overview.md", "overview: m1/s1.1-counting.md"))
    first = broken_course / "m1" / "s1.1-counting.md"
    first.write_text(first.read_text().replace("### Advanced theory\nThe estimate", "### Theory\nThe estimate"))
    assert any("### Advanced theory" in str(p) for p in check_course(broken_course))


def test_check_catches_duplicate_and_out_of_order_ids(broken_course):
    second = broken_course / "m1" / "s1.2-guessing.md"
    second.write_text(second.read_text().replace("id: s1.2", "id: s1.0").replace("prerequisites: [s1.1]", "prerequisites: []"))
    problems = check_course(broken_course)
    assert [p.line for p in problems] == [2]
    assert "sorts before" in problems[0].message


def test_course_check_command_exits_2_on_problems(tutor, broken_course):
    (broken_course / "m1" / "s1.2-guessing.md").unlink()
    result = tutor("course", "check", str(broken_course))
    assert result.code == 2
    assert "s1.2-guessing.md does not exist" in result.out


def test_course_check_command_passes_clean_course(tutor):
    result = tutor("course", "check", str(MINI_COURSE))
    assert result.code == 0, result.out
    assert "valid" in result.out

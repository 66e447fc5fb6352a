"""The command line's edge: usage errors, help, --debug, and the exit codes of DESIGN.md."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import MINI_COURSE

COURSE = ("--course", str(MINI_COURSE))


@pytest.mark.parametrize(("args", "words"), [
    (["start"], "Missing argument 'SESSION'"),
    (["bogus"], "No such command 'bogus'"),
    (["progress", "--bogus"], "No such option: --bogus"),
    (["start", "s1.1", "--tier", "bogus"], "'bogus' is not one of"),
    (["start", "s1.1", "--lang"], "'--lang' requires an argument"),
    (["transcript", "s1.1", "--run", "two"], "Invalid value for '--run'"),
    (["course", "bogus"], "No such command 'bogus'"),
])
def test_usage_errors_are_two_lines_and_exit_2(tutor, args, words):
    result = tutor(*args)
    assert result.code == 2
    lines = result.err.strip().splitlines()
    assert len(lines) == 2, result.err
    assert words.lower() in lines[0].lower() and lines[0].startswith("tutor")
    assert "--help" in lines[1]
    assert "Traceback" not in result.err and "failed unexpectedly" not in result.err


@pytest.mark.parametrize("args", [[], ["course"]])
def test_no_arguments_prints_the_help_and_exits_0(tutor, args):
    result = tutor(*args)
    assert result.code == 0
    assert "Usage:" in result.out and "--help" in result.out


def test_help_and_version_exit_0(tutor):
    assert tutor("--help").code == 0
    version = tutor("--version")
    assert version.code == 0 and version.out.startswith("tutor ")


def test_debug_shows_the_traceback_of_a_usage_error(tutor):
    with pytest.raises(Exception) as raised:
        tutor("--debug", "progress", "--bogus")
    assert "bogus" in str(raised.value)


def test_debug_shows_the_traceback_of_a_tutor_error(tutor):
    from tutor.errors import InputError

    with pytest.raises(InputError):
        tutor("--debug", "show", "s9.9", *COURSE)
    assert tutor("show", "s9.9", *COURSE).code == 2


@pytest.mark.parametrize("args", [["progress", "--bogus", "--debug"], ["show", "s9.9", *COURSE, "--debug"]])
def test_debug_after_the_command_works_like_before_it(tutor, args):
    with pytest.raises(Exception) as raised:  # the traceback, not "No such option: --debug"
        tutor(*args)
    assert "--debug" not in str(raised.value)


@pytest.mark.parametrize("args", [["--help"], ["list", *COURSE], ["progress", *COURSE]])
def test_a_reader_that_went_away_is_not_an_error(args):
    read, write = os.pipe()
    os.close(read)  # every write to the pipe now fails with EPIPE
    try:
        result = subprocess.run([sys.executable, "-m", "tutor", *args], stdout=write, stderr=subprocess.PIPE,
                                timeout=60, env=os.environ.copy())
    finally:
        os.close(write)
    assert result.returncode == 0 and result.stderr == b""


def test_tutor_debug_variable_works_like_the_flag(tutor, monkeypatch):
    monkeypatch.setenv("TUTOR_DEBUG", "1")
    with pytest.raises(Exception):
        tutor("progress", "--bogus")


def test_unexpected_errors_are_two_lines_and_exit_1(tutor, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("simulated bug")

    monkeypatch.setattr("tutor.course.load_course", broken)
    result = tutor("list", *COURSE)
    assert result.code == 1
    assert result.err.strip().splitlines() == [
        "tutor failed unexpectedly: RuntimeError: simulated bug",
        "Run again with --debug for the traceback, and please report it.",
    ]

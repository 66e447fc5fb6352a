"""Faults and hostile input: every case ends in a clear one- or two-line message with
the documented exit code, and nothing already written or received is lost.

Cases that need a real process (bytes on stdin, a closed stdout, a broken pipe,
signals, a second process) run `python -m tutor` as a subprocess against the loopback
server; the rest run in-process through the `tutor` fixture."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import time

import pytest

from conftest import COURSE, MINI_COURSE, chat_requests, mini_key, stored_run, system_text
from tutor import transcript
from tutor.home import session_lock


def two_lines_at_most(text: str) -> bool:
    lines = [line for line in text.strip().splitlines() if not line.startswith("note:")]
    return 1 <= len(lines) <= 2 and "Traceback" not in text and "failed unexpectedly" not in text


@pytest.fixture
def openai(fake_llm, monkeypatch, write_config):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-fault-key-0001")
    monkeypatch.setenv("OPENAI_BASE_URL", fake_llm.openai_base_url)
    write_config("[backends.openai]\nmax_retries = 0\ntimeout = 5\n")
    return fake_llm


def run_process(args: list[str], *, stdin: bytes = b"", timeout: float = 60, **popen) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tutor", *args], input=stdin, capture_output=True, timeout=timeout,
                          env=os.environ.copy(), **popen)


# --- data loss ---------------------------------------------------------------------

def test_an_oversized_paste_is_refused_and_the_session_still_opens(tutor, openai, home, write_config):
    write_config("[backends.openai]\nmax_retries = 0\ncontext_window = 8192\n")
    openai.reply("First?")
    huge = "attention " * 6_000
    result = tutor("start", "s1.1", *COURSE, "--model", "unknown-model", input=huge + "\n")
    assert result.code == 2 and "too long" in result.err and two_lines_at_most(result.err)
    assert all(len(t["text"]) < 1_000 for t in stored_run(home).turns())
    openai.reply("Still here.")
    again = tutor("start", "s1.1", *COURSE, "--model", "unknown-model", input="short answer\n")
    assert again.code == 0 and "Still here." in again.out


def test_invalid_utf8_on_stdin_is_replaced_and_the_rest_of_the_input_is_read(openai, home):
    openai.reply("First?")
    openai.reply("Got the first.")
    openai.reply("Got the second.")
    result = run_process(["start", "s1.1", *COURSE], stdin=b"caf\xe9 \xff\xfe bytes\nsecond line\n")
    assert result.returncode == 0, result.stderr.decode()
    said = [t["text"] for t in stored_run(home).learner_turns()]
    assert said == ["caf\ufffd \ufffd\ufffd bytes", "second line"]


def test_a_second_process_on_the_same_session_explains_and_exits_1(tutor, openai, home):
    folder = transcript.sessions_dir(home, mini_key())
    with session_lock(folder, "s1.1"):
        result = tutor("start", "s1.1", *COURSE, input="hello\n")
    assert result.code == 1 and "open in another tutor process" in result.err and two_lines_at_most(result.err)
    assert transcript.runs(home, mini_key(), "s1.1") == []
    openai.reply("Now it opens.")
    assert tutor("start", "s1.1", *COURSE).code == 0  # the lock went with the first process


def test_the_lock_is_per_session(tutor, openai, home):
    openai.reply("Session two.")
    with session_lock(transcript.sessions_dir(home, mini_key()), "s1.1"):
        assert tutor("start", "s1.2", *COURSE).code == 0


def test_a_corrupt_store_does_not_break_progress(tutor, openai, home):
    openai.reply("First?")
    tutor("start", "s1.1", *COURSE, input="an answer\n")
    (home / "progress.db").write_bytes(b"garbage" * 1000)
    with pytest.warns(UserWarning, match="rebuilt from your transcripts"):
        result = tutor("progress", "--json", *COURSE)
    assert result.code == 0 and json.loads(result.out)["sessions"][0]["status"] == "in progress"
    assert tutor("progress", "--rebuild", *COURSE).code == 0


def test_a_busy_store_leaves_the_evaluation_in_the_transcript_and_says_so(tutor, home, monkeypatch, tmp_path):
    monkeypatch.setattr("tutor.store.BUSY_TIMEOUT_MS", 200)
    report = tmp_path / "report.md"
    report.write_text("Critical Thinking: 4/5\n", encoding="utf-8")
    assert tutor("progress", *COURSE).code == 0  # the store exists
    blocker = sqlite3.connect(home / "progress.db", isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        result = tutor("eval", "s1.1", *COURSE, "--from-file", str(report), "--json")
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert result.code == 0 and "pick it up" in result.err
    assert stored_run(home).evaluated
    assert json.loads(tutor("progress", "--json", *COURSE).out)["sessions"][0]["scores"]["critical_thinking"] == 4


def test_a_data_home_that_is_a_file_is_a_clear_error(tutor, isolated, monkeypatch):
    blocker = isolated / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("TUTOR_HOME", str(blocker))
    result = tutor("progress", *COURSE)
    assert result.code == 1 and "is a file" in result.err and "TUTOR_HOME" in result.err


def test_a_data_home_that_cannot_be_created_is_a_clear_error(tutor, monkeypatch):
    monkeypatch.setenv("TUTOR_HOME", "/proc/tutor-cannot-live-here")
    result = tutor("progress", *COURSE)
    assert result.code == 1 and two_lines_at_most(result.err) and "TUTOR_HOME" in result.err


def test_a_full_disk_mid_chat_is_a_clear_error_and_leaves_nothing_that_blocks(tutor, openai, home, monkeypatch):
    openai.reply("First?")
    assert tutor("start", "s1.1", *COURSE).code == 0
    real_fsync = os.fsync

    def full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    result = tutor("start", "s1.1", *COURSE, "--new", input="hello\n")
    assert result.code == 1 and "disk is full" in result.err and two_lines_at_most(result.err)
    monkeypatch.setattr(os, "fsync", real_fsync)
    openai.reply("Space again.")
    assert tutor("start", "s1.1", *COURSE, input="hello\n").code == 0


def test_empty_and_headerless_transcripts_do_not_block_list_or_progress(tutor, openai, home):
    openai.reply("First?")
    tutor("start", "s1.1", *COURSE)
    folder = transcript.runs_dir(home, mini_key(), "s1.2")
    folder.mkdir(parents=True)
    (folder / "20990101T000000000000Z.jsonl").write_text("")
    (folder / "20990102T000000000000Z.jsonl").write_text('{"type": "student", "text": "no header"}\n')
    with pytest.warns(transcript.TornLineWarning, match="no header"):
        listed = tutor("list", *COURSE)
    assert listed.code == 0 and "s1.1" in listed.out
    assert tutor("progress", *COURSE).code == 0
    openai.reply("A fresh run.")
    assert tutor("start", "s1.2", *COURSE).code == 0


def test_a_torn_line_warning_is_one_plain_line(openai, home):
    openai.reply("First?")
    assert run_process(["start", "s1.1", *COURSE]).returncode == 0
    with stored_run(home).path.open("a") as handle:
        handle.write('{"type": "student", "te')
    result = run_process(["transcript", "s1.1", *COURSE])
    assert result.returncode == 0
    warning = result.stderr.decode().strip().splitlines()
    assert len(warning) == 1 and warning[0].startswith("note:") and "skipped unreadable line" in warning[0]


def test_a_damaged_transcript_gets_one_note_not_one_per_line(openai, home):
    openai.reply("First?")
    assert run_process(["start", "s1.1", *COURSE]).returncode == 0
    with stored_run(home).path.open("ab") as handle:
        handle.write(b"\xff\xfe\x00\x01 not json \x80\n" * 40)
    result = run_process(["transcript", "s1.1", *COURSE])
    assert result.returncode == 0 and "First?" in result.stdout.decode()
    warning = result.stderr.decode().strip().splitlines()
    assert len(warning) == 1 and "skipped 40 unreadable lines" in warning[0]


def test_a_broken_pipe_exits_quietly_with_the_reply_saved(openai, home):
    openai.reply("line one\nline two\n" + "more words " * 200, chunks=50, chunk_delay=0.01)
    command = f"{sys.executable} -m tutor start s1.1 --course {MINI_COURSE} | head -1"
    result = subprocess.run(command, shell=True, capture_output=True, timeout=60, env=os.environ.copy())
    assert result.returncode == 0 and "Traceback" not in result.stderr.decode()
    tutor_turn = [t for t in stored_run(home).turns() if t["type"] == "tutor"][-1]
    assert tutor_turn["text"].endswith("more words ") and not tutor_turn.get("interrupted")


def test_a_closed_stdout_does_not_crash(openai, home):
    openai.reply("Nobody reads this.")
    result = subprocess.run(f"{sys.executable} -m tutor list --course {MINI_COURSE} >&-", shell=True,
                            capture_output=True, timeout=60, env=os.environ.copy())
    assert "Traceback" not in result.stderr.decode() and "failed unexpectedly" not in result.stderr.decode()


@pytest.mark.parametrize("signum, code", [(signal.SIGTERM, 143), (signal.SIGHUP, 129)])
def test_a_signal_during_a_reply_keeps_what_arrived(openai, home, signum, code):
    openai.reply("one two three four five six seven eight nine ten", chunk_delay=0.3)
    process = subprocess.Popen([sys.executable, "-m", "tutor", "start", "s1.1", *COURSE], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=os.environ.copy())
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not any(r.path == "/v1/chat/completions" for r in openai.requests):
        time.sleep(0.05)
    time.sleep(1.2)
    process.send_signal(signum)
    assert process.wait(timeout=30) == code
    last = stored_run(home).turns()[-1]
    assert last["type"] == "tutor" and last["interrupted"] is True and last["text"].startswith("one two")


# --- security ----------------------------------------------------------------------

@pytest.fixture
def hostile_course(tmp_path):
    root = tmp_path / "hostile"
    shutil.copytree(MINI_COURSE, root)
    index = root / "course.yaml"
    index.write_text(index.read_text().replace("title: Mini course for tests", 'title: "Evil \\e]52;c;cm0gLXJmIH4=\\a\\e]0;owned\\a [part 1] [link=https://x.example]click[/link] \\u202egnp.exe"'))
    lesson = root / "m1" / "s1.1-counting.md"
    lesson.write_text(lesson.read_text().replace("title: Counting words", 'title: "Counting \\e[31mred\\e[0m [part 1]"'))
    return root


@pytest.mark.parametrize("command", [["list"], ["progress"], ["show", "s1.1"], ["show", "m1"], ["journal"]])
def test_course_text_cannot_reach_the_terminal_as_control_sequences(tutor, hostile_course, command):
    result = tutor(*command, "--course", str(hostile_course))
    assert result.code == 0, result.err
    assert "\x1b" not in result.out and "\x07" not in result.out and "\u202e" not in result.out
    if command in (["list"], ["progress"]):
        assert "[part 1]" in result.out  # shown as text, never taken as markup


@pytest.mark.parametrize("value", ["\x1b]0;owned\x07", "French\x1b[2J", "x" * 200, "{evil}"])
def test_a_hostile_lang_value_is_bad_input(tutor, openai, value):
    result = tutor("start", "s1.1", *COURSE, "--lang", value)
    assert result.code == 2 and "\x1b" not in result.err and two_lines_at_most(result.err)


def test_a_hostile_lang_command_in_a_chat_is_refused(tutor, openai, home):
    openai.reply("First?")
    result = tutor("start", "s1.1", *COURSE, input="/lang \x1b]52;c;evil\x07\n")
    assert result.code == 0 and "Usage: /lang" in result.err
    assert stored_run(home).setting("language") == "English"


def test_a_hostile_model_name_is_not_echoed_raw(tutor, openai):
    openai.reply(status=404)
    result = tutor("start", "s1.1", *COURSE, "--model", "gpt\x1b]0;owned\x07")
    assert result.code == 1 and "\x1b" not in result.err and "\x07" not in result.err


def test_a_hostile_server_error_is_sanitised(tutor, fake_llm, monkeypatch, write_config):
    write_config(f'[backends.ollama]\nbase_url = "{fake_llm.url}"\nmodel = "m\\u001b[2J\\u001b]0;owned\\u0007"\n')
    result = tutor("start", "s1.1", *COURSE, "--backend", "ollama")
    assert result.code == 1 and "\x1b" not in result.err


def test_model_links_show_their_real_target_and_markup_stays_text(openai):
    openai.reply("Read [the paper](https://evil.example/phish) and [bold]this[/bold].")
    from io import StringIO

    from tutor.render import TerminalScreen
    from tutor.streaming import ReplyDone, TextDelta, Waiting

    out = StringIO()
    screen = TerminalScreen(out=out)
    for event in (Waiting(), TextDelta("Read [the paper](https://evil.example/phish) and [bold]this[/bold]."), ReplyDone("", None)):
        screen.show(event)
    text = out.getvalue()
    assert "https://evil.example/phish" in text and "\x1b]8;" not in text
    assert "[bold]this[/bold]" in text


@pytest.mark.parametrize("session", ["s1.1/../../../outside", "../s1.1", "s1.1\x00", "s9.9"])
def test_session_ids_are_checked_before_any_path_is_built(tutor, home, session):
    outside = home.parent / "outside.jsonl"
    outside.write_text('{"type": "header", "session": "x"}\n')
    result = tutor("transcript", session, *COURSE)
    assert result.code == 2 and "Unknown session" in result.err and '"header"' not in result.out


def test_course_files_may_not_leave_the_course_folder(tutor, tmp_path):
    root = tmp_path / "escape"
    shutil.copytree(MINI_COURSE, root)
    (tmp_path / "secret.md").write_text("---\nid: s1.9\n---\n")
    index = root / "course.yaml"
    index.write_text(index.read_text().replace("m1/s1.2-guessing.md", "../secret.md"))
    result = tutor("list", "--course", str(root))
    assert result.code == 2 and "leaves the course folder" in result.err
    check = tutor("course", "check", str(root))
    assert check.code == 2 and "leaves the course folder" in check.out


def test_another_course_never_continues_a_run_of_this_one(tutor, openai, home, tmp_path):
    other = tmp_path / "other"
    shutil.copytree(MINI_COURSE, other)
    openai.reply("Mini course.")
    tutor("start", "s1.1", *COURSE, input="from the mini course\n")
    openai.reply("Other course.")
    result = tutor("start", "s1.1", "--course", str(other))
    assert result.code == 0 and "Continuing" not in result.out
    assert len(list((home / "transcripts").iterdir())) == 2


def test_files_and_folders_are_private_and_old_ones_are_fixed(tutor, openai, home):
    home.mkdir(parents=True)
    os.chmod(home, 0o755)
    legacy = home / "transcripts" / "s1.1"
    legacy.mkdir(parents=True)
    old = legacy / "20250101T000000000000Z.jsonl"
    old.write_text(json.dumps({"type": "header", "session": "s1.1"}) + "\n")
    os.chmod(old, 0o644)
    openai.reply("Hello.")
    assert tutor("start", "s1.1", *COURSE).code == 0
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    moved = home / "transcripts" / "llm" / "s1.1" / old.name  # a first-version run belongs to the built-in course
    assert moved.exists() and stat.S_IMODE(moved.stat().st_mode) == 0o600
    for path in home.rglob("*"):
        if path.is_file():
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


@pytest.mark.parametrize("where", ["lesson", "index"])
def test_a_yaml_bomb_is_refused_quickly(tutor, tmp_path, where):
    root = tmp_path / "bomb"
    shutil.copytree(MINI_COURSE, root)
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n" \
           "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
    if where == "lesson":
        lesson = root / "m1" / "s1.1-counting.md"
        lesson.write_text(lesson.read_text().replace("estimated_minutes: 10", "estimated_minutes: 10\n" + bomb))
    else:
        index = root / "course.yaml"
        index.write_text(bomb + index.read_text())
    started = time.monotonic()
    result = tutor("list", "--course", str(root))
    assert result.code == 2 and "aliases" in result.err
    assert time.monotonic() - started < 5


# --- bad input -----------------------------------------------------------------------

def test_course_check_reports_a_bad_module_id_without_crashing(tutor, tmp_path):
    root = tmp_path / "badid"
    shutil.copytree(MINI_COURSE, root)
    index = root / "course.yaml"
    index.write_text(index.read_text().replace("- id: 1", "- id: one"))
    check = tutor("course", "check", str(root))
    assert check.code == 2 and "modules.0.id" in check.out
    listed = tutor("list", "--course", str(root))
    assert listed.code == 2 and two_lines_at_most(listed.err)


def test_course_check_reports_a_latin1_lesson_without_crashing(tutor, tmp_path):
    root = tmp_path / "latin"
    shutil.copytree(MINI_COURSE, root)
    lesson = root / "m1" / "s1.2-guessing.md"
    lesson.write_bytes(lesson.read_text().replace("Counting", "Comptage é").encode("latin-1"))
    check = tutor("course", "check", str(root))
    assert check.code == 2 and "not UTF-8" in check.out


def test_an_unknown_course_name_is_bad_input(tutor):
    result = tutor("list", "--course", "no-such-course")
    assert result.code == 2 and "tutor courses" in result.err


def test_tutor_lang_that_is_not_a_language_is_bad_input(tutor, openai, monkeypatch):
    monkeypatch.setenv("TUTOR_LANG", "\x1b[2J")
    result = tutor("start", "s1.1", *COURSE)
    assert result.code == 2 and "TUTOR_LANG" in result.err


def test_an_unknown_chat_command_is_explained_and_nothing_is_sent(tutor, openai):
    openai.reply("First?")
    result = tutor("start", "s1.1", *COURSE, input="/frobnicate\n/confidence 9\n/kp two\n")
    assert result.code == 0
    assert "Unknown command /frobnicate" in result.err and "Usage: /confidence" in result.err and "Usage: /kp" in result.err
    assert len(chat_requests(openai)) == 1


def test_confidence_in_a_chat_is_recorded(tutor, openai, home):
    openai.reply("First?")
    assert tutor("start", "s1.1", *COURSE, input="/confidence 3\n").code == 0
    notes = [(e["kind"], e["value"]) for e in stored_run(home).events if e["type"] == "note"]
    assert notes == [("confidence", 3)]


def test_a_lesson_changed_since_the_run_started_is_noticed(tutor, openai, home, tmp_path):
    root = tmp_path / "changing"
    shutil.copytree(MINI_COURSE, root)
    openai.reply("First?")
    tutor("start", "s1.1", "--course", str(root), input="an answer\n")
    lesson = root / "m1" / "s1.1-counting.md"
    lesson.write_text(lesson.read_text().replace("Counting is like tallying votes.", "Counting is like keeping score."))
    openai.reply("Continuing.")
    result = tutor("start", "s1.1", "--course", str(root), input="more\n")
    assert result.code == 0 and "has changed since this run started" in result.err
    assert "keeping score" in system_text(chat_requests(openai)[-1].body)

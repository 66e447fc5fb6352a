"""The interactive chat in a real pseudo-terminal: the line editor, paste, Ctrl-C and
Ctrl-D, against the loopback server through the real OpenAI SDK."""

from __future__ import annotations

import os

import pytest

from conftest import COURSE, stored_run
from terminal import Terminal


@pytest.fixture
def terminal(fake_llm, isolated, write_config):
    write_config("[backends.openai]\nmax_retries = 0\n")
    env = {
        **os.environ, "OPENAI_API_KEY": "sk-test", "OPENAI_BASE_URL": fake_llm.openai_base_url,
        "TUTOR_HOME": str(isolated / "home"), "TUTOR_CONFIG": str(isolated / "config.toml"),
    }
    opened: list[Terminal] = []

    def start(*args: str) -> Terminal:
        term = Terminal(["start", "s1.1", *COURSE, *args], env)
        opened.append(term)
        return term

    yield start
    for term in opened:
        term.close()


def leave(term, confidence: str = "") -> int:
    """Ctrl-D, then answer (or skip with Enter) the closing confidence question."""
    term.type("\x04")
    term.read_until("confidence ›")
    term.type(confidence + "\r")
    return term.wait()


def student_turns(home):
    return [t["text"] for t in stored_run(home).learner_turns()]


def test_a_pasted_block_is_one_turn(terminal, fake_llm, home):
    fake_llm.reply("What would you count first?")
    fake_llm.reply("One turn received.")
    term = terminal()
    term.read_until("you ›")
    term.paste("counts = {}\nfor w in words:\n    counts[w] = counts.get(w, 0) + 1")
    term.type("\r")
    term.read_until(r"One turn received\.[\s\S]*you ›")
    assert leave(term) == 0  # Ctrl-D leaves normally
    assert student_turns(home) == ["counts = {}\nfor w in words:\n    counts[w] = counts.get(w, 0) + 1"]
    assert len([r for r in fake_llm.requests if r.path == "/v1/chat/completions"]) == 2


def test_escape_enter_writes_a_second_line(terminal, fake_llm, home):
    fake_llm.reply("Question?")
    fake_llm.reply("Got both lines.")
    term = terminal()
    term.read_until("you ›")
    term.type("first line\x1b\rsecond line\r")
    term.read_until(r"Got both lines\.[\s\S]*you ›")
    assert leave(term, "4") == 0
    assert student_turns(home) == ["first line\nsecond line"]
    notes = [e for e in stored_run(home).events if e["type"] == "note"]
    assert [(n["kind"], n["value"]) for n in notes] == [("confidence", 4)]


def test_ctrl_c_clears_a_half_typed_line_then_leaves_with_130(terminal, fake_llm, home):
    fake_llm.reply("Question?")
    term = terminal()
    term.read_until("you ›")
    term.type("half a thought")
    term.settle(0.3)
    term.type("\x03")  # clears the line, stays in the chat
    term.settle(0.3)
    assert term.process.poll() is None
    term.type("\x03")  # on an empty line: leave
    assert term.wait() == 130
    assert student_turns(home) == []
    assert [t["type"] for t in stored_run(home).turns()] == ["student", "tutor"]


def test_ctrl_c_while_the_tutor_answers_keeps_the_partial_reply(terminal, fake_llm, home):
    fake_llm.reply("Question?")
    fake_llm.reply("one two three four five six seven eight nine ten", chunk_delay=0.4)
    term = terminal()
    term.read_until("you ›")
    term.type("tell me more\r")
    term.read_until("two")
    term.type("\x03")
    term.read_until(r"interrupted[\s\S]*you ›")
    assert leave(term) == 0
    last = stored_run(home).turns()[-1]
    assert last["type"] == "tutor" and last["interrupted"] is True and last["text"].startswith("one two")

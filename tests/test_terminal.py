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

    def start(*args: str, pipe_stdout: bool = False, extra_env: dict[str, str] | None = None, term: str = "xterm-256color") -> Terminal:
        term = Terminal(["start", "s1.1", *COURSE, *args], {**env, **(extra_env or {})}, pipe_stdout=pipe_stdout, term=term)
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


def test_a_failed_reply_leaves_the_chat_open_and_retry_sends_the_turn_again(terminal, fake_llm, home):
    fake_llm.reply("Question?")
    fake_llm.reply(status=500)
    fake_llm.reply("Second time lucky.")
    term = terminal()
    term.read_until("you ›")
    term.type("my answer\r")
    term.read_until(r"HTTP 500[\s\S]*/retry[\s\S]*you ›")
    assert "\x1b[?25h" in term.raw  # the cursor is shown again after the error
    term.type("/retry\r")
    term.read_until(r"Second time lucky\.[\s\S]*you ›")
    assert leave(term) == 0
    assert student_turns(home) == ["my answer"]
    assert stored_run(home).turns()[-1]["text"] == "Second time lucky."


def test_with_stdout_piped_the_prompt_is_still_on_the_terminal(terminal, fake_llm, home):
    fake_llm.reply("Question?")
    fake_llm.reply("Noted.")
    term = terminal(pipe_stdout=True)
    term.read_until("you ›")  # drawn on standard error, which is the terminal
    term.type("piped answer\r")
    term.read_until(r"piped answer[\s\S]*you ›")  # the prompt is back after the reply
    assert leave(term) == 0
    assert student_turns(home) == ["piped answer"]
    assert "Noted." in term.process.stdout.read().decode()


def test_no_color_gives_a_prompt_without_colour(terminal, fake_llm):
    fake_llm.reply("Question?")
    term = terminal(extra_env={"NO_COLOR": "1"})
    term.read_until("you ›")
    prompt_area = term.raw[term.raw.rfind("Question?"):]
    assert "\x1b[1;36m" not in prompt_area and "38;5;" not in prompt_area
    term.type("\x04")  # nothing said yet, so no confidence question
    assert term.wait() == 0


def test_a_dumb_terminal_gets_plain_text_and_still_chats(terminal, fake_llm, home):
    fake_llm.reply("What is a token, do you think?")
    fake_llm.reply("Close: a piece of a word.")
    term = terminal(term="dumb")
    term.read_until("you ›")
    term.type("a word\r")
    term.read_until(r"a piece of a word\.[\s\S]*you ›")
    term.type("\x04")
    term.read_until("confidence ›")
    term.type("\r")
    assert term.wait() == 0
    assert "\x1b" not in term.raw  # no cursor moves, no bracketed paste, no bold
    assert student_turns(home) == ["a word"]

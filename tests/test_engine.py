"""The chat engine: events, transcript writes, interruption, errors, continuing."""

from __future__ import annotations

from dataclasses import replace

import pytest

from conftest import MINI_COURSE
from tutor import transcript
from tutor.backends.base import Finish, Notice, Usage
from tutor.backends.spec import BackendSpec
from tutor.chat import pump
from tutor.context import MIN_REPLY_TOKENS, SAFETY_MARGIN, system_context
from tutor.course import load_course
from tutor.engine import OPENING_MESSAGE, ChatEngine
from tutor.errors import BackendError, InputError, Terminated
from tutor.streaming import Interrupted, Note, ReplyDone, TextDelta, Waiting


class ScriptedBackend:
    """An in-process backend: replies from a script, records what it was sent."""

    def __init__(self, *replies, window: int = 100_000, fail_after: int | None = None, interrupt_after: int | None = None,
                 signal_after: int | None = None, parameters: int | None = None):
        self.spec = BackendSpec("scripted", "openai", "script-1")
        self.replies = list(replies)
        self.window = window
        self.fail_after = fail_after
        self.interrupt_after = interrupt_after
        self.signal_after = signal_after
        self.n_parameters = parameters
        self.sent = []

    def parameters(self):
        return self.n_parameters

    def prepare(self):
        pass

    def context_window(self):
        return self.window

    def count_tokens(self, text):
        return len(text.split())

    def stream(self, request):
        self.sent.append((request.system, [dict(m) for m in request.messages]))
        words = self.replies.pop(0).split(" ")
        for index, word in enumerate(words):
            if index == self.fail_after:
                raise BackendError("connection broke", "try again")
            if index == self.interrupt_after:
                raise KeyboardInterrupt
            if index == self.signal_after:
                raise Terminated(15)
            yield word if index == 0 else " " + word
        yield Notice("a backend remark")
        yield Usage(42, len(words))
        yield Finish("stop")


@pytest.fixture
def lesson():
    return load_course(MINI_COURSE).lesson("s1.1")


def make_engine(home, lesson, backend):
    run = transcript.create(home, {"course": "test", "session": lesson.id, "language": "English", "tier": None, "backend": "scripted", "model": "script-1"})
    return ChatEngine(lesson, backend, run)


def test_opening_turn_streams_and_is_recorded(home, lesson):
    backend = ScriptedBackend("Welcome! What is a word?")
    engine = make_engine(home, lesson, backend)
    events = list(engine.reply())
    deltas = "".join(e.text for e in events if isinstance(e, TextDelta))
    assert deltas == "Welcome! What is a word?"
    assert isinstance(events[-1], ReplyDone) and events[-1].usage == Usage(42, 5)
    assert any(isinstance(e, Note) and e.text == "a backend remark" for e in events)
    system, messages = backend.sent[0]
    assert "Socratic tutor" in system and "LONG-CORE-TEXT-1" in system
    assert messages == [{"role": "user", "content": OPENING_MESSAGE}]
    stored = transcript.read(engine.transcript.path)
    tutor_turn = stored.turns()[-1]
    assert tutor_turn["text"] == "Welcome! What is a word?"
    assert tutor_turn["usage"] == {"input_tokens": 42, "cached_input_tokens": None, "output_tokens": 5}
    assert tutor_turn["cost_usd"] is None  # no price is known for this model: never guessed


def test_history_is_resent_with_each_turn(home, lesson):
    backend = ScriptedBackend("First question?", "Good answer.")
    engine = make_engine(home, lesson, backend)
    list(engine.reply())
    list(engine.reply("a token is a piece of text"))
    roles = [m["role"] for m in backend.sent[1][1]]
    assert roles == ["user", "assistant", "user"]
    assert backend.sent[1][1][-1]["content"] == "a token is a piece of text"


def test_interrupt_inside_the_stream_keeps_the_partial_reply(home, lesson):
    engine = make_engine(home, lesson, ScriptedBackend("one two three four", interrupt_after=2))
    events = list(engine.reply())
    assert isinstance(events[-1], Interrupted) and events[-1].text == "one two"
    turn = transcript.read(engine.transcript.path).turns()[-1]
    assert turn["interrupted"] is True and turn["text"] == "one two"


def test_interrupt_while_waiting_for_the_first_words(home, lesson):
    engine = make_engine(home, lesson, ScriptedBackend("never shown"))
    shown = []

    def show(event):
        shown.append(event)
        if isinstance(event, Waiting):
            raise KeyboardInterrupt  # Ctrl-C while the spinner turns

    pump(engine.reply(), show)
    assert [type(e) for e in shown] == [Waiting, Interrupted] and shown[-1].text == ""
    assert transcript.read(engine.transcript.path).turns()[-1]["interrupted"] is True


def test_interrupt_while_showing_is_thrown_into_the_engine(home, lesson):
    engine = make_engine(home, lesson, ScriptedBackend("alpha beta gamma delta"))
    shown = []

    def show(event):
        shown.append(event)
        if isinstance(event, TextDelta) and sum(isinstance(e, TextDelta) for e in shown) == 2:
            raise KeyboardInterrupt  # the learner presses Ctrl-C while the screen draws

    pump(engine.reply(), show)
    assert isinstance(shown[-1], Interrupted) and shown[-1].text == "alpha beta"
    turns = transcript.read(engine.transcript.path).turns()
    assert turns[-1]["interrupted"] is True
    # The chat goes on: the next reply works and sees the partial text in its history.
    engine.backend.replies.append("next reply")
    list(engine.reply("go on"))
    assert engine.backend.sent[-1][1][1] == {"role": "assistant", "content": "alpha beta"}


def test_backend_error_keeps_partial_text_and_the_students_turn(home, lesson):
    engine = make_engine(home, lesson, ScriptedBackend("First?", "lost in the middle", fail_after=2))
    list(engine.reply())
    with pytest.raises(BackendError):
        list(engine.reply("my answer"))
    stored = transcript.read(engine.transcript.path)
    kinds = [(e["type"], e.get("text")) for e in stored.events]
    assert ("student", "my answer") in kinds
    assert ("tutor", "lost in") in kinds
    assert stored.events[-1]["type"] == "error"


def test_continuing_resends_a_student_turn_left_without_reply(home, lesson):
    engine = make_engine(home, lesson, ScriptedBackend("First?"))
    list(engine.reply())
    engine.backend = ScriptedBackend("never sent", fail_after=0)
    with pytest.raises(BackendError):
        list(engine.reply("my answer"))
    resumed = ChatEngine(lesson, ScriptedBackend("Thanks for waiting."), transcript.read(engine.transcript.path))
    assert resumed.awaiting_reply()
    list(resumed.reply())
    assert resumed.backend.sent[0][1][-1] == {"role": "user", "content": "my answer"}


def test_small_window_sends_compact_lesson_and_says_so_once(home, lesson):
    compact = len(system_context(lesson, language="English", tier=None, compact=True).split())
    backend = ScriptedBackend("a", "b", window=compact + MIN_REPLY_TOKENS + SAFETY_MARGIN + 40)
    backend.spec = replace(backend.spec, max_output_tokens=MIN_REPLY_TOKENS)  # reserve exactly the minimum reply
    engine = make_engine(home, lesson, backend)
    notes = [e.text for e in engine.reply() if isinstance(e, Note) and "compact" in e.text]
    notes += [e.text for e in engine.reply("more") if isinstance(e, Note) and "compact" in e.text]
    assert len(notes) == 1
    assert "LONG-CORE-TEXT-1" not in backend.sent[0][0]
    assert "What would you count first in lesson 1?" in backend.sent[0][0]


def test_language_change_is_recorded_and_used(home, lesson):
    backend = ScriptedBackend("a", "b")
    engine = make_engine(home, lesson, backend)
    list(engine.reply())
    engine.set_language("Français")
    list(engine.reply("bonjour"))
    assert "Teach this session in Français" in backend.sent[-1][0]
    assert transcript.read(engine.transcript.path).setting("language") == "Français"


def test_an_oversized_message_is_refused_before_it_is_stored(home, lesson):
    backend = ScriptedBackend("First?", "Fine.", window=3_000)
    engine = make_engine(home, lesson, backend)
    list(engine.reply())
    with pytest.raises(InputError) as error:
        list(engine.reply("word " * 5_000))
    assert "too long" in error.value.message and "nothing was saved" in error.value.hint
    assert [t["type"] for t in transcript.read(engine.transcript.path).turns()] == ["student", "tutor"]
    list(engine.reply("a short answer"))  # the session goes on
    assert backend.sent[-1][1][-1]["content"] == "a short answer"


def test_sigterm_during_a_reply_saves_what_arrived_then_leaves(home, lesson):
    engine = make_engine(home, lesson, ScriptedBackend("one two three four", signal_after=2))
    with pytest.raises(Terminated):
        list(engine.reply())
    turn = transcript.read(engine.transcript.path).turns()[-1]
    assert turn["interrupted"] is True and turn["text"] == "one two"


def test_a_tiny_model_gets_the_compact_lesson(home, lesson):
    backend = ScriptedBackend("a", parameters=135_000_000)
    engine = make_engine(home, lesson, backend)
    list(engine.reply())
    assert "LONG-CORE-TEXT-1" not in backend.sent[0][0]
    assert "What would you count first in lesson 1?" in backend.sent[0][0]


def test_course_map_and_profile_from_the_header_reach_the_model(home, lesson):
    backend = ScriptedBackend("a")
    run = transcript.create(home, {"course": "test", "session": lesson.id, "language": "English", "tier": None,
                                   "context": {"course_map": "# The course map\n- s1.1 [current]", "profile": "# What you know about this learner\n- likes maths"}})
    list(ChatEngine(lesson, backend, run).reply())
    system = backend.sent[0][0]
    assert system.index("# The course map") < system.index("likes maths") < system.index("LONG-CORE-TEXT-1")

"""The chat engine: turns a student's message into a tutor's reply, as events.

It never prints. `reply` yields `TextDelta`s while the answer streams, then one of
`ReplyDone` or `Interrupted`; `Note`s carry things worth telling the learner. Every
turn is written to the transcript as it completes; a Ctrl-C (KeyboardInterrupt) raised
while streaming, or thrown into the generator by the consumer, keeps what arrived as an
interrupted turn. The same engine serves the terminal, piped mode and the tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from tutor.backends.base import Backend, Message, Notice, Usage
from tutor.context import fit_request, system_context
from tutor.course import Lesson
from tutor.errors import BackendError
from tutor.transcript import Transcript

OPENING_MESSAGE = "Let's begin the session: introduce it briefly and ask me your first question."


@dataclass(frozen=True)
class Waiting:
    """The request is sent; nothing has arrived yet (a local model may read for a while)."""


@dataclass(frozen=True)
class TextDelta:
    text: str


@dataclass(frozen=True)
class ReplyDone:
    text: str
    usage: Usage | None


@dataclass(frozen=True)
class Interrupted:
    text: str


@dataclass(frozen=True)
class Note:
    text: str


Event = Waiting | TextDelta | ReplyDone | Interrupted | Note


class ChatEngine:
    def __init__(self, lesson: Lesson, backend: Backend, transcript: Transcript) -> None:
        self.lesson = lesson
        self.backend = backend
        self.transcript = transcript

    @property
    def language(self) -> str:
        return self.transcript.setting("language") or "English"

    @property
    def tier(self) -> str | None:
        return self.transcript.setting("tier")

    def set_language(self, language: str) -> None:
        self.transcript.append("settings", language=language)

    def awaiting_reply(self) -> bool:
        """True when the last turn is the student's: a new run, or one cut off before the tutor answered."""
        turns = self.transcript.turns()
        return not turns or turns[-1]["type"] == "student"

    def reply(self, student_text: str | None = None, *, auto: bool = False) -> Iterator[Event]:
        """Record the student's turn (if any) and stream the tutor's answer to the history."""
        if student_text is not None:
            self.transcript.append("student", text=student_text, **({"auto": True} if auto else {}))
        elif not self.transcript.turns():
            self.transcript.append("student", text=OPENING_MESSAGE, auto=True)
        request = self._request()
        yield from self._notes_for(request)

        parts: list[str] = []
        usage: Usage | None = None
        try:
            yield Waiting()
            for chunk in self.backend.stream(request.system, request.messages, max_tokens=request.max_tokens):
                if isinstance(chunk, str):
                    parts.append(chunk)
                    yield TextDelta(chunk)
                elif isinstance(chunk, Usage):
                    usage = chunk
                elif isinstance(chunk, Notice):
                    self.transcript.append("notice", kind="backend", text=chunk.text)
                    yield Note(chunk.text)
        except KeyboardInterrupt:
            text = "".join(parts)
            self.transcript.append("tutor", text=text, interrupted=True, model=self.backend.spec.model)
            yield Interrupted(text)
            return
        except BackendError as exc:
            if parts:
                self.transcript.append("tutor", text="".join(parts), interrupted=True, model=self.backend.spec.model)
            self.transcript.append("error", message=exc.message)
            raise
        text = "".join(parts)
        usage_fields = {"usage": {"input_tokens": usage.input_tokens, "output_tokens": usage.output_tokens}} if usage else {}
        self.transcript.append("tutor", text=text, model=self.backend.spec.model, **usage_fields)
        yield ReplyDone(text, usage)

    def history(self) -> list[Message]:
        """The transcript's turns as chat messages. Empty (interrupted) replies are left
        out and consecutive same-role turns joined, so roles alternate as APIs require."""
        messages: list[Message] = []
        for turn in self.transcript.turns():
            role = "user" if turn["type"] == "student" else "assistant"
            content = turn["text"]
            if not content.strip():
                continue
            if messages and messages[-1]["role"] == role:
                messages[-1] = {"role": role, "content": messages[-1]["content"] + "\n\n" + content}
            else:
                messages.append({"role": role, "content": content})
        return messages

    def _request(self):
        settings = dict(language=self.language, tier=self.tier)
        return fit_request(
            full_system=system_context(self.lesson, **settings),
            compact_system=lambda: system_context(self.lesson, compact=True, **settings),
            history=self.history(),
            window=self.backend.context_window(),
            count=self.backend.count_tokens,
            max_reply=self.backend.spec.max_output_tokens,
        )

    def _notes_for(self, request) -> Iterator[Note]:
        """Say once per run that the lesson went compact; note each new history trim."""
        noticed = {e.get("kind"): e for e in self.transcript.events if e["type"] == "notice"}
        if request.compact and "compact_lesson" not in noticed:
            text = (
                f"The model's context window ({self.backend.context_window()} tokens) is too small for the whole lesson; "
                "sending its compact form (questions and checks only)."
            )
            self.transcript.append("notice", kind="compact_lesson", text=text)
            yield Note(text)
        trimmed = noticed.get("history_trimmed", {}).get("dropped", 0)
        if request.dropped_turns > trimmed:
            text = f"Older turns no longer fit the context window; sending the opening and the latest {len(request.messages)} messages."
            self.transcript.append("notice", kind="history_trimmed", dropped=request.dropped_turns, text=text)
            yield Note(text)

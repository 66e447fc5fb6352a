"""The chat engine: turns a learner's message into a tutor's reply, as events.

It never prints. `reply` yields the events of `tutor.streaming` while the answer
streams. Every turn is written to the transcript as it completes. A learner's turn
is stored only after it is known to fit the model's window, so one oversized paste
can never lock a session. A Ctrl-C (KeyboardInterrupt, also what SIGTERM and SIGHUP
raise during a chat) while streaming, or thrown into the generator by the consumer,
keeps what arrived as an interrupted turn; so does a broken or cut stream, before its
error is raised. The same engine serves the terminal, piped mode and the tests.
"""

from __future__ import annotations

from typing import Iterator

from tutor.backends.base import Backend, Message, is_tiny
from tutor.context import Fitted, fit_request, system_context
from tutor.course import Lesson
from tutor.errors import BackendError, ContextTooSmall, InputError, Terminated
from tutor.streaming import Event, Interrupted, Note, Reply, ReplyDone, call_record, stream_reply
from tutor.transcript import Transcript

OPENING_MESSAGE = "Let's begin the session: introduce it briefly and ask me your first question."


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

    @property
    def cache_key(self) -> str:
        return f"tutor-{self.transcript.course}-{self.lesson.id}"

    def set_language(self, language: str) -> None:
        self.transcript.append("settings", language=language)

    def awaiting_reply(self) -> bool:
        """True when the last turn is the learner's (a new run, or one cut off before the
        tutor answered), or a reply that failed part-way (a cut stream): /retry asks again."""
        turns = self.transcript.turns()
        return not turns or turns[-1]["type"] == "student" or bool(turns[-1].get("failed"))

    def reply(self, student_text: str | None = None, *, command: str | None = None) -> Iterator[Event]:
        """Record the learner's turn (if any) and stream the tutor's answer to the history."""
        if student_text is not None:
            self._check_fits(student_text)
            self.transcript.append("student", text=student_text, **({"command": command} if command else {}))
        elif not self.transcript.turns():
            self.transcript.append("student", text=OPENING_MESSAGE, auto=True)
        fitted = self._fit(self.history())
        yield from self._notes_for(fitted)

        reply = Reply()
        try:
            yield from stream_reply(self.backend, fitted.request(cache_key=self.cache_key), reply)
        except KeyboardInterrupt:
            self._store(reply, interrupted=True)
            yield Interrupted(reply.text)
            return
        except Terminated:
            self._store(reply, interrupted=True)
            raise  # the process is being stopped: saved, now leave
        except BackendError as exc:
            if reply.parts:
                self._store(reply, interrupted=True, failed=True)
            self.transcript.append("error", message=exc.message)
            raise
        for notice in reply.notices:
            self.transcript.append("notice", kind="backend", text=notice)
        self._store(reply)
        if reply.truncated:
            yield Note("The reply was cut at the output limit; type /go for the rest.")
        yield ReplyDone(reply.text, reply.usage, reply.truncated)

    def history(self) -> list[Message]:
        """The transcript's turns as chat messages. Empty (interrupted) replies and replies
        that failed part-way (kept in the transcript, asked again) are left out, and
        consecutive same-role turns joined, so roles alternate as APIs require."""
        messages: list[Message] = []
        for turn in self.transcript.turns():
            role = "user" if turn["type"] == "student" else "assistant"
            content = turn["text"]
            if not content.strip() or turn.get("failed"):
                continue
            if messages and messages[-1]["role"] == role:
                messages[-1] = {"role": role, "content": messages[-1]["content"] + "\n\n" + content}
            else:
                messages.append({"role": role, "content": content})
        return messages

    def system(self, *, compact: bool = False) -> str:
        """The system context; the course map and learner profile are the ones the run
        started with (its header), so the prefix stays the same for the whole run."""
        context = self.transcript.header.get("context") or {}
        return system_context(
            self.lesson, language=self.language, tier=self.tier, compact=compact,
            course_map=context.get("course_map", ""), profile=context.get("profile", ""),
        )

    def _store(self, reply: Reply, *, interrupted: bool = False, failed: bool = False) -> None:
        flags = {"interrupted": True} if interrupted else {"truncated": True} if reply.truncated else {}
        flags |= {"failed": True} if failed else {}
        self.transcript.append("tutor", text=reply.text, model=self.backend.spec.model, **flags, **call_record(self.backend, reply.usage))

    def _fit(self, history: list[Message]) -> Fitted:
        return fit_request(
            full_system=self.system(),
            compact_system=lambda: self.system(compact=True),
            history=history,
            window=self.backend.context_window(),
            count=self.backend.count_tokens,
            max_reply=self.backend.spec.max_output_tokens,
            prefer_compact=is_tiny(self.backend),  # a tiny model reads faster and is not helped by detail
        )

    def _check_fits(self, text: str) -> None:
        """Refuse, before storing it, a message that cannot fit beside the lesson."""
        try:
            self._fit([*self.history(), {"role": "user", "content": text}])
        except ContextTooSmall as exc:
            raise InputError(
                f"That message is too long for this model ({self.backend.count_tokens(text)} tokens; the window is {self.backend.context_window()}).",
                "Send a shorter part of it; nothing was saved or sent. A model with a larger window takes more (--backend, --model).",
            ) from exc

    def _notes_for(self, fitted: Fitted) -> Iterator[Note]:
        """Say once per run that the lesson went compact; note each new history trim."""
        noticed = {e.get("kind"): e for e in self.transcript.events if e["type"] == "notice"}
        if fitted.compact and "compact_lesson" not in noticed:
            text = "Sending the lesson in compact form (questions and checks only): the model is small or its window is."
            self.transcript.append("notice", kind="compact_lesson", text=text)
            yield Note(text)
        trimmed = noticed.get("history_trimmed", {}).get("dropped", 0)
        if fitted.dropped_turns > trimmed:
            text = f"Older turns no longer fit the context window; sending the opening and the latest {len(fitted.messages)} messages."
            self.transcript.append("notice", kind="history_trimmed", dropped=fitted.dropped_turns, text=text)
            yield Note(text)

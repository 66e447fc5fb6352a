"""The chat loop: reads the learner's turns, runs slash commands, feeds the engine's
events to the screen.

Ctrl-C while a reply streams stops only that reply (the engine keeps what arrived);
Ctrl-C at the prompt leaves with exit code 130; Ctrl-D, end of piped input or /quit
ends the chat normally. At a terminal, a failed reply leaves the chat open (`/retry`
sends the turn again); with piped input it ends the run with its error.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterator

from tutor.engine import ChatEngine
from tutor.errors import BackendError, InputError, Terminated
from tutor.streaming import Event
from tutor.text import check_language

# Navigation commands: what each sends to the tutor. The pre-prompt explains them too.
NAVIGATION = {
    "next": ("move on to the next knowledge point", "Next: let's move on to the next knowledge point."),
    "go": ("continue your explanation", "Go: please continue with your explanation."),
    "deeper": ("go one level deeper on this point", "Deeper: take the current point one level deeper."),
    "background": ("fill in the background I need", "Background: give me the background I need for the current point."),
    "visual": ("show it as a text diagram", "Visual: show the current idea as a diagram or picture drawn in text."),
    "math": ("show the mathematics", "Math: show me the mathematics behind the current point."),
    "paper": ("name the key papers", "Paper: which papers introduced or shaped this idea, and what did they show?"),
}
OTHER_COMMANDS = (
    ("/kp N", "go back to knowledge point N"),
    ("/lang LANG", "switch the teaching language"),
    ("/confidence N", "how confident you feel about this session, 1 to 5"),
    ("/retry", "send your last turn again after a failed reply"),
    ("/eval", "end the chat and evaluate this session"),
    ("/help", "show this list"),
    ("/quit", "end the chat (Ctrl-D works too); continue later with tutor start"),
)


@dataclass(frozen=True)
class Action:
    """What a line typed by the learner asks for."""

    kind: str  # "say", "help", "lang", "confidence", "retry", "eval", "quit", "error"
    text: str = ""
    command: str | None = None


def parse_line(line: str, knowledge_points: int | None = None) -> Action:
    """What `line` asks for; `/kp N` must name one of the lesson's `knowledge_points`."""
    stripped = line.strip()
    if not stripped.startswith("/"):
        return Action("say", stripped)
    name, _, argument = stripped[1:].partition(" ")
    name, argument = name.lower(), argument.strip()
    if name in NAVIGATION:
        request = NAVIGATION[name][1]
        return Action("say", f"{request} {argument}".strip(), command=name)
    if name == "kp":
        if not argument.isdigit():
            return Action("error", "Usage: /kp N, for example /kp 2")
        if knowledge_points is not None and not 1 <= int(argument) <= knowledge_points:
            return Action("error", f"This session has knowledge points 1 to {knowledge_points}; /kp {argument[:6]} is not one of them.")
        return Action("say", f"Take me back to knowledge point {argument}.", command="kp")
    if name == "lang":
        try:
            return Action("lang", check_language(argument))
        except ValueError:
            return Action("error", "Usage: /lang LANGUAGE, for example /lang French")
    if name == "confidence":
        if argument not in ("1", "2", "3", "4", "5"):
            return Action("error", "Usage: /confidence N, with N from 1 (lost) to 5 (could teach it)")
        return Action("confidence", argument)
    if name in ("quit", "exit", "q"):
        return Action("quit")
    if name in ("help", "eval", "retry"):
        return Action(name)
    return Action("error", f"Unknown command /{name}. Type /help for the list.")


def help_text() -> str:
    rows = [f"- `/{name}`: {summary}" for name, (summary, _) in NAVIGATION.items()]
    rows += [f"- `{usage}`: {summary}" for usage, summary in OTHER_COMMANDS]
    return "**Commands**\n\n" + "\n".join(rows) + "\n\nAnything else you type goes to the tutor. Esc then Enter starts a new line."


def pump(events: Iterator[Event], show: Callable[[Event], None]) -> None:
    """Show every event. A Ctrl-C while showing is thrown into the engine's generator,
    which keeps the partial reply as interrupted and yields the Interrupted event."""
    iterator = iter(events)
    while True:
        try:
            event = next(iterator)
        except StopIteration:
            return
        try:
            show(event)
        except KeyboardInterrupt:
            for event in _throw(iterator):
                show(event)
            return
        except Terminated as exc:
            iterator.throw(exc)  # the engine saves what arrived, then lets it through
            raise
        except BrokenPipeError:
            # Nobody reads our output any more (`tutor start ... | head -1`): receive the
            # rest of the reply so that it is saved whole, then let the error through.
            for _ in iterator:
                pass
            raise


def _throw(generator) -> Iterator[Event]:
    try:
        yield generator.throw(KeyboardInterrupt())
    except StopIteration:
        return
    yield from generator


def run_chat(engine: ChatEngine, screen, reader) -> str:
    """Chat until the learner leaves. Returns 'quit' or 'eval'."""
    if engine.awaiting_reply():
        _answer(engine, screen, reader, None)
    while True:
        try:
            line = reader.read("you")
        except EOFError:
            return "quit"
        action = parse_line(line, len(engine.lesson.knowledge_points))
        if action.kind == "say" and not action.text:
            continue
        if not reader.interactive:
            screen.student(line.strip())
        if action.kind in ("quit", "eval"):
            return action.kind
        if action.kind == "help":
            screen.markdown(help_text())
        elif action.kind == "error":
            screen.note(action.text)
        elif action.kind == "confidence":
            engine.transcript.append("note", kind="confidence", value=int(action.text))
            screen.info(f"Noted: confidence {action.text}/5.")
        elif action.kind == "retry":
            if engine.awaiting_reply():
                _answer(engine, screen, reader, None)
            else:
                screen.note("Nothing to retry: the tutor answered your last turn.")
        elif action.kind == "lang":
            engine.set_language(action.text)
            screen.info(f"Teaching language is now {action.text}.")
            _answer(engine, screen, reader, f"From now on, please teach me in {action.text}.", command="lang")
        else:
            _answer(engine, screen, reader, action.text, command=action.command)


def ask_confidence(engine: ChatEngine, screen, reader) -> None:
    """At the end of an interactive chat: how confident the learner feels (skippable)."""
    if not reader.interactive or not engine.transcript.learner_turns():
        return
    if any(e["type"] == "note" and e.get("kind") == "confidence" for e in engine.transcript.events):
        return
    screen.info("Before you go: how confident do you feel about this session, 1 (lost) to 5 (could teach it)? Enter skips.")
    try:
        answer = reader.read("confidence").strip()
    except (EOFError, KeyboardInterrupt):
        return
    if answer in ("1", "2", "3", "4", "5"):
        engine.transcript.append("note", kind="confidence", value=int(answer))


def _answer(engine: ChatEngine, screen, reader, text: str | None, command: str | None = None) -> None:
    try:
        pump(engine.reply(text, command=command), screen.show)
    except InputError as exc:  # the message does not fit: nothing was stored
        if not reader.interactive:
            raise
        screen.note(" ".join(exc.lines()))
    except BackendError as exc:
        if not reader.interactive:
            raise
        screen.error(exc.lines())
        screen.note("Your turn is saved. Type /retry to send it again, or /quit and try later.")

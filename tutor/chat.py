"""The chat loop: reads the learner's lines, runs slash commands, feeds the engine's
events to the screen.

Ctrl-C while a reply streams stops only that reply (the engine keeps what arrived);
Ctrl-C at the prompt leaves with exit code 130; Ctrl-D, end of piped input or /quit
ends the chat normally.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterator

from tutor.engine import ChatEngine, Event

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
    ("/eval", "end the chat and evaluate this session"),
    ("/help", "show this list"),
    ("/quit", "end the chat (Ctrl-D works too); continue later with tutor start"),
)


@dataclass(frozen=True)
class Action:
    """What a line typed by the learner asks for."""

    kind: str  # "say", "help", "lang", "eval", "quit", "error"
    text: str = ""


def parse_line(line: str) -> Action:
    stripped = line.strip()
    if not stripped.startswith("/"):
        return Action("say", stripped)
    name, _, argument = stripped[1:].partition(" ")
    name, argument = name.lower(), argument.strip()
    if name in NAVIGATION:
        request = NAVIGATION[name][1]
        return Action("say", f"{request} {argument}".strip())
    if name == "kp":
        if not argument.isdigit():
            return Action("error", "Usage: /kp N, for example /kp 2")
        return Action("say", f"Take me back to knowledge point {argument}.")
    if name == "lang":
        return Action("lang", argument) if argument else Action("error", "Usage: /lang LANGUAGE, for example /lang French")
    if name in ("quit", "exit", "q"):
        return Action("quit")
    if name in ("help", "eval"):
        return Action(name)
    return Action("error", f"Unknown command /{name}. Type /help for the list.")


def help_text() -> str:
    rows = [f"- `/{name}`: {summary}" for name, (summary, _) in NAVIGATION.items()]
    rows += [f"- `{usage}`: {summary}" for usage, summary in OTHER_COMMANDS]
    return "**Commands**\n\n" + "\n".join(rows) + "\n\nAnything else you type goes to the tutor."


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


def _throw(generator) -> Iterator[Event]:
    try:
        yield generator.throw(KeyboardInterrupt())
    except StopIteration:
        return
    yield from generator


def run_chat(engine: ChatEngine, screen, reader) -> str:
    """Chat until the learner leaves. Returns 'quit' or 'eval'."""
    if engine.awaiting_reply():
        pump(engine.reply(), screen.show)
    while True:
        try:
            line = reader.read("you")
        except EOFError:
            return "quit"
        action = parse_line(line)
        if action.kind == "say" and not action.text:
            continue
        if not reader.interactive:
            screen.student(line.strip())
        if action.kind == "quit":
            return "quit"
        if action.kind == "eval":
            return "eval"
        if action.kind == "help":
            screen.markdown(help_text())
        elif action.kind == "error":
            screen.note(action.text)
        elif action.kind == "lang":
            engine.set_language(action.text)
            screen.info(f"Teaching language is now {action.text}.")
            pump(engine.reply(f"From now on, please teach me in {action.text}."), screen.show)
        else:
            pump(engine.reply(action.text), screen.show)

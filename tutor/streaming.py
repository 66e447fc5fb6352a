"""The one streaming loop the chat and the grader share, and the events it yields.

`stream_reply` sends a request and yields `Waiting`, then `TextDelta`s and `Note`s as
they arrive, filling a `Reply` as it goes; the caller decides what to store. Whatever
stops the stream (Ctrl-C, a signal, a broken connection, a stream that ends without
its finish marker) leaves the text that arrived in the `Reply`, so nothing received is
lost. Nothing here prints: the screen consumes the events.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

from tutor.backends.base import Backend, Finish, Notice, Request, Usage
from tutor.backends.spec import default_prices
from tutor.text import clean


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
    truncated: bool = False


@dataclass(frozen=True)
class Interrupted:
    text: str


@dataclass(frozen=True)
class Note:
    text: str


Event = Waiting | TextDelta | ReplyDone | Interrupted | Note


@dataclass
class Reply:
    parts: list[str] = field(default_factory=list)
    usage: Usage | None = None
    finish: Finish | None = None
    notices: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return clean("".join(self.parts))

    @property
    def truncated(self) -> bool:
        return self.finish is not None and self.finish.truncated


def stream_reply(backend: Backend, request: Request, reply: Reply) -> Iterator[Event]:
    yield Waiting()
    for chunk in backend.stream(request):
        if isinstance(chunk, str):
            reply.parts.append(chunk)
            yield TextDelta(chunk)
        elif isinstance(chunk, Usage):
            reply.usage = chunk
        elif isinstance(chunk, Finish):
            reply.finish = chunk
        elif isinstance(chunk, Notice):
            reply.notices.append(chunk.text)
            yield Note(chunk.text)


def call_record(backend: Backend, usage: Usage | None) -> dict:
    """What a transcript records of one model call: its usage and, where the price of
    the model is known, its cost (never guessed)."""
    if usage is None:
        return {}
    prices = default_prices(backend.spec)
    data = usage.to_json()
    cost = prices.cost(data) if prices is not None else None
    return {"usage": data, "cost_usd": None if cost is None else round(cost, 8)}

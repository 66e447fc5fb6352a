"""What is sent to the model: the system context and the history that fits beside it.

The system context (pre-prompt, course map, learner profile, lesson, language and tier
directives) is never dropped, and it stays byte-stable within a session so that
providers serve it from their prompt cache: nothing in it changes from turn to turn.
When it does not fit the window (or the model is tiny), the lesson is sent in compact
form; when the history grows, the oldest turns go first, but the opening exchange (the
tutor's first turn) stays.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from tutor.backends.base import Request
from tutor.content import read_prompt
from tutor.course import Lesson, compact_lesson
from tutor.errors import ContextTooSmall

Message = dict[str, str]

# Kept free in the window beyond the system context and history: chat framing
# tokens and the error of the token estimate.
SAFETY_MARGIN = 128
MIN_REPLY_TOKENS = 256


def system_context(lesson: Lesson, *, language: str, tier: str | None, compact: bool = False,
                   course_map: str = "", profile: str = "") -> str:
    parts = [read_prompt("pre-prompt.md").strip()]
    if course_map:
        parts.append(course_map.strip())
    if profile:
        parts.append(profile.strip())
    lesson_text = compact_lesson(lesson, tier) if compact else lesson.text
    parts.append("# The lesson for this session\n\n" + lesson_text.strip())
    parts.append(read_prompt("language.md").replace("{language}", language).strip())
    if tier:
        parts.append(read_prompt(f"tiers/{tier}.md").strip())
    return "\n\n---\n\n".join(parts) + "\n"


@dataclass(frozen=True)
class Fitted:
    """A system context and history that fit the window, and what was given up."""

    system: str
    messages: list[Message]
    max_tokens: int
    compact: bool
    dropped_turns: int

    def request(self, *, cache_key: str | None = None, temperature: float | None = None) -> Request:
        return Request(self.system, self.messages, self.max_tokens, temperature=temperature, cache_key=cache_key)


def fit_request(
    *,
    full_system: str,
    compact_system: Callable[[], str],
    history: list[Message],
    window: int,
    count: Callable[[str], int],
    max_reply: int,
    prefer_compact: bool = False,
) -> Fitted:
    """Fit the system context and as much recent history as the window allows.

    `history` alternates user/assistant and ends with the message being answered;
    its first two messages are the opening exchange, kept whenever possible.
    `prefer_compact` sends the compact lesson even when the whole one would fit (a
    tiny model reads faster and is not helped by detail it cannot use).
    """
    reply = max(MIN_REPLY_TOKENS, min(max_reply, window // 4))
    budget = window - reply - SAFETY_MARGIN
    costs = [count(m["content"]) + 4 for m in history]
    opening = costs[:2] if len(history) > 2 else []
    newest = costs[-1:]

    system, compact = full_system, False
    if prefer_compact or count(system) + sum(opening) + sum(newest) > budget:
        system, compact = compact_system(), True
    fixed = count(system) + sum(newest)
    if fixed > budget:
        raise ContextTooSmall(
            f"The model's context window ({window} tokens) is too small even for the compact lesson.",
            "Use a model with a larger window, or set context_window for this backend if the server allows more.",
        )
    if fixed + sum(opening) > budget:
        opening = []  # a tiny window: the newest message wins over the opening exchange

    keep_head = len(opening)
    middle = list(range(keep_head, len(history) - 1))
    used = fixed + sum(opening) + sum(costs[i] for i in middle)
    dropped = 0
    # Drop whole user/assistant pairs, oldest first, so roles keep alternating.
    while middle and used > budget:
        for index in middle[:2]:
            used -= costs[index]
        dropped += len(middle[:2])
        middle = middle[2:]
    head = history[:keep_head] if keep_head else []
    messages = head + [history[i] for i in middle] + history[-1:]
    if messages and messages[0]["role"] != "user":
        messages = messages[1:]
    return Fitted(system, messages, reply, compact, dropped)

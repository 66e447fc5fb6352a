"""Context budgeting: the system context is never dropped, the lesson goes compact
when it must, and history is trimmed oldest first while the opening stays."""

from __future__ import annotations

import pytest

from conftest import MINI_COURSE
from tutor.context import fit_request, system_context
from tutor.course import load_course
from tutor.errors import ContextTooSmall


def count_words(text: str) -> int:
    return len(text.split())


def turns(n: int) -> list[dict[str, str]]:
    """n exchanges of 50-word messages, then a final student message."""
    history = []
    for i in range(n):
        history.append({"role": "user", "content": f"student{i} " + "w " * 49})
        history.append({"role": "assistant", "content": f"tutor{i} " + "w " * 49})
    history.append({"role": "user", "content": "newest question"})
    return history


def fit(history, window, full="S " * 100, compact="C " * 20):
    return fit_request(full_system=full, compact_system=lambda: compact, history=history, window=window, count=count_words, max_reply=256)


def test_everything_fits_in_a_large_window():
    request = fit(turns(3), window=10_000)
    assert not request.compact and request.dropped_turns == 0
    assert len(request.messages) == 7


def test_history_is_trimmed_oldest_first_keeping_the_opening_exchange():
    request = fit(turns(10), window=256 + 128 + 100 + 350)
    contents = [m["content"] for m in request.messages]
    assert contents[0].startswith("student0") and contents[1].startswith("tutor0")
    assert contents[-1] == "newest question"
    assert request.dropped_turns > 0 and request.dropped_turns % 2 == 0
    kept = [c.split()[0] for c in contents[2:-1]]
    assert kept == sorted(kept, key=lambda w: int(w[-1]))  # the most recent exchanges, in order
    assert "student1" not in kept
    assert [m["role"] for m in request.messages][::2] == ["user"] * ((len(request.messages) + 1) // 2)


def test_system_context_is_never_dropped():
    request = fit(turns(30), window=256 + 128 + 160)
    assert request.system.startswith("S ") or request.system.startswith("C ")
    assert request.messages[-1]["content"] == "newest question"


def test_compact_lesson_is_chosen_when_the_full_one_does_not_fit():
    request = fit(turns(1), window=256 + 128 + 90)
    assert request.compact and request.system.startswith("C ")


def test_window_too_small_even_for_the_compact_lesson_is_an_error():
    with pytest.raises(ContextTooSmall) as error:
        fit(turns(1), window=256 + 128 + 10)
    assert "context window" in error.value.message


def test_system_context_holds_pre_prompt_lesson_language_and_tier():
    lesson = load_course(MINI_COURSE).lesson("s1.1")
    text = system_context(lesson, language="Deutsch", tier="hands-on")
    assert "Socratic tutor" in text
    assert "LONG-CORE-TEXT-1" in text
    assert "Teach this session in Deutsch" in text
    assert "hands-on" in text
    compact = system_context(lesson, language="Deutsch", tier=None, compact=True)
    assert "LONG-CORE-TEXT-1" not in compact and "Socratic tutor" in compact


def test_a_tiny_model_prefers_the_compact_lesson():
    request = fit_request(full_system="S " * 100, compact_system=lambda: "C " * 20, history=turns(1), window=100_000,
                          count=count_words, max_reply=256, prefer_compact=True)
    assert request.compact and request.system.startswith("C ")


def test_the_compact_lesson_keeps_only_the_learners_tier_of_each_check():
    from tutor.course import compact_lesson

    lesson = load_course(MINI_COURSE).lesson("s1.1")
    core = compact_lesson(lesson, "core")
    assert "What does a zero probability do to a product of probabilities?" in core
    assert "add-one smoothing" not in core
    assert "add-one smoothing" in compact_lesson(lesson, "advanced") and "zero probability" not in compact_lesson(lesson, "advanced")
    assert "Why does dividing by N matter for lesson 1?" in core  # a check without tier lines stays whole

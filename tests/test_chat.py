"""Slash commands in the chat."""

from __future__ import annotations

import pytest

from tutor.chat import NAVIGATION, help_text, parse_line


@pytest.mark.parametrize("name", sorted(NAVIGATION))
def test_navigation_commands_send_their_request(name):
    action = parse_line(f"/{name}")
    assert action.kind == "say"
    assert action.text == NAVIGATION[name][1]


@pytest.mark.parametrize(
    "line, kind, text",
    [
        ("/kp 2", "say", "Take me back to knowledge point 2."),
        ("/kp two", "error", "Usage: /kp N, for example /kp 2"),
        ("/lang Deutsch", "lang", "Deutsch"),
        ("/lang", "error", "Usage: /lang LANGUAGE, for example /lang French"),
        ("/quit", "quit", ""),
        ("/eval", "eval", ""),
        ("/help", "help", ""),
        ("/frobnicate", "error", "Unknown command /frobnicate. Type /help for the list."),
        ("  plain words  ", "say", "plain words"),
    ],
)
def test_parse_line(line, kind, text):
    action = parse_line(line)
    assert (action.kind, action.text) == (kind, text)


@pytest.mark.parametrize("number", ["0", "5", "99"])
def test_kp_must_name_a_knowledge_point_of_the_lesson(number):
    action = parse_line(f"/kp {number}", knowledge_points=4)
    assert action.kind == "error" and "knowledge points 1 to 4" in action.text
    assert parse_line("/kp 4", knowledge_points=4).kind == "say"


def test_help_lists_every_command():
    text = help_text()
    for command in [*NAVIGATION, "kp", "lang", "eval", "help", "quit"]:
        assert f"/{command}" in text

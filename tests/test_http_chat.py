"""Chatting over HTTP: the real openai and anthropic SDKs against the loopback server,
through the CLI in piped mode, including every fault the issues name."""

from __future__ import annotations

import json

import pytest

from conftest import COURSE, chat_requests, mini_key, stored_run, system_text, user_texts
from tutor import transcript

API_KEYS = ("sk-test-not-a-real-key-0001", "sk-ant-test-not-a-real-key-0002")


@pytest.fixture(params=["openai", "anthropic"])
def backend(request, fake_llm, monkeypatch, write_config):
    """Each test runs once per protocol; SDK retries are off unless a test turns them on."""
    name = request.param
    if name == "openai":
        monkeypatch.setenv("OPENAI_API_KEY", API_KEYS[0])
        monkeypatch.setenv("OPENAI_BASE_URL", fake_llm.openai_base_url)
    else:
        monkeypatch.setenv("ANTHROPIC_API_KEY", API_KEYS[1])
        monkeypatch.setenv("ANTHROPIC_BASE_URL", fake_llm.anthropic_base_url)
    write_config(f"[backends.{name}]\nmax_retries = 0\ntimeout = 2\n")
    fake_llm.name = name
    return fake_llm


def tutor_turns(home):
    return [t for t in stored_run(home).turns() if t["type"] == "tutor"]


def test_full_piped_chat(tutor, backend, home):
    backend.reply("Welcome to **counting**. What would you count first?", usage=(321, 12))
    backend.reply("Good: words. Why divide by N?", usage=(400, 8))
    result = tutor("start", "s1.1", *COURSE, input="I would count words\n/quit\n")
    assert result.code == 0, result.err
    assert "Welcome to **counting**. What would you count first?" in result.out
    assert "> I would count words" in result.out
    assert "Why divide by N?" in result.out
    assert "\x1b" not in result.out  # plain output: no escape codes when piped

    first, second = chat_requests(backend)
    assert "Socratic tutor" in system_text(first.body) and "LONG-CORE-TEXT-1" in system_text(first.body)
    assert "# The course map" in system_text(first.body)
    if backend.name == "openai":
        assert first.body["stream"] is True and first.body["stream_options"] == {"include_usage": True}
        assert [m["role"] for m in second.body["messages"]] == ["system", "user", "assistant", "user"]
    else:
        assert [m["role"] for m in second.body["messages"]] == ["user", "assistant", "user"]

    run = stored_run(home)
    assert run.header["backend"] == backend.name and run.header["language"] == "English"
    assert run.header["prompt_hashes"]["pre_prompt"] and run.header["course_version"] == "test-1"
    assert tutor_turns(home)[0]["usage"] == {"input_tokens": 321, "cached_input_tokens": 0 if backend.name == "anthropic" else None, "output_tokens": 12}
    assert all(key not in run.path.read_text() for key in API_KEYS)


def test_the_system_context_is_byte_stable_across_turns(tutor, backend):
    for text in ("One?", "Two?", "Three?"):
        backend.reply(text)
    assert tutor("start", "s1.1", *COURSE, input="a\nb\n").code == 0
    systems = {system_text(r.body) for r in chat_requests(backend)}
    assert len(systems) == 1


def test_continuing_resends_history_and_keeps_language_and_tier(tutor, backend, home):
    backend.reply("Bonjour ! Que compteriez-vous ?")
    backend.reply("Les mots, très bien.")
    assert tutor("start", "s1.1", *COURSE, "--lang", "French", "--tier", "advanced", input="les mots\n").code == 0
    backend.reply("On continue.")
    result = tutor("start", "s1.1", *COURSE, input="et ensuite ?\n")
    assert result.code == 0, result.err
    assert "Continuing your session" in result.out
    last = chat_requests(backend)[-1].body
    assert "Teach this session in French" in system_text(last) and "advanced theory" in system_text(last)
    contents = user_texts(last)
    assert "les mots" in contents and contents[-1] == "et ensuite ?"


def test_new_flag_starts_a_fresh_run(tutor, backend, home):
    from tutor import transcript
    from conftest import mini_key

    backend.reply("One.")
    tutor("start", "s1.1", *COURSE)
    backend.reply("Two.")
    assert tutor("start", "s1.1", *COURSE, "--new").code == 0
    assert len(transcript.runs(home, mini_key(), "s1.1")) == 2


def test_navigation_commands_send_their_request_and_are_marked(tutor, backend, home):
    backend.reply("Q1?")
    backend.reply("Deeper answer.")
    backend.reply("Back to KP 2.")
    assert tutor("start", "s1.1", *COURSE, input="/deeper\n/kp 2\n/help\n").code == 0
    sent = chat_requests(backend)
    assert user_texts(sent[1].body)[-1].startswith("Deeper:")
    assert user_texts(sent[2].body)[-1] == "Take me back to knowledge point 2."
    assert len(sent) == 3  # /help is answered locally
    commands = [t.get("command") for t in stored_run(home).turns() if t["type"] == "student"]
    assert commands == [None, "deeper", "kp"]


def test_model_output_cannot_inject_terminal_escapes(tutor, backend):
    backend.reply("safe \x1b[2J\x1b]0;owned\x07\x1b]52;c;cm0gLXJmIH4=\x07text \u202eevil")
    result = tutor("start", "s1.1", *COURSE)
    assert "safe text evil" in result.out and "\x1b" not in result.out and "\u202e" not in result.out


def test_rate_limit_is_retried_then_succeeds(tutor, backend, write_config):
    write_config(f"[backends.{backend.name}]\nmax_retries = 2\n")
    backend.reply(status=429, retry_after=0.01)
    backend.reply("Recovered.")
    result = tutor("start", "s1.1", *COURSE)
    assert result.code == 0, result.err
    assert "Recovered." in result.out


@pytest.mark.parametrize("fault, words", [
    (dict(status=429, retry_after=0.01), "rate limiting"),
    (dict(status=500), "HTTP 500"),
    (dict(status=401), "rejected the API key"),
])
def test_http_errors_exit_1_with_a_clear_message(tutor, backend, home, fault, words):
    backend.reply(**fault)
    result = tutor("start", "s1.1", *COURSE)
    assert result.code == 1
    assert words in result.err
    assert len(result.err.strip().splitlines()) <= 2 and "Traceback" not in result.err
    assert all(key not in result.err for key in API_KEYS)
    assert stored_run(home).events[-1]["type"] == "error"


def test_a_server_that_echoes_the_key_gets_it_redacted(tutor, backend, home):
    backend.reply(status=400, echo_auth=True)
    result = tutor("start", "s1.1", *COURSE)
    assert result.code == 1 and "fake" in result.err
    assert all(key not in result.err for key in API_KEYS)
    assert all(key not in stored_run(home).path.read_text() for key in API_KEYS)


def test_stream_cut_midway_keeps_what_arrived(tutor, backend, home):
    backend.reply("one two three four five six", chunks=6, cut_after=3)
    result = tutor("start", "s1.1", *COURSE)
    assert result.code == 1
    assert "broke while the reply was streaming" in result.err
    partial = tutor_turns(home)[-1]
    assert partial["interrupted"] is True and partial["text"].startswith("one")
    # Continuing later shows what was kept and goes on from there.
    backend.reply("Complete answer.")
    resumed = tutor("start", "s1.1", *COURSE, input="go on\n")
    assert resumed.code == 0 and "one two" in resumed.out and "Complete answer." in resumed.out


def test_a_reply_cut_part_way_is_asked_again_on_the_next_start(tutor, backend, home):
    backend.reply("Welcome! What would you like to know first?")
    backend.reply("one two three four five six", chunks=6, cut_after=3)
    assert tutor("start", "s1.1", *COURSE, input="What is a token?\n").code == 1
    backend.reply("A token is a piece of text.")
    resumed = tutor("start", "s1.1", *COURSE)
    assert resumed.code == 0 and "A token is a piece of text." in resumed.out
    retried = chat_requests(backend)[-1].body
    assert retried["messages"][-1]["role"] == "user" and user_texts(retried)[-1] == "What is a token?"
    assert "one two" not in json.dumps(retried["messages"])  # the cut partial is not sent back
    turns = tutor_turns(home)
    assert turns[-2]["failed"] is True and turns[-1]["text"] == "A token is a piece of text."


def test_a_note_before_the_first_chat_does_not_become_the_chat(tutor, backend, home, write_config):
    assert tutor("note", "s1.1", *COURSE, "--confidence", "3").code == 0
    backend.reply("Willkommen!")
    result = tutor("start", "s1.1", *COURSE, "--lang", "German")
    assert result.code == 0 and "Continuing" not in result.out + result.err
    system = system_text(chat_requests(backend)[-1].body)
    assert "German" in system and "The course map" in system
    runs = transcript.runs(home, mini_key(), "s1.1")
    assert len(runs) == 2 and transcript.read(runs[-1]).header["language"] == "German"
    assert progress_confidence(tutor) == 3  # the note still counts


def progress_confidence(tutor) -> int | None:
    return json.loads(tutor("progress", "--json", *COURSE).out)["sessions"][0]["confidence"]


def test_a_stream_that_ends_cleanly_before_its_finish_is_not_stored_as_complete(tutor, backend, home):
    backend.reply("one two three four five six", chunks=6, end_after=3)
    result = tutor("start", "s1.1", *COURSE)
    assert result.code == 1
    assert "ended before the reply was complete" in result.err
    last = tutor_turns(home)[-1]
    assert last["interrupted"] is True and last["text"].startswith("one")


def test_a_reply_cut_at_the_output_limit_is_flagged(tutor, backend, home):
    backend.reply("A long answer that", finish="length")
    result = tutor("start", "s1.1", *COURSE)
    assert result.code == 0
    assert "cut at the output limit" in result.err
    assert tutor_turns(home)[-1]["truncated"] is True


def test_a_lone_surrogate_in_a_reply_is_saved_as_a_replacement_character(tutor, backend, home):
    backend.reply("half an emoji \ud83d here", chunks=1)
    result = tutor("start", "s1.1", *COURSE)
    assert result.code == 0, result.err
    assert tutor_turns(home)[-1]["text"] == "half an emoji \ufffd here"


def test_an_empty_reply_says_so(tutor, backend):
    backend.reply("   ")
    result = tutor("start", "s1.1", *COURSE)
    assert result.code == 0 and "empty reply" in result.out


def test_slow_first_byte_within_the_timeout_is_fine(tutor, backend):
    backend.reply("Patience pays.", first_byte_delay=0.5)
    result = tutor("start", "s1.1", *COURSE)
    assert result.code == 0 and "Patience pays." in result.out


def test_first_byte_later_than_the_timeout_is_a_clear_error(tutor, backend, write_config):
    write_config(f"[backends.{backend.name}]\nmax_retries = 0\ntimeout = 0.3\n")
    backend.reply("Too late.", first_byte_delay=1.5)
    result = tutor("start", "s1.1", *COURSE)
    assert result.code == 1
    assert "timed out" in result.err


def test_unreachable_server_names_the_url_without_credentials(tutor, monkeypatch, write_config):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    write_config('[backends.openai]\nbase_url = "http://user:hunter2secret@127.0.0.1:9/v1"\nmax_retries = 0\n')
    result = tutor("start", "s1.1", *COURSE, "--backend", "openai")
    assert result.code == 1
    assert "127.0.0.1:9/v1" in result.err and "hunter2secret" not in result.err


def test_transcript_command_prints_markdown_and_json(tutor, backend):
    backend.reply("What is a count?")
    tutor("start", "s1.1", *COURSE, input="a number\n")
    markdown = tutor("transcript", "s1.1", *COURSE)
    assert markdown.code == 0 and "**You:** a number" in markdown.out and "What is a count?" in markdown.out
    raw = tutor("transcript", "S1.1", *COURSE, "--format", "json")
    events = [json.loads(line) for line in raw.out.splitlines()]
    assert events[0]["type"] == "header" and {"student", "tutor"} <= {e["type"] for e in events}


def test_prompt_caching_markers_and_cached_tokens_and_cost(tutor, backend, home, write_config):
    write_config(f"[backends.{backend.name}]\nmax_retries = 0\nprices = {{ input = 2.0, cached_input = 0.2, output = 10.0 }}\n")
    backend.reply("First?", usage=(1000, 10))
    backend.reply("Second.", usage=(1100, 20), cached_tokens=1000)
    result = tutor("start", "s1.1", *COURSE, input="an answer\n")
    assert result.code == 0, result.err
    first, second = chat_requests(backend)
    if backend.name == "anthropic":
        assert first.body["system"][-1]["cache_control"] == {"type": "ephemeral", "ttl": "5m"}
        assert second.body["messages"][-1]["content"][-1]["cache_control"]["type"] == "ephemeral"  # the moving cache point
        assert "cache_control" not in json.dumps(second.body["messages"][:-1])
    else:
        assert first.body["prompt_cache_key"] == second.body["prompt_cache_key"] == f"tutor-{mini_key()}-s1.1"
    turns = [t for t in stored_run(home).turns() if t["type"] == "tutor"]
    assert turns[1]["usage"]["cached_input_tokens"] == 1000 and turns[1]["usage"]["input_tokens"] == 1100
    # 100 fresh tokens at $2, 1,000 cached at $0.20, 20 output at $10, per million.
    assert turns[1]["cost_usd"] == pytest.approx((100 * 2.0 + 1000 * 0.2 + 20 * 10.0) / 1e6)
    assert "48% cached" in result.out and "$0.00" in result.out


def test_the_anthropic_cache_ttl_can_be_an_hour(tutor, fake_llm, monkeypatch, write_config):
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test")
    monkeypatch.setenv("ANTHROPIC_BASE_URL", fake_llm.anthropic_base_url)
    write_config('[backends.anthropic]\nmax_retries = 0\ncache_ttl = "1h"\n')
    fake_llm.reply("Hi.")
    assert tutor("start", "s1.1", *COURSE).code == 0
    assert chat_requests(fake_llm)[0].body["system"][-1]["cache_control"]["ttl"] == "1h"


def test_a_compatible_server_gets_no_prompt_cache_key_unless_configured(tutor, fake_llm, monkeypatch, write_config):
    write_config(f'[backends.lab]\nbase_url = "{fake_llm.openai_base_url}"\nmodel = "m"\nmax_retries = 0\n')
    fake_llm.reply("Hi.")
    assert tutor("start", "s1.1", *COURSE, "--backend", "lab").code == 0
    assert "prompt_cache_key" not in chat_requests(fake_llm)[0].body
    write_config(f'[backends.lab]\nbase_url = "{fake_llm.openai_base_url}"\nmodel = "m"\nmax_retries = 0\nprompt_cache_key = true\n')
    fake_llm.reply("Hi again.")
    assert tutor("start", "s1.1", *COURSE, "--backend", "lab", "--new").code == 0
    assert chat_requests(fake_llm)[-1].body["prompt_cache_key"].startswith("tutor-")


def test_the_profile_of_earlier_sessions_reaches_the_next_session(tutor, backend, home):
    run = transcript.create(home, {"course": mini_key(), "session": "s1.1", "language": "English"})
    run.append("student", text="an answer")
    run.append("evaluation", created="2026-11-01T00:00:00+00:00", method="schema",
               scores={"question_decomposition": 3, "critical_thinking": 1, "connection_making": 3,
                       "conceptual_understanding": 3, "reflection_quality": 3},
               growth_areas=["Ask why a claim holds before accepting it."], readiness="ready with review")
    tutor("note", "s1.1", *COURSE, "--learned", "counts become probabilities")
    backend.reply("Welcome to lesson 2.")
    assert tutor("start", "s1.2", *COURSE).code == 0
    system = system_text(chat_requests(backend)[-1].body)
    assert "- s1.1 Counting words [done]" in system and "- s1.2 Guessing the next word [current]" in system
    assert "weakest: Critical Thinking" in system and "Ask why a claim holds before accepting it." in system
    assert 'learned "counts become probabilities"' in system
    profile = tutor("profile", *COURSE)
    assert "Ask why a claim holds" in profile.out

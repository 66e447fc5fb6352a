"""Shared fixtures: every test gets its own data home and config file, no API keys
from the real environment, and helpers to run the CLI in-process with piped input."""

from __future__ import annotations

import io
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
MINI_COURSE = DATA / "mini_course"
COURSE = ("--course", str(MINI_COURSE))
CHAT_PATHS = ("/v1/chat/completions", "/v1/messages", "/api/chat")
ISOLATED_VARIABLES = (
    "OPENAI_API_KEY", "OPENAI_BASE_URL", "ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL", "DEEPSEEK_API_KEY",
    "GEMINI_API_KEY", "OPENROUTER_API_KEY", "TUTOR_BACKEND", "TUTOR_MODEL", "TUTOR_LANG", "TUTOR_DEBUG",
)


@pytest.fixture(scope="session")
def cache_home(tmp_path_factory) -> Path:
    """One cache folder for the whole run: the embedded model's saved states are
    rebuilt once per run, never read from (or written to) the real user's cache."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch, cache_home):
    """Point TUTOR_HOME, TUTOR_CONFIG and the cache at temporary folders; drop real keys."""
    for name in ISOLATED_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TUTOR_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("TUTOR_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache_home))
    return tmp_path


@pytest.fixture
def home(isolated) -> Path:
    return isolated / "home"


@pytest.fixture
def write_config(isolated):
    def write(text: str) -> Path:
        path = isolated / "config.toml"
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def fake_llm():
    from fakellm import FakeLLM

    with FakeLLM() as server:
        yield server


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def tutor(monkeypatch, capsys):
    """Run the CLI in this process, with `input` as piped standard input."""
    from tutor.cli import main

    def run(*args: str, input: str = "") -> Result:
        monkeypatch.setattr(sys, "argv", ["tutor", *args])
        monkeypatch.setattr(sys, "stdin", io.StringIO(input))
        capsys.readouterr()
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


@pytest.fixture
def openai_backend(fake_llm, monkeypatch, write_config):
    """The openai backend against the loopback server, without retries."""
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-not-a-real-key")
    monkeypatch.setenv("OPENAI_BASE_URL", fake_llm.openai_base_url)
    write_config("[backends.openai]\nmax_retries = 0\n")
    return fake_llm


def mini_key() -> str:
    """The mini course's key: its transcripts live under transcripts/KEY/."""
    from tutor.course import load_course

    return load_course(MINI_COURSE).key


def stored_run(home: Path, session: str = "s1.1", course: str | None = None):
    """The newest run of a session of the mini course (or of `course`)."""
    from tutor import transcript

    return transcript.read(transcript.runs(home, course or mini_key(), session)[-1])


def chat_requests(server):
    return [r for r in server.requests if r.path in CHAT_PATHS]


def system_text(body: dict) -> str:
    """The system context of a request, whichever protocol sent it."""
    if "system" in body:
        system = body["system"]
        return system if isinstance(system, str) else "".join(block["text"] for block in system)
    return body["messages"][0]["content"]


def user_texts(body: dict) -> list[str]:
    """The user messages of a request, as text (Anthropic sends content blocks)."""
    out = []
    for message in body["messages"]:
        if message["role"] != "user":
            continue
        content = message["content"]
        out.append(content if isinstance(content, str) else "".join(block["text"] for block in content))
    return out

"""Config file, precedence (flag > environment > file), backend choice and key errors."""

from __future__ import annotations

import pytest

from tutor.config import choose_backend, load_config
from tutor.errors import BackendError, InputError


def test_no_config_file_means_defaults():
    assert load_config().data == {}


def test_broken_toml_names_the_file_and_line(write_config):
    path = write_config('backend = "ollama"\n[backends.ollama\nmodel = "x"\n')
    with pytest.raises(InputError) as error:
        load_config()
    assert str(path) in error.value.message and "line 2" in error.value.message
    assert error.value.exit_code == 2


def test_anthropic_key_wins_over_openai_key_when_nothing_is_configured(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-o")
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-a")
    spec, notice = choose_backend(load_config())
    assert spec.name == "anthropic" and notice is None


def test_openai_key_alone_picks_openai(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-o")
    assert choose_backend(load_config())[0].name == "openai"


def test_flag_beats_environment_beats_file(monkeypatch, write_config):
    write_config('backend = "ollama"\nmodel = "from-file"\n')
    assert choose_backend(load_config())[0].model == "from-file"
    monkeypatch.setenv("TUTOR_MODEL", "from-env")
    assert choose_backend(load_config())[0].model == "from-env"
    assert choose_backend(load_config(), model="from-flag")[0].model == "from-flag"
    monkeypatch.setenv("TUTOR_BACKEND", "vllm")
    assert choose_backend(load_config())[0].name == "vllm"


def test_named_compatible_backend_from_the_config(write_config, monkeypatch):
    write_config(
        '[backends.lab]\nbase_url = "http://gpu-box:8000/v1"\napi_key_env = "LAB_KEY"\nmodel = "qwen"\ncontext_window = 32768\n'
    )
    monkeypatch.setenv("LAB_KEY", "secret")
    spec, _ = choose_backend(load_config(), backend="lab")
    assert (spec.kind, spec.base_url, spec.model, spec.context_window) == ("openai", "http://gpu-box:8000/v1", "qwen", 32768)
    assert spec.resolve_key() == "secret"


@pytest.mark.parametrize("preset, url", [
    ("ollama", "http://localhost:11434"),
    ("lmstudio", "http://localhost:1234/v1"),
    ("vllm", "http://localhost:8000/v1"),
    ("deepseek", "https://api.deepseek.com/v1"),
    ("gemini", "https://generativelanguage.googleapis.com/v1beta/openai/"),
    ("openrouter", "https://openrouter.ai/api/v1"),
])
def test_presets_know_their_servers(preset, url, monkeypatch):
    for env in ("DEEPSEEK_API_KEY", "GEMINI_API_KEY", "OPENROUTER_API_KEY"):
        monkeypatch.setenv(env, "k")
    spec, _ = choose_backend(load_config(), backend=preset, model="m")
    assert spec.base_url == url


def test_unknown_backend_lists_the_known_ones():
    with pytest.raises(InputError) as error:
        choose_backend(load_config(), backend="nope")
    assert "nope" in error.value.message and "anthropic" in error.value.hint


def test_missing_key_names_the_variable_and_the_config_option():
    with pytest.raises(BackendError) as error:
        choose_backend(load_config(), backend="openai")
    assert "OPENAI_API_KEY" in error.value.message
    assert "api_key_env" in error.value.hint and "[backends.openai]" in error.value.hint
    assert error.value.exit_code == 1


def test_bad_context_window_in_config_is_bad_input(write_config):
    write_config('[backends.ollama]\ncontext_window = "big"\n')
    with pytest.raises(InputError) as error:
        load_config()
    assert "context_window" in error.value.message

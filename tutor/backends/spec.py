"""What a backend is: its kind, model, server, key, limits and prices, and the presets.

A `BackendSpec` is resolved from a preset with the config file's [backends.NAME]
table laid over it. Keys are looked up when needed, never stored in a spec's repr.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

BACKEND_KINDS = ("openai", "anthropic", "ollama", "local")


@dataclass(frozen=True)
class Prices:
    """USD per million tokens. Cache reads and writes default to the input price
    when a provider does not discount them."""

    input: float
    output: float
    cached_input: float | None = None
    cache_write: float | None = None

    def cost(self, usage: dict) -> float | None:
        """The cost of one call's usage (as stored in a transcript); None when the
        server reported no counts."""
        total_in, out = usage.get("input_tokens"), usage.get("output_tokens")
        if total_in is None or out is None:
            return None
        cached = usage.get("cached_input_tokens") or 0
        written = usage.get("cache_write_tokens") or 0
        fresh = max(0, total_in - cached - written)
        cached_price = self.input if self.cached_input is None else self.cached_input
        write_price = self.input if self.cache_write is None else self.cache_write
        return (fresh * self.input + cached * cached_price + written * write_price + out * self.output) / 1_000_000


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
    max_retries: int = 2  # the SDKs retry 429s and 5xx with backoff, honouring Retry-After
    # Some local servers accept any key; the SDKs insist on one being present.
    key_optional: bool = False
    prices: Prices | None = None
    cache_ttl: str = "5m"  # Anthropic prompt cache: "5m" or "1h"
    prompt_cache_key: bool = False  # send OpenAI's prompt_cache_key (servers that accept it)

    def resolve_key(self) -> str | None:
        if self.api_key:
            return self.api_key
        if self.api_key_env and os.environ.get(self.api_key_env):
            return os.environ[self.api_key_env]
        return None


# Prices of the default models, as the providers published them (checked 2026-11-23;
# the README says so). Other models have no built-in price: their cost is unknown.
DEFAULT_MODEL_PRICES = {
    "claude-sonnet-5-5": Prices(input=2.0, output=10.0, cached_input=0.20, cache_write=2.50),
    "gpt-5.4-mini": Prices(input=0.75, output=4.50, cached_input=0.075),
}

PRESETS: dict[str, BackendSpec] = {
    spec.name: spec
    for spec in (
        BackendSpec("anthropic", "anthropic", "claude-sonnet-5-5", api_key_env="ANTHROPIC_API_KEY"),
        BackendSpec("openai", "openai", "gpt-5.4-mini", api_key_env="OPENAI_API_KEY", prompt_cache_key=True),
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


def default_prices(spec: BackendSpec) -> Prices | None:
    """The built-in price of the model, only when it runs at its own provider."""
    if spec.prices is not None:
        return spec.prices
    base_url_variable = {"anthropic": "ANTHROPIC_BASE_URL", "openai": "OPENAI_BASE_URL"}.get(spec.name)
    official = base_url_variable is not None and spec.base_url is None and not os.environ.get(base_url_variable)
    return DEFAULT_MODEL_PRICES.get(spec.model or "") if official else None

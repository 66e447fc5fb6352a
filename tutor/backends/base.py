"""The one protocol every backend speaks, and what backends share.

A backend streams a reply for a system context plus a list of messages, yielding text
deltas, then at most one `Usage`, and `Notice`s worth showing. `structured` returns an
object for a JSON schema where the backend can, else None. SDK exceptions never leave
a backend module: each turns them into `BackendError`s through `describe_http_failure`.
"""

from __future__ import annotations

import math
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Iterator, Protocol

from tutor.config import BackendSpec
from tutor.errors import BackendError

Message = dict[str, str]  # {"role": "user" | "assistant", "content": "..."}

# Context windows of well-known API models, matched by prefix; the config's
# context_window wins, and unknown models get the cautious default.
KNOWN_WINDOWS = (
    ("claude", 200_000),
    ("gpt-4.1", 1_000_000),
    ("gpt-5", 400_000),
    ("gpt-4o", 128_000),
    ("o3", 200_000),
    ("o4", 200_000),
    ("deepseek", 65_536),
    ("gemini", 1_000_000),
)
DEFAULT_WINDOW = 8_192


@dataclass(frozen=True)
class Usage:
    input_tokens: int | None
    output_tokens: int | None


@dataclass(frozen=True)
class Notice:
    text: str


Chunk = str | Usage | Notice


class Backend(Protocol):
    spec: BackendSpec

    def prepare(self) -> None:
        """Do slow set-up (load a model, ask a server its window) before the first reply."""

    def stream(self, system: str, messages: list[Message], *, max_tokens: int) -> Iterator[Chunk]: ...

    def structured(self, system: str, messages: list[Message], schema: dict[str, Any], *, max_tokens: int) -> dict[str, Any] | None: ...

    def context_window(self) -> int: ...

    def count_tokens(self, text: str) -> int: ...


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


def known_window(spec: BackendSpec) -> int:
    if spec.context_window:
        return spec.context_window
    model = (spec.model or "").lower().rsplit("/", 1)[-1]
    for prefix, window in KNOWN_WINDOWS:
        if model.startswith(prefix):
            return window
    return DEFAULT_WINDOW


def estimate_tokens(text: str) -> int:
    """A deliberately generous estimate for backends without a local tokenizer:
    about four ASCII characters per token, and one token per other character
    (CJK and Greek text tokenizes far more densely than English)."""
    ascii_chars = sum(1 for ch in text if ord(ch) < 128)
    return math.ceil(ascii_chars / 4 + (len(text) - ascii_chars) * 1.0) + 4


def describe_http_failure(spec: BackendSpec, url: str, *, status: int | None, detail: str = "") -> BackendError:
    """One wording for every HTTP backend's failures; `status` None means unreachable."""
    where = f"backend {spec.name!r}"
    detail = f" ({detail[:200]})" if detail else ""
    if status is None:
        return BackendError(f"Cannot reach {where} at {url}{detail}.", "Check that the server is running and the base_url is right, then try again.")
    if status in (401, 403):
        env = spec.api_key_env or "the API key"
        return BackendError(f"The {where} rejected the API key (HTTP {status}).", f"Check {env} or api_key under [backends.{spec.name}] in the config.")
    if status == 404:
        return BackendError(f"The {where} does not know model {spec.model!r} (HTTP 404){detail}.", "Pass --model with a model the server has, or set model in the config.")
    if status == 429:
        return BackendError(f"The {where} is rate limiting requests (HTTP 429){detail}.", "Wait a minute and run the same command again; the session is saved.")
    if status >= 500:
        return BackendError(f"The {where} failed with HTTP {status}{detail}.", "The server had a problem; run the same command again to continue, the session is saved.")
    return BackendError(f"The {where} refused the request (HTTP {status}){detail}.", "Check the model name and settings for this backend.")


def stream_cut(spec: BackendSpec) -> BackendError:
    return BackendError(f"The connection to backend {spec.name!r} broke while the reply was streaming.", "What arrived is saved; run the same command again to continue.")


@contextmanager
def sdk_errors(spec: BackendSpec, url: str, sdk: ModuleType) -> Iterator[None]:
    """Turn the openai or anthropic SDK's exceptions (same names in both) into BackendErrors."""
    try:
        yield
    except sdk.APIStatusError as exc:
        raise describe_http_failure(spec, url, status=exc.status_code, detail=_error_message(exc.body)) from exc
    except sdk.APIConnectionError as exc:
        if _is_protocol_error(exc.__cause__):
            raise stream_cut(spec) from exc
        raise describe_http_failure(spec, url, status=None, detail="timed out" if isinstance(exc, sdk.APITimeoutError) else "") from exc
    except (*_transport_errors(), sdk.APIError) as exc:
        raise stream_cut(spec) from exc


def _transport_errors() -> tuple[type[Exception], ...]:
    """HTTPError of the HTTP library the SDKs use: httpx, or its fork httpx2 in newer releases."""
    return tuple(sys.modules[name].HTTPError for name in ("httpx", "httpx2") if name in sys.modules)


def _is_protocol_error(exc: BaseException | None) -> bool:
    """A connection that broke mid-body (httpx's or httpx2's RemoteProtocolError)."""
    return exc is not None and any(cls.__name__ == "RemoteProtocolError" for cls in type(exc).__mro__)


def _error_message(body: object) -> str:
    """The human part of a provider's error JSON: {"error": {"message": ...}}."""
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and inner.get("message"):
            return str(inner["message"])
    return ""

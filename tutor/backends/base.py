"""The one protocol every backend speaks, and what backends share.

A backend streams a reply for a `Request`, yielding text deltas, `Notice`s worth
showing, at most one `Usage`, and exactly one `Finish` when the server said the reply
is complete. A stream that ends without its `Finish` was cut: the backend raises
`StreamCut`, so a truncated reply is never stored as a finished one. `structured`
returns an object for a JSON schema (and the call's usage), or raises
`StructuredUnavailable` so the caller can fall back to a simpler mode. SDK exceptions never leave a backend module: each
turns them into `BackendError`s through `describe_http_failure`, with keys redacted.
"""

from __future__ import annotations

import math
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Iterator, Literal, Protocol

from tutor.backends.spec import BackendSpec
from tutor.errors import BackendError
from tutor.redact import redact

TINY_MODEL_PARAMETERS = 1_000_000_000  # below this a model is 'tiny'

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
StructuredMode = Literal["schema", "object"]


@dataclass(frozen=True)
class Request:
    """What is sent: a system context that stays byte-stable within a session (the
    cached prefix), the conversation, and sampling settings."""

    system: str
    messages: list[Message]
    max_tokens: int
    temperature: float | None = None  # None: the server's default
    cache_key: str | None = None  # groups requests that share the prefix (OpenAI prompt_cache_key)


@dataclass(frozen=True)
class Usage:
    """Token counts from the server. `input_tokens` counts all input, cached included."""

    input_tokens: int | None
    output_tokens: int | None
    cached_input_tokens: int | None = None
    cache_write_tokens: int | None = None

    def to_json(self) -> dict[str, int | None]:
        data = {"input_tokens": self.input_tokens, "cached_input_tokens": self.cached_input_tokens, "output_tokens": self.output_tokens}
        if self.cache_write_tokens:
            data["cache_write_tokens"] = self.cache_write_tokens
        return data


@dataclass(frozen=True)
class Notice:
    text: str


@dataclass(frozen=True)
class Finish:
    """The server ended the reply: "stop" (complete) or "length" (cut at max_tokens)."""

    reason: str

    @property
    def truncated(self) -> bool:
        return self.reason == "length"


Chunk = str | Usage | Notice | Finish


class StreamCut(BackendError):
    """The stream ended (or broke) before the server said the reply was complete."""


class StructuredUnavailable(Exception):
    """This structured-output mode failed here; the caller moves to the next mode.
    `refused`: the server said no (an HTTP error), so trying the mode again is
    pointless; otherwise the reply was not usable JSON, and a second try may work.
    Internal: never shown as is."""

    def __init__(self, message: str, *, refused: bool = False) -> None:
        super().__init__(message)
        self.refused = refused


class Backend(Protocol):
    spec: BackendSpec

    def prepare(self) -> None:
        """Do slow set-up (load a model, ask a server its window) before the first reply."""

    def stream(self, request: Request) -> Iterator[Chunk]: ...

    def structured(self, request: Request, schema: dict[str, Any], mode: StructuredMode) -> tuple[dict[str, Any], Usage | None]: ...

    def context_window(self) -> int: ...

    def count_tokens(self, text: str) -> int: ...

    def parameters(self) -> int | None:
        """The model's parameter count where known (a GGUF file says), else None."""


def is_tiny(backend: Backend) -> bool:
    """Below TINY_MODEL_PARAMETERS: the model gets the compact lesson, and its grades are weak."""
    parameters = backend.parameters()
    return parameters is not None and parameters < TINY_MODEL_PARAMETERS


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
    """One wording for every HTTP backend's failures; `status` None means unreachable.
    The URL and the server's text are redacted: a server may echo the key back."""
    where = f"backend {spec.name!r}"
    url = redact(url, spec)
    detail = redact(detail, spec)[:200]
    detail = f" ({detail})" if detail else ""
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


def stream_cut(spec: BackendSpec, *, ended: bool = False) -> StreamCut:
    what = "ended before the reply was complete" if ended else "broke while the reply was streaming"
    return StreamCut(f"The connection to backend {spec.name!r} {what}.", "What arrived is saved, marked interrupted; run the same command again to continue.")


@contextmanager
def sdk_errors(spec: BackendSpec, url: str, sdk: ModuleType) -> Iterator[None]:
    """Turn the openai or anthropic SDK's exceptions (same names in both) into BackendErrors."""
    try:
        yield
    except sdk.APIStatusError as exc:
        raise describe_http_failure(spec, url, status=exc.status_code, detail=error_message(exc.body)) from exc
    except sdk.APITimeoutError as exc:
        raise describe_http_failure(spec, url, status=None, detail="timed out") from exc
    except sdk.APIConnectionError as exc:
        if _reached_server(exc.__cause__):
            raise stream_cut(spec) from exc
        raise describe_http_failure(spec, url, status=None) from exc
    except (*_transport_errors(), sdk.APIError) as exc:
        raise stream_cut(spec) from exc


def _transport_errors() -> tuple[type[Exception], ...]:
    """HTTPError of the HTTP library the SDKs use: httpx, or its fork httpx2 in newer releases."""
    return tuple(sys.modules[name].HTTPError for name in ("httpx", "httpx2") if name in sys.modules)


def _reached_server(exc: BaseException | None) -> bool:
    """A connection that broke after the server answered (a body cut mid-way, a reset
    while reading), as opposed to one that never reached it."""
    names = {cls.__name__ for cls in type(exc).__mro__} if exc is not None else set()
    return bool(names & {"RemoteProtocolError", "ReadError"})


def error_message(body: object) -> str:
    """The human part of a provider's error JSON: {"error": {"message": ...}}."""
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and inner.get("message"):
            return str(inner["message"])
        if isinstance(inner, str):
            return inner
    return ""


def mentions_sampling(exc: BaseException) -> bool:
    """A 400 that rejects the temperature: reasoning models take only their default."""
    text = str(getattr(exc, "message", "") or exc).lower()
    return "temperature" in text or "sampling" in text

"""Ollama through its native /api/chat endpoint.

Not the OpenAI-compatible one: only the native API takes `num_ctx`, and without it
Ollama runs a small default window and silently cuts the start of the prompt, which
is the pre-prompt. The window comes from /api/show; the reply's prompt_eval_count
tells whether the server cut the prompt anyway.
"""

from __future__ import annotations

import json
from typing import Any, Iterator

import httpx

from tutor.backends.base import Chunk, Message, Notice, Usage, describe_http_failure, estimate_tokens, stream_cut
from tutor.config import BackendSpec

# Room asked for beyond the prompt, and the most asked of a server unprompted:
# a bigger num_ctx costs the server memory.
DEFAULT_NUM_CTX_CAP = 32_768
# prompt_eval_count below this share of our (generous) estimate means the server cut the prompt.
TRUNCATION_RATIO = 0.5


class OllamaBackend:
    def __init__(self, spec: BackendSpec) -> None:
        self.spec = spec
        self.base_url = (spec.base_url or "http://localhost:11434").rstrip("/").removesuffix("/v1")
        self.client = httpx.Client(base_url=self.base_url, timeout=httpx.Timeout(spec.timeout, connect=10.0))
        self._window: int | None = None

    def prepare(self) -> None:
        self.context_window()

    def context_window(self) -> int:
        if self._window is None:
            self._window = self.spec.context_window or self._show_context_length() or 8_192
        return self._window

    def count_tokens(self, text: str) -> int:
        return estimate_tokens(text)

    def stream(self, system: str, messages: list[Message], *, max_tokens: int) -> Iterator[Chunk]:
        body = self._body(system, messages, max_tokens, stream=True)
        try:
            with self.client.stream("POST", "/api/chat", json=body) as response:
                self._check(response)
                for line in response.iter_lines():
                    if not line.strip():
                        continue
                    record = json.loads(line)
                    if record.get("error"):
                        raise describe_http_failure(self.spec, self.base_url, status=500, detail=str(record["error"]))
                    text = (record.get("message") or {}).get("content")
                    if text:
                        yield text
                    if record.get("done"):
                        yield from self._finish(record, body)
        except httpx.ConnectError as exc:
            raise describe_http_failure(self.spec, self.base_url, status=None) from exc
        except httpx.TimeoutException as exc:
            raise describe_http_failure(self.spec, self.base_url, status=None, detail="timed out") from exc
        except (httpx.HTTPError, json.JSONDecodeError) as exc:
            raise stream_cut(self.spec) from exc

    def structured(self, system: str, messages: list[Message], schema: dict[str, Any], *, max_tokens: int) -> dict[str, Any] | None:
        body = self._body(system, messages, max_tokens, stream=False) | {"format": schema}
        try:
            response = self.client.post("/api/chat", json=body)
        except httpx.HTTPError as exc:
            raise describe_http_failure(self.spec, self.base_url, status=None) from exc
        self._check(response)
        try:
            data = json.loads(response.json()["message"]["content"])
        except (KeyError, TypeError, json.JSONDecodeError):
            return None
        return data if isinstance(data, dict) else None

    def _body(self, system: str, messages: list[Message], max_tokens: int, *, stream: bool) -> dict[str, Any]:
        wanted = estimate_tokens(system) + sum(estimate_tokens(m["content"]) for m in messages) + max_tokens
        num_ctx = min(self.context_window(), max(wanted, 2_048))
        return {
            "model": self.spec.model,
            "messages": [{"role": "system", "content": system}, *messages],
            "stream": stream,
            "options": {"num_ctx": num_ctx, "num_predict": max_tokens},
        }

    def _finish(self, record: dict[str, Any], body: dict[str, Any]) -> Iterator[Chunk]:
        prompt_tokens = record.get("prompt_eval_count")
        yield Usage(prompt_tokens, record.get("eval_count"))
        sent = sum(estimate_tokens(m["content"]) for m in body["messages"])
        if prompt_tokens is not None and prompt_tokens < sent * TRUNCATION_RATIO:
            yield Notice(
                f"Ollama reported {prompt_tokens} prompt tokens for about {sent} sent: it probably cut the start of the prompt. "
                f"Set context_window under [backends.{self.spec.name}] to the model's real window, or use a model with a larger one."
            )

    def _show_context_length(self) -> int | None:
        try:
            response = self.client.post("/api/show", json={"model": self.spec.model})
        except httpx.HTTPError as exc:
            raise describe_http_failure(self.spec, self.base_url, status=None) from exc
        self._check(response)
        info = response.json().get("model_info") or {}
        lengths = [v for k, v in info.items() if k.endswith(".context_length") and isinstance(v, int)]
        return min(lengths[0], DEFAULT_NUM_CTX_CAP) if lengths else None

    def _check(self, response: httpx.Response) -> None:
        if response.status_code == 200:
            return
        response.read()
        try:
            detail = str(response.json().get("error", ""))
        except (json.JSONDecodeError, AttributeError):
            detail = response.text[:200]
        raise describe_http_failure(self.spec, self.base_url, status=response.status_code, detail=detail)

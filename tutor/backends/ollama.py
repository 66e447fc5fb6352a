"""Ollama through its native /api/chat endpoint.

Not the OpenAI-compatible one: only the native API takes `num_ctx`, and without it
Ollama runs a small default window and silently cuts the start of the prompt, which
is the pre-prompt. The window comes from /api/show; the reply's prompt_eval_count
tells whether the server cut the prompt anyway. A stream counts as complete only when
its last record says done.
"""

from __future__ import annotations

import json
from typing import Any, Iterator

import httpx

from tutor.backends.base import (
    Chunk, Finish, Notice, Request, StructuredMode, StructuredUnavailable, Usage, describe_http_failure, estimate_tokens,
    stream_cut,
)
from tutor.backends.spec import BackendSpec

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

    def parameters(self) -> int | None:
        return None

    def context_window(self) -> int:
        if self._window is None:
            self._window = self.spec.context_window or self._show_context_length() or 8_192
        return self._window

    def count_tokens(self, text: str) -> int:
        return estimate_tokens(text)

    def stream(self, request: Request) -> Iterator[Chunk]:
        body = self._body(request, stream=True)
        done = False
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
                        done = True
                        yield from self._finish(record, body)
        except httpx.ConnectError as exc:
            raise describe_http_failure(self.spec, self.base_url, status=None) from exc
        except httpx.TimeoutException as exc:
            raise describe_http_failure(self.spec, self.base_url, status=None, detail="timed out") from exc
        except (httpx.HTTPError, json.JSONDecodeError) as exc:
            raise stream_cut(self.spec) from exc
        if not done:
            raise stream_cut(self.spec, ended=True)

    def structured(self, request: Request, schema: dict[str, Any], mode: StructuredMode) -> tuple[dict[str, Any], Usage | None]:
        body = self._body(request, stream=False) | {"format": schema if mode == "schema" else "json"}
        try:
            response = self.client.post("/api/chat", json=body)
            self._check(response)
            record = response.json()
            data = json.loads(record["message"]["content"])
        except Exception as exc:  # noqa: BLE001 - HTTP, status or JSON trouble: the next mode
            raise StructuredUnavailable(str(exc), refused=not isinstance(exc, ValueError)) from exc
        if not isinstance(data, dict):
            raise StructuredUnavailable("the reply is not a JSON object")
        return data, Usage(record.get("prompt_eval_count"), record.get("eval_count"))

    def _body(self, request: Request, *, stream: bool) -> dict[str, Any]:
        wanted = estimate_tokens(request.system) + sum(estimate_tokens(m["content"]) for m in request.messages) + request.max_tokens
        options: dict[str, Any] = {"num_ctx": min(self.context_window(), max(wanted, 2_048)), "num_predict": request.max_tokens}
        if request.temperature is not None:
            options["temperature"] = request.temperature
        return {
            "model": self.spec.model,
            "messages": [{"role": "system", "content": request.system}, *request.messages],
            "stream": stream,
            "options": options,
        }

    def _finish(self, record: dict[str, Any], body: dict[str, Any]) -> Iterator[Chunk]:
        prompt_tokens = record.get("prompt_eval_count")
        yield Usage(prompt_tokens, record.get("eval_count"))
        yield Finish("length" if record.get("done_reason") == "length" else "stop")
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

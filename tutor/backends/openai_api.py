"""OpenAI Chat Completions, for OpenAI itself and every OpenAI-compatible server
(LM Studio, vLLM, llama.cpp's server, DeepSeek, Gemini's compatible endpoint, ...).

The system context goes first and byte-stable, so the server's automatic prompt
cache serves it from the second turn; `prompt_cache_key` (where the server takes it)
keeps requests of one lesson on the same cache. A stream counts as complete only
when a choice arrives with its finish_reason.
"""

from __future__ import annotations

import json
from typing import Any, Iterator

import openai

from tutor.backends.base import (
    Chunk, Finish, Request, StructuredMode, StructuredUnavailable, Usage, estimate_tokens, known_window,
    mentions_sampling, sdk_errors, stream_cut,
)
from tutor.backends.spec import BackendSpec


class OpenAIBackend:
    def __init__(self, spec: BackendSpec) -> None:
        self.spec = spec
        # base_url None lets the SDK honour OPENAI_BASE_URL.
        self.client = openai.OpenAI(
            api_key=spec.resolve_key() or "unused",
            base_url=spec.base_url,
            timeout=spec.timeout,
            max_retries=spec.max_retries,
        )
        self._sampling = True  # turned off once the model rejects a temperature

    def prepare(self) -> None:
        pass

    def parameters(self) -> int | None:
        return None

    def stream(self, request: Request) -> Iterator[Chunk]:
        finished = False
        with self._errors():
            response = self._create(request, stream=True, stream_options={"include_usage": True})
            with response:
                for chunk in response:
                    choice = chunk.choices[0] if chunk.choices else None
                    if choice is not None and choice.delta and choice.delta.content:
                        yield choice.delta.content
                    if choice is not None and choice.finish_reason:
                        finished = True
                        yield Finish("length" if choice.finish_reason == "length" else "stop")
                    if chunk.usage:
                        yield _usage(chunk.usage)
        if not finished:
            raise stream_cut(self.spec, ended=True)

    def structured(self, request: Request, schema: dict[str, Any], mode: StructuredMode) -> tuple[dict[str, Any], Usage | None]:
        if mode == "schema":
            response_format = {"type": "json_schema", "json_schema": {"name": "grade", "schema": schema, "strict": True}}
        else:
            # json_object with the schema alongside: llama.cpp's server constrains to it,
            # others ignore the extra key or refuse (then the caller parses text).
            response_format = {"type": "json_object", "schema": schema}
        try:
            with self._errors():
                response = self._create(request, stream=False, response_format=response_format)
        except Exception as exc:  # noqa: BLE001 - any failure of this mode moves to the next
            raise StructuredUnavailable(str(exc), refused=True) from exc
        content = response.choices[0].message.content if response.choices else None
        try:
            data = json.loads(content or "")
        except json.JSONDecodeError as exc:
            raise StructuredUnavailable("the reply is not JSON") from exc
        if not isinstance(data, dict):
            raise StructuredUnavailable("the reply is not a JSON object")
        return data, _usage(response.usage) if response.usage else None

    def context_window(self) -> int:
        return known_window(self.spec)

    def count_tokens(self, text: str) -> int:
        return estimate_tokens(text)

    def _create(self, request: Request, **options: Any):
        body: dict[str, Any] = {
            "model": self.spec.model,
            "messages": [{"role": "system", "content": request.system}, *request.messages],
            self._limit_name(): request.max_tokens,
            **options,
        }
        extra: dict[str, Any] = {}
        if self.spec.prompt_cache_key and request.cache_key:
            extra["prompt_cache_key"] = request.cache_key  # extra_body: older SDKs lack the parameter
        if request.temperature is not None and self._sampling:
            body["temperature"] = request.temperature
        try:
            return self.client.chat.completions.create(**body, extra_body=extra or None)
        except openai.BadRequestError as exc:
            if "temperature" not in body or not mentions_sampling(exc):
                raise
            self._sampling = False  # a reasoning model: it takes only its default
            del body["temperature"]
            return self.client.chat.completions.create(**body, extra_body=extra or None)

    def _limit_name(self) -> str:
        # OpenAI's newer models accept only max_completion_tokens; compatible servers
        # mostly know only max_tokens.
        official = self.spec.base_url is None and self.spec.name == "openai"
        return "max_completion_tokens" if official else "max_tokens"

    def _errors(self):
        return sdk_errors(self.spec, str(self.client.base_url), openai)


def _usage(usage: Any) -> Usage:
    details = getattr(usage, "prompt_tokens_details", None)
    cached = getattr(details, "cached_tokens", None) if details is not None else None
    return Usage(usage.prompt_tokens, usage.completion_tokens, cached)

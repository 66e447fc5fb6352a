"""OpenAI Chat Completions, for OpenAI itself and every OpenAI-compatible server
(LM Studio, vLLM, DeepSeek, Gemini's compatible endpoint, OpenRouter, ...)."""

from __future__ import annotations

import json
from typing import Any, Iterator

import openai

from tutor.backends.base import Chunk, Message, Usage, estimate_tokens, known_window, sdk_errors
from tutor.config import BackendSpec


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

    def prepare(self) -> None:
        pass

    def stream(self, system: str, messages: list[Message], *, max_tokens: int) -> Iterator[Chunk]:
        with self._errors():
            response = self.client.chat.completions.create(
                model=self.spec.model,
                messages=[{"role": "system", "content": system}, *messages],
                stream=True,
                stream_options={"include_usage": True},
                **self._limit(max_tokens),
            )
            with response:
                for chunk in response:
                    if chunk.choices and chunk.choices[0].delta.content:
                        yield chunk.choices[0].delta.content
                    if chunk.usage:
                        yield Usage(chunk.usage.prompt_tokens, chunk.usage.completion_tokens)

    def structured(self, system: str, messages: list[Message], schema: dict[str, Any], *, max_tokens: int) -> dict[str, Any] | None:
        with self._errors():
            try:
                response = self.client.chat.completions.create(
                    model=self.spec.model,
                    messages=[{"role": "system", "content": system}, *messages],
                    response_format={"type": "json_schema", "json_schema": {"name": "scores", "schema": schema, "strict": True}},
                    **self._limit(max_tokens),
                )
            except openai.BadRequestError:
                return None  # this server has no JSON-schema output; the caller parses text
        content = response.choices[0].message.content if response.choices else None
        try:
            data = json.loads(content or "")
        except json.JSONDecodeError:
            return None
        return data if isinstance(data, dict) else None

    def context_window(self) -> int:
        return known_window(self.spec)

    def count_tokens(self, text: str) -> int:
        return estimate_tokens(text)

    def _limit(self, max_tokens: int) -> dict[str, int]:
        # OpenAI's newer models accept only max_completion_tokens; compatible servers
        # mostly know only max_tokens.
        official = self.spec.base_url is None and self.spec.name == "openai"
        return {"max_completion_tokens" if official else "max_tokens": max_tokens}

    def _errors(self):
        return sdk_errors(self.spec, str(self.client.base_url), openai)

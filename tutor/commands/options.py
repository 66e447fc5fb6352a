"""Options shared by several commands, declared once."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer


class Tier(str, Enum):
    core = "core"
    hands_on = "hands-on"
    advanced = "advanced"


Session = Annotated[str, typer.Argument(help="Session id: s1.1, S1.1 or 1.1.", show_default=False)]
Lang = Annotated[Optional[str], typer.Option("--lang", help="Teaching language, any name or code (e.g. French, zh, Deutsch). Kept with the session.", show_default=False)]
TierOption = Annotated[Optional[Tier], typer.Option("--tier", help="Depth: core (everyone), hands-on (PyTorch), advanced (theory and math).", show_default=False)]
Backend = Annotated[Optional[str], typer.Option("--backend", help="anthropic, openai, ollama, lmstudio, vllm, deepseek, gemini, openrouter, local, or a name from the config.", show_default=False)]
Model = Annotated[Optional[str], typer.Option("--model", help="Model name, or a .gguf path for the local backend.", show_default=False)]
Course = Annotated[Optional[Path], typer.Option("--course", help="Run a course from another folder (with a course.yaml).", show_default=False)]

"""Options shared by several commands, declared once."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Optional

import typer


class Tier(str, Enum):
    core = "core"
    hands_on = "hands-on"
    advanced = "advanced"


Session = Annotated[str, typer.Argument(help="Session id: s1.1, S1.1 or 1.1.", show_default=False)]
SessionOrModule = Annotated[str, typer.Argument(help="Session id (s1.1, S1.1 or 1.1), or a module (m1, m2, ...).", show_default=False)]
Lang = Annotated[Optional[str], typer.Option("--lang", help="Teaching language, any name or code (e.g. French, zh, Deutsch). Kept with the session.", show_default=False)]
TierOption = Annotated[Optional[Tier], typer.Option("--tier", help="Depth: core (everyone), hands-on (PyTorch), advanced (theory and math).", show_default=False)]
Backend = Annotated[Optional[str], typer.Option("--backend", help="anthropic, openai, ollama, lmstudio, vllm, deepseek, gemini, openrouter, local, or a name from the config.", show_default=False)]
Model = Annotated[Optional[str], typer.Option("--model", help="Model name, or a .gguf path for the local backend.", show_default=False)]
Course = Annotated[Optional[str], typer.Option("--course", help="A built-in course (see `tutor courses`) or a folder with a course.yaml.", show_default=False)]
Samples = Annotated[Optional[int], typer.Option("--samples", min=1, max=15, help="Independent gradings whose median is the score (default 3, or eval_samples in the config).", show_default=False)]

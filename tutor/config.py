"""config.toml: where it is, and reading it, validated as a whole before anything runs.

The file is checked by pydantic models: an unknown key is named with the closest valid
one, a wrong type with the file, the key and the type expected (exit 2). Precedence
everywhere: command-line flag, then environment, then this file, then defaults.
"""

from __future__ import annotations

import difflib
import os
import stat
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from tutor.errors import InputError
from tutor.text import check_language

TIERS = ("core", "hands-on", "advanced")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class PricesTable(_Strict):
    input: float = Field(ge=0)
    output: float = Field(ge=0)
    cached_input: float | None = Field(default=None, ge=0)
    cache_write: float | None = Field(default=None, ge=0)


class BackendTable(_Strict):
    type: Literal["openai", "anthropic", "ollama", "local"] | None = None
    model: str | None = None
    base_url: str | None = None
    api_key_env: str | None = None
    api_key: str | None = Field(default=None, repr=False)
    context_window: int | None = Field(default=None, ge=512)
    max_output_tokens: int | None = Field(default=None, ge=16)
    timeout: float | None = Field(default=None, gt=0)
    max_retries: int | None = Field(default=None, ge=0, le=10)
    prices: PricesTable | None = None
    cache_ttl: Literal["5m", "1h"] | None = None
    prompt_cache_key: bool | None = None

    @field_validator("base_url")
    @classmethod
    def _a_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value


class ConfigFile(_Strict):
    backend: str | None = None
    model: str | None = None
    language: str | None = None
    tier: Literal["core", "hands-on", "advanced"] | None = None
    eval_samples: int = Field(default=3, ge=1, le=15)
    backends: dict[str, BackendTable] = Field(default_factory=dict)

    @field_validator("language")
    @classmethod
    def _a_language(cls, value: str | None) -> str | None:
        return None if value is None else check_language(value)


class Config:
    """The validated file, its path, and what deserves a warning about it."""

    def __init__(self, path: Path, data: ConfigFile, notices: list[str] | None = None) -> None:
        self.path = path
        self.data = data
        self.notices = notices or []

    def setting(self, key: str, env: str | None = None) -> Any:
        """A top-level setting: the environment variable `env` beats the file."""
        if env and os.environ.get(env):
            return os.environ[env]
        return getattr(self.data, key)


def config_path() -> Path:
    """$TUTOR_CONFIG, else config.toml in the platform's user config directory."""
    if os.environ.get("TUTOR_CONFIG"):
        return Path(os.environ["TUTOR_CONFIG"]).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir("tutor", appauthor=False)) / "config.toml"


def load_config() -> Config:
    path = config_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Config(path, ConfigFile())
    except OSError as exc:
        raise InputError(f"Cannot read config file {path}: {exc.strerror}.", "Fix its permissions or set TUTOR_CONFIG to another file.") from exc
    try:
        data = tomllib.loads(raw.decode("utf-8-sig"))  # a byte-order mark (Windows editors) is no error
    except UnicodeDecodeError as exc:
        raise InputError(f"Config file {path} is not UTF-8 text (byte {exc.start}).", "Save it as UTF-8, or move it away to start from defaults.") from exc
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"Config file {path} is not valid TOML: {exc}.", "Fix that line, or move the file away to start from defaults.") from exc
    try:
        validated = ConfigFile.model_validate(data)
    except ValidationError as exc:
        raise _explain(path, exc) from None
    return Config(path, validated, _permission_notices(path, validated))


def _explain(path: Path, exc: ValidationError) -> InputError:
    """The first problem, named by its key, with the fix."""
    error = exc.errors()[0]
    location = [str(part) for part in error["loc"]]
    key = ".".join(location)
    if error["type"] == "extra_forbidden":
        table = location[:-1]
        model = BackendTable if table[:1] == ["backends"] else PricesTable if table[-1:] == ["prices"] else ConfigFile
        close = difflib.get_close_matches(location[-1], list(model.model_fields), n=1, cutoff=0.6)
        where = f"[{'.'.join(table)}]" if table else "the top level"
        hint = f"Did you mean {close[0]!r}?" if close else f"Valid keys: {', '.join(model.model_fields)}."
        return InputError(f"Config file {path}: unknown key {location[-1]!r} in {where}.", hint)
    value = error.get("input")
    shown = "" if isinstance(value, dict) else f" (got {value!r:.40})"
    return InputError(f"Config file {path}: {key} {_expected(error)}{shown}.", f"Fix {key} in {path}, or remove it to use the default.")


def _expected(error: dict[str, Any]) -> str:
    kind, message = error["type"], error["msg"]
    names = {"string_type": "must be text in quotes", "int_type": "must be a whole number", "float_type": "must be a number",
             "bool_type": "must be true or false", "model_type": "must be a table", "dict_type": "must be a table"}
    if kind in names:
        return names[kind]
    return message[0].lower() + message[1:] if message else "is not valid"


def _permission_notices(path: Path, data: ConfigFile) -> list[str]:
    if not any(table.api_key for table in data.backends.values()):
        return []
    try:
        mode = path.stat().st_mode
    except OSError:
        return []
    if mode & (stat.S_IWOTH | stat.S_IWGRP | stat.S_IROTH):
        return [f"{path} holds an api_key and other users can read or change it; run: chmod 600 {path}"]
    return []

"""The shape of course files, as pydantic models: a lesson's front matter and
course.yaml. Imported only when a course must be validated (`tutor.course` keeps
validated courses in the cache, so everyday commands skip pydantic's import)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from tutor.course import SESSION_ID
from tutor.errors import InputError

class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LessonMeta(_Closed):
    id: str = Field(pattern=SESSION_ID.pattern)
    title: str = Field(min_length=1, max_length=200)
    module: int
    primary_question: str = Field(min_length=1)
    prerequisites: list[str] = Field(default_factory=list)
    estimated_minutes: int = Field(ge=1, le=600)
    knowledge_points: list[str] = Field(min_length=1)

    @field_validator("prerequisites", mode="before")
    @classmethod
    def _none_is_empty(cls, value: Any) -> Any:
        return [] if value is None else value


class ModuleEntry(_Closed):
    id: int
    title: str = Field(min_length=1, max_length=200)
    overview: str | None = None
    sessions: list[str] = Field(min_length=1)


class CourseIndex(_Closed):
    title: str = Field(min_length=1, max_length=200)
    version: str = "0"
    description: str = ""
    modules: list[ModuleEntry] = Field(min_length=1)

    @field_validator("version", mode="before")
    @classmethod
    def _version_as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, (int, float)) else value



def validate_file(model: type[BaseModel], data: Any, path: Path) -> Any:
    if not isinstance(data, dict):
        raise InputError(f"{path}: expected a YAML mapping of fields.", "See sessions/README.md for the format.")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(part) for part in error["loc"])
        if error["type"] == "missing":
            problem = f"field '{where}' is missing"
        elif error["type"] == "extra_forbidden":
            problem = f"unknown field '{where}'"
        else:
            problem = f"field '{where}': {error['msg'][0].lower() + error['msg'][1:]}"
        raise InputError(f"{path}: {problem}.", "See sessions/README.md for the format.") from None

"""Pack files checked against the records of rules/model.py, with pydantic; every error located at file:line."""

from __future__ import annotations

import functools
from typing import Any

from pydantic import TypeAdapter, ValidationError

from ..errors import PackError, Problem
from ..yamlio import LineMap, PathKey, dotted


def pydantic_problems(exc: ValidationError, source: str, lines: LineMap, prefix: PathKey = ()) -> list[Problem]:
    problems = []
    for error in exc.errors():
        path = (*prefix, *error["loc"])
        message = error["msg"]
        if error["type"] in ("extra_forbidden", "unexpected_keyword_argument"):
            message = "unknown key"
        elif error["type"] in ("missing", "missing_keyword_only_argument", "missing_argument"):
            message = "required field is missing"
        elif error["type"] == "value_error":
            cause = error["ctx"]["error"]  # our own check (model.RecordError): its words, at the key it is about
            message = str(cause)
            if getattr(cause, "field", None):
                path = (*path, cause.field)
        allowed = []
        if error["type"] == "literal_error":
            allowed = [a.strip(" '") for a in error["ctx"]["expected"].replace(" or ", ",").split(",")]
        problems.append(Problem(message, source, lines.line(path), dotted(path), allowed))
    return problems


@functools.cache
def adapter(model: type) -> TypeAdapter:
    return TypeAdapter(model)


def validate(model: type, data: Any, source: str, lines: LineMap) -> Any:
    try:
        return adapter(model).validate_python(data)
    except ValidationError as exc:
        raise PackError(pydantic_problems(exc, source, lines)) from None

"""Validation of request and response bodies against Pinterest's published schemas."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest

SCHEMA_DIR = (
    Path(__file__).resolve().parent.parent.parent / "shared" / "pinterest-openapi"
)


@cache
def _validator(name: str) -> Any:
    path = SCHEMA_DIR / name
    if not path.exists():
        pytest.skip(f"Pinterest's schemas are not beside the project ({SCHEMA_DIR})")
    import jsonschema

    schema = json.loads(path.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def validate_events_body(body: dict[str, Any]) -> None:
    """Fail the test if `body` is not a valid events request."""
    _validator("conversion_events.schema.json").validate(body)


def validate_response(obj: dict[str, Any]) -> None:
    """Fail the test if `obj` is not a valid ConversionApiResponse."""
    _validator("conversion_api_response.schema.json").validate(obj)


def validate_detailed_error(obj: dict[str, Any]) -> None:
    """Fail the test if `obj` is not a valid DetailedError (HTTP 422 body)."""
    _validator("detailed_error.schema.json").validate(obj)

"""The report the LLM must return (its JSON schema), and its parsing."""

from __future__ import annotations

import json
from typing import Any

from pydantic import ConfigDict, Field, ValidationError

from shared.basemodel import Model
from shared.llm.faults import ReplyInvalid


class ScenarioDraft(Model):
    description: str = Field(min_length=1, max_length=800)
    target: float | None = None
    invalidation: float


class ReportDraft(Model):
    model_config = ConfigDict(extra="ignore")

    summary: str = Field(min_length=1, max_length=4000)
    key_points: list[str] = Field(default_factory=list, max_length=10)
    risks: list[str] = Field(default_factory=list, max_length=10)
    bull_scenario: ScenarioDraft
    bear_scenario: ScenarioDraft


def json_schema() -> dict[str, Any]:
    """A plain JSON schema of the report (providers that constrain output use it)."""
    return ReportDraft.model_json_schema()


def _strip_fence(text: str) -> str:
    body = text.strip()
    if body.startswith("```"):
        body = body.split("\n", 1)[1] if "\n" in body else ""
        body = body.rsplit("```", 1)[0]
    return body.strip()


def parse(text: str) -> ReportDraft:
    """The report in a reply; ``ReplyInvalid`` says what is wrong with it."""
    try:
        data = json.loads(_strip_fence(text))
    except ValueError as exc:
        raise ReplyInvalid(f"the reply is not JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise ReplyInvalid("the reply is JSON but not an object")
    try:
        return ReportDraft.model_validate(data)
    except ValidationError as exc:
        fields = ", ".join(".".join(str(p) for p in e["loc"]) for e in exc.errors())
        raise ReplyInvalid(f"the reply misses or mistypes: {fields}") from exc

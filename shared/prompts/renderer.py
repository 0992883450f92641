"""Sandboxed rendering: Jinja2's ``SandboxedEnvironment`` (no attribute access to
internals, no code execution) with strict undefined variables over ``variables.VARIABLES``."""

from __future__ import annotations

from functools import cache
from typing import Any

from shared.errors import InvalidInput
from shared.llm.rule_based import fmt


def _num(value: Any) -> str:
    return "n/a" if value is None else fmt(float(value))


def _pct(value: Any) -> str:
    return "n/a" if value is None else f"{float(value) * 100:.0f}%"


@cache
def _environment() -> Any:
    from jinja2 import StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    env = ImmutableSandboxedEnvironment(undefined=StrictUndefined, autoescape=False,
                                        trim_blocks=True, lstrip_blocks=True)
    env.filters.update(num=_num, pct=_pct)
    return env


@cache
def _compiled(source: str) -> Any:
    return _environment().from_string(source)


def render(source: str, context: dict[str, Any]) -> str:
    """The rendered template; ``InvalidInput`` when it is broken or breaks the sandbox."""
    from jinja2 import TemplateError

    try:
        return str(_compiled(source).render(**context)).strip()
    except TemplateError as exc:  # syntax, undefined variable, SecurityError
        raise InvalidInput(f"the prompt template cannot be rendered: {exc}",
                           details={"field": "template"}) from exc

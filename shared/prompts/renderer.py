"""Bounded, sandboxed rendering of prompt templates (``shared/prompts/sandbox.py``) with strict
undefined variables over ``variables.VARIABLES``.

Every render runs under a ``Budget``: at most ``MAX_STEPS`` template lines executed,
``MAX_OUTPUT`` characters written, ``RENDER_SECONDS`` of time and ``MAX_MEMORY_BYTES`` of
memory growth; the first limit passed stops it with ``InvalidInput`` and the reason. The
budget is a per-thread trace hook that watches only the template's own code (``<template>``
frames), so it costs nothing outside a render. Any other failure of a template (a division
by zero, a recursion) is the template's fault too: ``InvalidInput``, never a 500.
"""

from __future__ import annotations

import sys
import time
from functools import cache, lru_cache
from pathlib import Path
from types import FrameType
from typing import Any

from shared.errors import InvalidInput
from shared.llm.rule_based import fmt

MAX_STEPS = 20_000
MAX_OUTPUT = 50_000
RENDER_SECONDS = 0.25
MAX_MEMORY_BYTES = 64 * 1024 * 1024
MEMORY_EVERY = 500  # steps between two memory readings
_STATM = Path("/proc/self/statm")


def _num(value: Any) -> str:
    return "n/a" if value is None else fmt(float(value))


def _pct(value: Any) -> str:
    return "n/a" if value is None else f"{float(value) * 100:.0f}%"


def _resident_bytes() -> int:
    try:
        return int(_STATM.read_text().split()[1]) * 4096
    except (OSError, IndexError, ValueError):
        return 0


class OverBudget(Exception):
    pass


class Budget:
    """Counts the template's steps, time and memory while ``trace`` is installed."""

    def __init__(self, seconds: float = RENDER_SECONDS, steps: int = MAX_STEPS) -> None:
        self.deadline = time.perf_counter() + seconds
        self.seconds = seconds
        self.steps_left = steps
        self.steps = steps
        self.memory_floor = _resident_bytes()

    def trace(self, frame: FrameType, event: str, arg: Any) -> Any:
        """Every call while rendering (filters included) checks the clock; the template's
        own frames are followed line by line."""
        if time.perf_counter() > self.deadline:
            raise OverBudget(f"it takes longer than {self.seconds:g} s to render")
        if frame.f_code.co_filename != "<template>":
            return None
        return self._step

    def _step(self, frame: FrameType, event: str, arg: Any) -> Any:
        if event == "line":
            self.steps_left -= 1
            if self.steps_left < 0:
                raise OverBudget(f"it runs more than {self.steps:,} template steps")
            if time.perf_counter() > self.deadline:
                raise OverBudget(f"it takes longer than {self.seconds:g} s to render")
            if self.steps_left % MEMORY_EVERY == 0 and self.memory_floor and \
                    _resident_bytes() - self.memory_floor > MAX_MEMORY_BYTES:
                raise OverBudget(f"it needs more than {MAX_MEMORY_BYTES >> 20} MB")
        return self._step


@cache
def _environment() -> Any:
    from shared.prompts.sandbox import BoundedSandbox

    env = BoundedSandbox()
    env.add_filters(num=_num, pct=_pct)
    return env


@lru_cache(maxsize=64)
def _compiled(source: str) -> Any:
    env = _environment()
    env.refuse_unsupported(source)
    return env.from_string(source)


def _bounded_output(template: Any, context: dict[str, Any], budget: Budget) -> str:
    parts: list[str] = []
    written = 0
    previous = sys.gettrace()
    sys.settrace(budget.trace)
    try:
        for part in template.generate(**context):
            written += len(part)
            if written > MAX_OUTPUT:
                raise OverBudget(f"it writes more than {MAX_OUTPUT:,} characters")
            parts.append(part)
    finally:
        sys.settrace(previous)
    return "".join(parts)


def render(source: str, context: dict[str, Any], budget: Budget | None = None) -> str:
    """The rendered template; ``InvalidInput`` when it is broken, breaks the sandbox or
    passes a limit."""
    from jinja2 import TemplateError

    try:
        template = _compiled(source)
        return _bounded_output(template, context, budget or Budget()).strip()
    except TemplateError as exc:  # syntax, undefined variable, SecurityError, TooCostly
        raise InvalidInput(f"the prompt template cannot be rendered: {exc}",
                           details={"field": "template"}) from exc
    except OverBudget as exc:
        raise InvalidInput(f"the prompt template is refused: {exc}",
                           details={"field": "template", "limit": str(exc)}) from exc
    except (ArithmeticError, LookupError, TypeError, ValueError, RecursionError,
            MemoryError) as exc:  # the template's own error
        raise InvalidInput(f"the prompt template fails: {type(exc).__name__}: {exc}",
                           details={"field": "template"}) from exc

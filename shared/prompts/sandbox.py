"""A Jinja2 sandbox whose every operation is bounded, so that any template renders in bounded
time and memory — or is refused with the reason.

Jinja's ``SandboxedEnvironment`` stops escapes (internals, code execution) but not cost:
``9**(9**9)``, ``'a'*10**9`` or nested ``range`` loops take the process down. Here:

- arithmetic and repetition go through ``call_binop`` (``**`` ``*`` ``+`` ``%`` ``//``): a
  result that would pass ``MAX_SIZE`` characters/items or ``MAX_INT_BITS`` bits is refused
  *before* it is computed; ``~`` (concatenation) is checked the same way;
- method calls and filters whose output is sized by an argument (``center``, ``ljust``,
  ``format``, ``replace``, ``indent`` …) are checked before, and every result after;
- ``Budget`` (``shared/prompts/renderer.py``) counts template steps, time and memory while
  it renders; ``{% include %}``, ``{% import %}`` and ``{% extends %}`` are refused at parse.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from jinja2 import StrictUndefined, nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

MAX_SIZE = 20_000  # characters of a string, items of a list, made by one operation
MAX_INT_BITS = 4_096
MAX_EXPONENT = 1_000
_WIDE_FORMAT = re.compile(r"%[-+ #0]*(?:\*|\d{4,})|%[-+ #0]*\d*\.(?:\*|\d{4,})")
_WIDE_BRACE_FORMAT = re.compile(r"\{[^{}]*:[^{}]*\d{4,}[^{}]*\}")
UNSUPPORTED = (nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)
WIDTH_METHODS = {"center", "ljust", "rjust", "zfill", "expandtabs"}


class TooCostly(SecurityError):
    """The template asked for more than the limits allow."""


def size(value: Any) -> int:
    """The characters/items ``value`` holds, one level deep for containers."""
    if isinstance(value, str | bytes):
        return len(value)
    if isinstance(value, list | tuple | set | frozenset | dict):
        return len(value) + sum(len(v) for v in value if isinstance(v, str | bytes))
    return 1


def check_size(value: Any) -> Any:
    if size(value) > MAX_SIZE:
        raise TooCostly(f"a value in the template would exceed {MAX_SIZE:,} characters/items")
    return value


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_power(left: Any, right: Any) -> None:
    if not isinstance(left, int | float) or not isinstance(right, int | float):
        return
    if abs(left) > 1 and abs(right) > MAX_EXPONENT:
        raise TooCostly(f"exponents above {MAX_EXPONENT} are not allowed in templates")
    if isinstance(left, int) and isinstance(right, int) and right > 0 \
            and abs(left).bit_length() * right > MAX_INT_BITS:
        raise TooCostly(f"the result would exceed {MAX_INT_BITS} bits")


def _check_times(left: Any, right: Any) -> None:
    if _is_int(left) and _is_int(right):
        if abs(left).bit_length() + abs(right).bit_length() > MAX_INT_BITS:
            raise TooCostly(f"the result would exceed {MAX_INT_BITS} bits")
        return
    for seq, count in ((left, right), (right, left)):
        if _is_int(count) and not isinstance(seq, int | float) and size(seq) * count > MAX_SIZE:
            raise TooCostly(f"repetition would exceed {MAX_SIZE:,} characters/items")


def _check_format(pattern: Any) -> None:
    if isinstance(pattern, str) and (_WIDE_FORMAT.search(pattern)
                                     or _WIDE_BRACE_FORMAT.search(pattern)):
        raise TooCostly("format widths and precisions above 999 are not allowed")


def _check_call(func: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    owner = getattr(func, "__self__", None)
    name = getattr(func, "__name__", "")
    if isinstance(owner, str):
        numbers = [a for a in (*args, *kwargs.values()) if _is_int(a)]
        if name in WIDTH_METHODS and any(n > MAX_SIZE for n in numbers):
            raise TooCostly(f"widths above {MAX_SIZE:,} are not allowed")
        if name in ("format", "format_map"):
            _check_format(owner)
        if name == "replace" and len(args) >= 2:
            _check_replace(owner, args[0], args[1])


def _check_replace(text: Any, old: Any, new: Any) -> None:
    if isinstance(text, str) and isinstance(old, str) and isinstance(new, str):
        count = text.count(old) if old else len(text) + 1
        if len(text) + count * len(new) > MAX_SIZE:
            raise TooCostly(f"replace would exceed {MAX_SIZE:,} characters")


def _bounded_filter(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    def bounded(*args: Any, **kwargs: Any) -> Any:
        values = [a for a in args if not hasattr(a, "environment")]  # skip env/context
        if name in ("center", "indent", "wordwrap", "truncate") and any(
                _is_int(a) and a > MAX_SIZE for a in (*values[1:], *kwargs.values())):
            raise TooCostly(f"widths above {MAX_SIZE:,} are not allowed")
        if name == "format" and values:
            _check_format(values[0])
        if name == "replace" and len(values) >= 3:
            _check_replace(str(values[0]), values[1], values[2])
        return check_size(func(*args, **kwargs))

    for attribute in ("jinja_pass_arg",):  # keep how Jinja passes env/context to it
        if hasattr(func, attribute):
            setattr(bounded, attribute, getattr(func, attribute))
    return bounded


def _range(*args: int) -> range:
    found = range(*args)
    if len(found) > MAX_SIZE:
        raise TooCostly(f"range() may give at most {MAX_SIZE:,} items")
    return found


class _BoundedCode(CodeGenerator):
    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.bounded_join((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class BoundedSandbox(ImmutableSandboxedEnvironment):
    code_generator_class = _BoundedCode
    intercepted_binops = frozenset({"**", "*", "+", "%", "//"})

    def __init__(self) -> None:
        super().__init__(undefined=StrictUndefined, autoescape=False, trim_blocks=True,
                         lstrip_blocks=True)
        for name in ("lipsum", "cycler", "joiner"):
            self.globals.pop(name, None)
        self.globals["range"] = _range
        self.filters = {name: _bounded_filter(name, f) for name, f in self.filters.items()}

    def add_filters(self, **filters: Callable[..., Any]) -> None:
        self.filters.update({n: _bounded_filter(n, f) for n, f in filters.items()})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**":
            _check_power(left, right)
        elif operator == "*":
            _check_times(left, right)
        elif operator == "+" and not isinstance(left, int | float):
            check_size(left), check_size(right)
            if size(left) + size(right) > MAX_SIZE:
                raise TooCostly(f"a value would exceed {MAX_SIZE:,} characters/items")
        elif operator == "%":
            _check_format(left)
        return check_size(super().call_binop(context, operator, left, right))

    def call(self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        _check_call(__obj, args, kwargs)
        return check_size(super().call(__context, __obj, *args, **kwargs))

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        owner = getattr(value, "__self__", None)
        if isinstance(owner, str) and getattr(value, "__name__", "") in ("format",
                                                                         "format_map"):
            _check_format(owner)
        return super().wrap_str_format(value)

    def bounded_join(self, parts: tuple[Any, ...]) -> str:
        return str(check_size("".join(str(p) for p in parts)))

    def refuse_unsupported(self, source: str) -> None:
        for node in self.parse(source).find_all(UNSUPPORTED):
            tag = type(node).__name__.lower().replace("fromimport", "from … import")
            raise SecurityError(f"{{% {tag} %}} is not supported in prompt templates")

"""Telegram HTML: escaping, splitting long texts into valid parts, and checking validity.

Telegram refuses a message over 4,096 characters (a caption over 1,024) and any message
whose HTML does not parse, so a long report must be cut — preferably at a paragraph, else at
a line, else between words — with every tag open at the cut closed at the end of the part
and reopened at the start of the next. Lengths are counted in UTF-16 code units of the
markup, which is never less than what Telegram counts.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024
ALLOWED_TAGS = frozenset({"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a",
                          "code", "pre", "tg-spoiler", "span", "blockquote"})
_WORD_CHUNK = 64
# words are everything but markup and the three cutting whitespaces: other whitespace (a
# no-break space in "70 %", a carriage return) is part of the word, never dropped
_TOKEN = re.compile(r"(<[^<>]*>)|(&#?\w+;)|(\n[ \t]*\n[ \t\n]*)|(\n)|([ \t]+)|([^<& \t\n]+|[<&])")
_TAG = re.compile(r"^<(/?)([a-z][a-z0-9-]*)(\s[^<>]*)?>$")
_ENTITY = re.compile(r"^&(lt|gt|amp|quot|#\d{1,7}|#x[0-9a-fA-F]{1,6});$")
Stack = tuple[tuple[str, str], ...]  # open tags: (name, the opening tag as written)


def escape(text: str) -> str:
    return html.escape(text, quote=False)


def units(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


@dataclass(frozen=True)
class _Atom:
    text: str
    priority: int  # how good a place to cut just before this atom: 3 paragraph … 0 anywhere
    tag: str | None = None
    closing: bool = False


def _atoms(markup: str) -> list[_Atom]:
    atoms: list[_Atom] = []
    for match in _TOKEN.finditer(markup):
        tag, entity, paragraph, line, space, word = match.groups()
        if tag:
            parsed = _TAG.match(tag)
            name = parsed.group(2) if parsed else None
            atoms.append(_Atom(tag, 0, name, bool(parsed and parsed.group(1))))
        elif entity:
            atoms.append(_Atom(entity, 0))
        elif paragraph or line or space:
            atoms.append(_Atom(match.group(0), 3 if paragraph else 2 if line else 1))
        else:
            atoms.extend(_Atom(word[i:i + _WORD_CHUNK], 0)
                         for i in range(0, len(word), _WORD_CHUNK))
    return atoms


def _apply(stack: Stack, atom: _Atom) -> Stack:
    if atom.tag is None:
        return stack
    if atom.closing:
        for depth in range(len(stack) - 1, -1, -1):
            if stack[depth][0] == atom.tag:
                return stack[:depth]
        return stack
    return (*stack, (atom.tag, atom.text))


def _closing(stack: Stack) -> str:
    return "".join(f"</{name}>" for name, _ in reversed(stack))


def _fill(atoms: list[_Atom], start: int, stack: Stack, limit: int) -> tuple[str, int, Stack]:
    """One part from ``atoms[start:]``: its markup, where the next part starts, open tags."""
    opened = "".join(text for _, text in stack)
    length, i = units(opened), start
    best: tuple[int, int, Stack] | None = None
    while i < len(atoms):
        atom = atoms[i]
        if i > start and (best is None or atom.priority >= best[0]):
            best = (atom.priority, i, stack)
        after = _apply(stack, atom)
        if length + units(atom.text) + units(_closing(after)) > limit:
            break
        stack, length, i = after, length + units(atom.text), i + 1
    else:
        return opened + "".join(a.text for a in atoms[start:]) + _closing(stack), i, stack
    if best is None:
        raise ValueError(f"the limit {limit} is too small for the open tags")
    _, cut, cut_stack = best
    return opened + "".join(a.text for a in atoms[start:cut]) + _closing(cut_stack), cut, \
        cut_stack


def split_html(markup: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Cut valid Telegram HTML into valid parts of at most ``limit`` units, in order."""
    atoms = _atoms(markup.strip())
    parts: list[str] = []
    stack: Stack = ()
    i = 0
    while i < len(atoms):
        while i < len(atoms) and atoms[i].priority and not atoms[i].text.strip():
            i += 1  # whitespace at a cut is dropped
        if i >= len(atoms):
            break
        part, i, stack = _fill(atoms, i, stack, limit)
        if part.strip():
            parts.append(part.strip())
    return parts


def check_html(markup: str) -> list[str]:
    """What Telegram would refuse in this HTML (empty when it is valid)."""
    problems: list[str] = []
    stack: list[str] = []
    for match in _TOKEN.finditer(markup):
        tag, entity, *_rest, word = match.groups()
        if tag:
            parsed = _TAG.match(tag)
            if not parsed or parsed.group(2) not in ALLOWED_TAGS:
                problems.append(f"unsupported tag {tag!r}")
            elif parsed.group(1):
                if not stack or stack[-1] != parsed.group(2):
                    problems.append(f"unexpected end tag {tag!r}")
                else:
                    stack.pop()
            else:
                stack.append(parsed.group(2))
        elif entity and not _ENTITY.match(entity):
            problems.append(f"unknown entity {entity!r}")
        elif word and (word in ("<", "&") or ">" in word):
            problems.append(f"unescaped character in {word[:20]!r}")
    problems.extend(f"unclosed tag <{name}>" for name in stack)
    return problems

"""Splitting Telegram HTML: every part fits, parses, and together they say everything in order."""

from __future__ import annotations

import random
import re

import pytest

from shared.bot.html_parts import check_html, escape, split_html, units

TAG = re.compile(r"<[^>]+>")


def plain(markup: str) -> str:
    return re.sub(r"\s+", "", TAG.sub("", markup))


def random_markup(seed: int) -> str:
    rng = random.Random(seed)
    words = ["alpha", "<b>bold words</b>", "&amp;", "Привет", "🚀🚀", "x" * 150,
             "<i>it <b>nested</b></i>", '<a href="https://example.com/?a=1&amp;b=2">link</a>']
    paragraphs = []
    for _ in range(rng.randint(5, 60)):
        body = " ".join(rng.choice(words) for _ in range(rng.randint(1, 120)))
        if rng.random() < 0.2:
            body = "<pre>" + "\n".join(escape(f"line {i} <x> & y") for i in range(200)) + "</pre>"
        paragraphs.append(body)
    return "\n\n".join(paragraphs)


@pytest.mark.parametrize("seed", range(10))
@pytest.mark.parametrize("limit", [4096, 1024, 300])
def test_parts_fit_parse_and_keep_everything_in_order(seed: int, limit: int) -> None:
    markup = random_markup(seed)
    parts = split_html(markup, limit)
    for part in parts:
        assert units(part) <= limit
        assert check_html(part) == []
    assert plain("".join(parts)) == plain(markup)


def test_cuts_prefer_paragraph_boundaries() -> None:
    paragraphs = [f"Paragraph {n}. " + "word " * 150 for n in range(12)]
    parts = split_html("\n\n".join(paragraphs))
    for part in parts:
        assert part.startswith("Paragraph") and part.rstrip().endswith("word")


def test_a_short_text_is_one_part() -> None:
    assert split_html("<b>hi</b>\n\nthere") == ["<b>hi</b>\n\nthere"]


def test_check_html_finds_what_telegram_refuses() -> None:
    assert check_html("<b>ok</b> &lt; &amp; &#128640;") == []
    assert check_html("<b>x</i>") and check_html("a < b") and check_html("<script>")
    assert check_html("<b>open") and check_html("&bogus;")

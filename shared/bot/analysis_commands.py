"""/analyze, /chart, the timeframe buttons, and plain text that names a coin."""

from __future__ import annotations

import re

from shared.bot import replies
from shared.bot.conversation import Conversation, Reply
from shared.bot.texts import TEXTS, say
from shared.errors import InvalidInput
from shared.models import TIMEFRAMES, Analysis, normalize_symbol

_TICKER = re.compile(r"^[A-Za-z0-9]{2,12}([/\-_ ]?[A-Za-z0-9]{2,12})?$")


def guess_symbol(text: str) -> str | None:
    """``btc`` → ``BTC/USDT``; ``eth/btc`` → ``ETH/BTC``; None when it is not a ticker."""
    text = text.strip()
    if not _TICKER.match(text):
        return None
    for candidate in (text.replace(" ", "/"), f"{text}/USDT"):
        try:
            return normalize_symbol(candidate)
        except InvalidInput:
            continue
    return None


def analyze(conv: Conversation, args: list[str]) -> Reply:
    return _ask(conv, args, "a")


def chart(conv: Conversation, args: list[str]) -> Reply:
    return _ask(conv, args, "c")


def _ask(conv: Conversation, args: list[str], action: str) -> Reply:
    if not args:
        return conv.say("ask_pair")
    symbol = guess_symbol(args[0]) or args[0]
    if len(args) == 1:
        try:
            symbol = normalize_symbol(symbol)
        except InvalidInput as exc:
            return conv.say("refused", reason=exc.message)
        return conv.say("pick_timeframe", symbol=symbol,
                        keyboard=replies.timeframe_keyboard(symbol, action))
    return queue(conv, symbol, args[1], "chart" if action == "c" else "analyze")


def queue(conv: Conversation, symbol: str, timeframe: str, mode: str) -> Reply:
    outcome = conv.request(symbol, timeframe, mode=mode)
    if not isinstance(outcome, Analysis):
        return conv.say("refused", reason=outcome)
    key = "chart_queued" if mode == "chart" else "queued"
    return conv.say(key, symbol=outcome.symbol, timeframe=outcome.timeframe)


def pressed_timeframe(conv: Conversation, data: str | None) -> tuple[Reply, str | None]:
    """A timeframe button: queue the analysis and turn the picker into the queued notice
    (an edit without the keyboard), plus a short text for the callback answer."""
    choice = replies.parse_choice(data)
    if choice is None or choice.timeframe not in TIMEFRAMES:
        return None, None
    outcome = conv.request(choice.symbol, choice.timeframe, mode=choice.action)
    if not isinstance(outcome, Analysis):
        return conv.edit(say(conv.lang, "refused", reason=outcome)), None
    key = "chart_queued" if choice.action == "chart" else "queued"
    notice = TEXTS[conv.lang]["queued_short"].format(symbol=outcome.symbol,
                                                     timeframe=outcome.timeframe)
    return conv.edit(say(conv.lang, key, symbol=outcome.symbol,
                         timeframe=outcome.timeframe)), notice


def suggest(conv: Conversation, text: str) -> Reply:
    """Plain text such as ``btc`` in a private chat: offer /analyze BTC/USDT."""
    symbol = guess_symbol(text)
    if symbol is None:
        return conv.say("help")
    return conv.say("suggest", symbol=symbol, keyboard=replies.timeframe_keyboard(symbol))


def start_payload(conv: Conversation, payload: str) -> Reply:
    """A deep link ``t.me/<bot>?start=analyze_BTCUSDT_4h`` starts that analysis."""
    parts = payload.split("_")
    if len(parts) == 3 and parts[0] in ("analyze", "chart", "a", "c"):
        mode = "chart" if parts[0] in ("chart", "c") else "analyze"
        return queue(conv, parts[1].replace("-", "/"), parts[2], mode)
    return None

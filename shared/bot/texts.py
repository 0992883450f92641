"""Everything the bot says, in English and Russian, chosen by the user's language.

Templates are Telegram HTML; values are escaped by ``say`` before they are filled in.
"""

from __future__ import annotations

from shared.bot.html_parts import escape
from shared.bot.report_texts import REPORT_TEXTS

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "welcome": "Welcome to <b>ChartGenius</b>, {name}.\n\n",
        "help": (
            "<b>ChartGenius</b> analyses crypto markets.\n\n"
            "/analyze BTC/USDT 4h — technical analysis (pick the timeframe if you omit it)\n"
            "/chart BTC/USDT 1d — the chart\n"
            "/price BTC/USDT — the latest price we know\n"
            "/watch add|remove|list BTC/USDT — your watchlist\n"
            "/alerts — your alerts\n"
            "/digest on|off|9 +3 — a daily digest at your hour (UTC offset)\n"
            "/lang en|ru — language\n"
            "/plan — your plan and what is left today\n"
            "/cancel — stop your running analyses\n"
            "/help — this message"
        ),
        "ask_pair": "Which pair? For example: /analyze BTC/USDT 4h",
        "pick_timeframe": "<b>{symbol}</b>: which timeframe?",
        "queued": "Analysing <b>{symbol} {timeframe}</b>… I will send the result here.",
        "queued_short": "Analysing {symbol} {timeframe}…",
        "chart_queued": "Drawing <b>{symbol} {timeframe}</b>… I will send the chart here.",
        "refused": "Sorry: {reason}",
        "suggest": "Did you mean /analyze {symbol}? Pick a timeframe:",
        "unknown": "I do not know {command}. /help lists what I can do.",
        "lang_set": "Language: English.",
        "lang_usage": "Usage: /lang en or /lang ru",
        "plan": "Plan: <b>{role}</b>\nAnalyses left today: <b>{left}</b>",
        "unlimited": "unlimited",
        "cancelled": "Cancelled {count} running analysis(es).",
        "nothing_to_cancel": "Nothing is running.",
        "price": "<b>{symbol}</b>: {price} (from the {timeframe} analysis of {as_of})",
        "no_price": "I have no recent price for {symbol}. Try /analyze {symbol}",
        "watch_usage": "Usage: /watch add BTC/USDT, /watch remove BTC/USDT, /watch list",
        "watch_added": "Watching <b>{symbol}</b>.",
        "watch_removed": "Stopped watching <b>{symbol}</b>.",
        "watch_empty": "Your watchlist is empty. /watch add BTC/USDT",
        "watch_list": "<b>Your watchlist</b>\n{items}",
        "alerts_empty": "No alerts yet. Alerts fire for the pairs on your watchlist.",
        "alerts_list": "<b>Your latest alerts</b>\n{items}",
        "failed": "<b>{symbol} {timeframe}</b>: the analysis failed.\n{reason}",
        "alert": "🔔 <b>{symbol} {timeframe}</b>\n{message}",
        "signal": "Signal", "confidence": "confidence", "price_label": "Price",
        "as_of": "as of", "indicators": "Indicators", "source": "Data", "analyst": "analyst",
    },
    "ru": {
        "welcome": "Добро пожаловать в <b>ChartGenius</b>, {name}.\n\n",
        "help": (
            "<b>ChartGenius</b> анализирует криптовалютные рынки.\n\n"
            "/analyze BTC/USDT 4h — технический анализ (без таймфрейма — выбор кнопками)\n"
            "/chart BTC/USDT 1d — график\n"
            "/price BTC/USDT — последняя известная цена\n"
            "/watch add|remove|list BTC/USDT — список наблюдения\n"
            "/alerts — ваши оповещения\n"
            "/digest on|off|9 +3 — ежедневный дайджест в ваш час (смещение от UTC)\n"
            "/lang en|ru — язык\n"
            "/plan — ваш тариф и остаток на сегодня\n"
            "/cancel — остановить запущенные анализы\n"
            "/help — это сообщение"
        ),
        "ask_pair": "Какая пара? Например: /analyze BTC/USDT 4h",
        "pick_timeframe": "<b>{symbol}</b>: какой таймфрейм?",
        "queued": "Анализирую <b>{symbol} {timeframe}</b>… Результат придёт сюда.",
        "queued_short": "Анализирую {symbol} {timeframe}…",
        "chart_queued": "Строю график <b>{symbol} {timeframe}</b>… Пришлю его сюда.",
        "refused": "Не получилось: {reason}",
        "suggest": "Вы имели в виду /analyze {symbol}? Выберите таймфрейм:",
        "unknown": "Команда {command} мне неизвестна. /help — список команд.",
        "lang_set": "Язык: русский.",
        "lang_usage": "Использование: /lang en или /lang ru",
        "plan": "Тариф: <b>{role}</b>\nАнализов осталось сегодня: <b>{left}</b>",
        "unlimited": "без ограничений",
        "cancelled": "Отменено запущенных анализов: {count}.",
        "nothing_to_cancel": "Ничего не запущено.",
        "price": "<b>{symbol}</b>: {price} (из анализа {timeframe} от {as_of})",
        "no_price": "Свежей цены {symbol} нет. Попробуйте /analyze {symbol}",
        "watch_usage": "Использование: /watch add BTC/USDT, /watch remove BTC/USDT, /watch list",
        "watch_added": "Наблюдаю за <b>{symbol}</b>.",
        "watch_removed": "Больше не наблюдаю за <b>{symbol}</b>.",
        "watch_empty": "Список наблюдения пуст. /watch add BTC/USDT",
        "watch_list": "<b>Ваш список наблюдения</b>\n{items}",
        "alerts_empty": "Оповещений пока нет. Они приходят по парам из списка наблюдения.",
        "alerts_list": "<b>Последние оповещения</b>\n{items}",
        "failed": "<b>{symbol} {timeframe}</b>: анализ не удался.\n{reason}",
        "alert": "🔔 <b>{symbol} {timeframe}</b>\n{message}",
        "signal": "Сигнал", "confidence": "уверенность", "price_label": "Цена",
        "as_of": "на", "indicators": "Индикаторы", "source": "Данные", "analyst": "аналитик",
    },
}

for _language, _texts in REPORT_TEXTS.items():
    TEXTS[_language].update(_texts)

SIGNALS = {
    "en": {"strong_sell": "Strong sell", "sell": "Sell", "neutral": "Neutral", "buy": "Buy",
           "strong_buy": "Strong buy"},
    "ru": {"strong_sell": "Активно продавать", "sell": "Продавать", "neutral": "Нейтрально",
           "buy": "Покупать", "strong_buy": "Активно покупать"},
}


def language_of(code: str | None) -> str:
    return code if code in TEXTS else "en"


def say(language: str | None, key: str, **values: object) -> str:
    """The text ``key`` in the language, with the values HTML-escaped."""
    template = TEXTS[language_of(language)][key]
    return template.format(**{name: escape(str(v)) for name, v in values.items()})


def raw(language: str | None, key: str, **values: str) -> str:
    """Like ``say`` for values that are already Telegram HTML."""
    return TEXTS[language_of(language)][key].format(**values)

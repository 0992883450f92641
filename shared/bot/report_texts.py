"""The words of the Telegram report, the alert and the digest, in English and Russian.

Merged into ``texts.TEXTS`` (so ``say`` finds them); kept apart so each file stays readable.
Templates are Telegram HTML; ``say`` escapes the values.
"""

from __future__ import annotations

REPORT_TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "r_head": "<b>{symbol} · {timeframe}</b> — <b>{signal}</b>, confidence {confidence}",
        "r_price": "Close {price} · candle closed {candle}",
        "r_price_live": "Close {price} · candle closed {candle} · live {live}",
        "r_levels": "Support {support} · Resistance {resistance}",
        "r_no_level": "none found",
        "r_up": "▲ Favoured: up to {target}; invalidated below {invalidation}",
        "r_down": "▼ Favoured: down to {target}; invalidated above {invalidation}",
        "r_flat": "◆ No side favoured: range {support} – {resistance}",
        "r_source": "Data: {source} · analyst: {provider}",
        "r_caption": "{symbol} · {timeframe} chart: {bars} candles up to {candle} · "
                     "EMA 20/50/200, Bollinger, support/resistance, RSI, MACD",
        "b_indicators": "📊 Indicators", "b_open": "Open full analysis",
        "b_table": "<b>Indicators</b> · candle closed {candle}",
        "gone": "This analysis is no longer available.",
        "menu_button": "Analysis",
        "a_head": "🔔 <b>{symbol} · {timeframe}</b>",
        "a_candle": "On the {timeframe} candle closed at {candle}",
        "a_engine": "Engine now: <b>{signal}</b> · support {support} · resistance {resistance}",
        "a_snoozed": "😴 Snoozed until {until}.",
        "a_muted": "🔕 This rule is muted.",
        "a_resumed": "🔔 This rule alerts again.",
        "d_title": "☀️ <b>ChartGenius digest</b> · {date}",
        "d_movers": "<b>Top movers</b> ({timeframe}, last 24 h)",
        "d_no_movers": "No market ranking yet.",
        "d_watch": "<b>Your watchlist</b>",
        "d_no_watch": "Your watchlist is empty: /watch add BTC/USDT",
        "d_no_data": "no data now",
        "d_usage": "Usage: /digest on, /digest off, /digest 9 (your hour), "
                   "/digest 9 +3 (hour and UTC offset)",
        "d_state_on": "Daily digest: <b>on</b>, at {hour}:00 (UTC{offset}).",
        "d_state_off": "Daily digest: <b>off</b>. /digest on turns it on.",
        "b_snooze": "😴 Snooze 1 day", "b_mute": "🔕 Mute rule", "b_unmute": "🔔 Resume alerts",
    },
    "ru": {
        "r_head": "<b>{symbol} · {timeframe}</b> — <b>{signal}</b>, уверенность {confidence}",
        "r_price": "Закрытие {price} · свеча закрыта {candle}",
        "r_price_live": "Закрытие {price} · свеча закрыта {candle} · сейчас {live}",
        "r_levels": "Поддержка {support} · Сопротивление {resistance}",
        "r_no_level": "не найдено",
        "r_up": "▲ Основной сценарий: рост до {target}; отмена ниже {invalidation}",
        "r_down": "▼ Основной сценарий: снижение до {target}; отмена выше {invalidation}",
        "r_flat": "◆ Явного перевеса нет: диапазон {support} – {resistance}",
        "r_source": "Данные: {source} · аналитик: {provider}",
        "r_caption": "График {symbol} · {timeframe}: {bars} свечей до {candle} · "
                     "EMA 20/50/200, Боллинджер, поддержка/сопротивление, RSI, MACD",
        "b_indicators": "📊 Индикаторы", "b_open": "Открыть полный анализ",
        "b_table": "<b>Индикаторы</b> · свеча закрыта {candle}",
        "gone": "Этот анализ больше недоступен.",
        "menu_button": "Анализ",
        "a_head": "🔔 <b>{symbol} · {timeframe}</b>",
        "a_candle": "На свече {timeframe}, закрытой {candle}",
        "a_engine": "Движок сейчас: <b>{signal}</b> · поддержка {support} · "
                    "сопротивление {resistance}",
        "a_snoozed": "😴 Отложено до {until}.",
        "a_muted": "🔕 Правило отключено.",
        "a_resumed": "🔔 Правило снова присылает оповещения.",
        "d_title": "☀️ <b>Дайджест ChartGenius</b> · {date}",
        "d_movers": "<b>Лидеры движения</b> ({timeframe}, за 24 ч)",
        "d_no_movers": "Рейтинга рынка пока нет.",
        "d_watch": "<b>Ваш список наблюдения</b>",
        "d_no_watch": "Список наблюдения пуст: /watch add BTC/USDT",
        "d_no_data": "сейчас нет данных",
        "d_usage": "Использование: /digest on, /digest off, /digest 9 (ваш час), "
                   "/digest 9 +3 (час и смещение от UTC)",
        "d_state_on": "Ежедневный дайджест: <b>включён</b>, в {hour}:00 (UTC{offset}).",
        "d_state_off": "Ежедневный дайджест: <b>выключен</b>. /digest on — включить.",
        "b_snooze": "😴 Отложить на день", "b_mute": "🔕 Отключить правило",
        "b_unmute": "🔔 Включить снова",
    },
}

// The screener page's own words, EN and RU, added to the app's i18next instance.

import {i18n} from "../../i18n";

const en = {
  screener: "Screener", screener_title: "Market screener",
  screener_intro: "The latest scheduled scan ranked by signal strength and move. A row opens a full analysis.",
  screener_empty: "No scan has ranked the market yet.",
  screener_as_of: "Scan of {time} · {count} pairs · listed by {source}",
  col_symbol: "Pair", col_price: "Price", col_move: "24 h move", col_signal: "Signal",
  col_confidence: "Confidence", col_strength: "Strength",
  open_analysis: "Open a full analysis of {symbol} {timeframe}",
  digest_title: "Daily digest", digest_on: "Send me a daily digest in Telegram",
  digest_hour: "At", digest_offset: "Time zone", digest_saved: "Saved.",
};

const ru: typeof en = {
  screener: "Скринер", screener_title: "Скринер рынка",
  screener_intro: "Последний плановый скан, по силе сигнала и движению. Строка открывает полный анализ.",
  screener_empty: "Скан ещё не ранжировал рынок.",
  screener_as_of: "Скан от {time} · пар: {count} · список от {source}",
  col_symbol: "Пара", col_price: "Цена", col_move: "Движение за 24 ч", col_signal: "Сигнал",
  col_confidence: "Уверенность", col_strength: "Сила",
  open_analysis: "Открыть полный анализ {symbol} {timeframe}",
  digest_title: "Ежедневный дайджест", digest_on: "Присылать ежедневный дайджест в Telegram",
  digest_hour: "В", digest_offset: "Часовой пояс", digest_saved: "Сохранено.",
};

i18n.addResourceBundle("en", "translation", en, true, false);
i18n.addResourceBundle("ru", "translation", ru, true, false);

export const SCREENER_TEXTS = {en, ru};

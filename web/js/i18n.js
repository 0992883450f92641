// The page's own words in English and Russian. The analysis text comes from the server
// already in its language; these are the labels around it. The page chrome follows the
// language select; a result card is labelled in the language of its analysis, so its labels
// and its text never mix.

const EN = {
  skip: "Skip to content", request_title: "Analyze a market", pair: "Pair", timeframe: "Timeframe",
  language: "Language", analyze: "Analyze", requesting: "Requesting…",
  idle_before: "Pick a pair and a timeframe, then press ", idle_after: ". Progress shows here live.",
  progress_label: "Analysis progress", stages: "Stages", loading: "Loading…",
  loading_analysis: "Loading the analysis", retry: "Retry", live_stopped: "Live updates stopped: {reason}",
  not_found: "this analysis does not exist (or is not yours)",
  failure_title: "Analysis failed", failure_none: "The analysis failed without a reason.",
  sources_tried: "Sources tried: {list}",
  recent: "Recent", this_session: "this session", no_recent: "No analyses yet.",
  not_signed_in: "Not signed in", dev_first: "Dev login on first request", dev_login: "Dev login",
  user_n: "user #{id}", left_today: "{left}/{total} analyses left today",
  try_again_in: " (try again in {s} s)", took: " in {time}",
  st_queued: "Queued — waiting for a worker", st_fetching: "Fetching market data",
  st_analyzing: "Analyzing", st_completed: "Completed", st_failed: "Failed",
  step_queued: "Queued", step_fetching: "Fetching", step_analyzing: "Analyzing", step_done: "Done",
  step_completed: "Completed", step_failed: "Failed",
  // result
  price: "Price", as_of: "As of", confidence: "Confidence", signal_scale: "Signal scale",
  sig_strong_sell: "Strong sell", sig_sell: "Sell", sig_neutral: "Neutral", sig_buy: "Buy",
  sig_strong_buy: "Strong buy",
  trend: "Trend", higher_tf: "Higher timeframe", votes: "Votes",
  dir_up: "Up", dir_down: "Down", dir_sideways: "Sideways",
  regime_trending: "trending", regime_ranging: "ranging",
  vol_low: "low volatility", vol_normal: "normal volatility", vol_high: "high volatility",
  agrees: "agrees", disagrees: "disagrees", trend_word: "trend",
  tally: "{up} bullish · {down} bearish · {flat} neutral", none: "none",
  notes_title: "Check this analysis",
  chart_alt: "{subject} chart with candles, volume, EMA 20/50/200, Bollinger bands, RSI and MACD",
  report: "Analysis", key_points: "Key points", risks: "Risks", rule_based_badge: "Rule-based analyst",
  rule_based_hint: "written from the indicators by rules, not by a language model",
  scenarios: "Scenarios", bull_case: "Bull case", bear_case: "Bear case",
  target: "Target", invalidation: "Invalidation", reward_risk: "Reward : risk", from_price: "from price",
  levels: "Levels", support_resistance: "Support & resistance", pivots: "Pivot points",
  fibonacci: "Fibonacci retracement", patterns: "Candlestick patterns", no_levels: "No levels found.",
  no_patterns: "No patterns on the last candles.", current_price: "Price",
  support: "Support", resistance: "Resistance", touches: "{n}× touched",
  bullish: "bullish", bearish: "bearish", neutral: "neutral",
  ago_0: "last candle", ago_1: "1 candle ago", ago_n: "{n} candles ago",
  indicators: "Indicators", indicator: "Indicator", value: "Value", reading: "Reading",
  g_trend: "Trend", g_momentum: "Momentum", g_volatility: "Volatility", g_volume: "Volume",
  g_other: "Other",
  overbought: "overbought", oversold: "oversold", above_signal: "above signal",
  below_signal: "below signal", momentum_rising: "momentum rising", momentum_falling: "momentum falling",
  price_above: "price {pct} above", price_below: "price {pct} below", of_price: "{pct} of price",
  strong_trend: "strong trend", weak_trend: "weak trend", no_trend: "no trend",
  bulls_lead: "bulls lead", bears_lead: "bears lead", k_above_d: "%K above %D", k_below_d: "%K below %D",
  up: "up", down: "down",
  details: "Details", source: "Source", fetched_from: "Fetched from", provider: "Provider",
  model: "Model", prompt: "Prompt", analysis_language: "Language", tokens: "Tokens",
  tokens_value: "{in} in · {out} out", cost: "Cost", latency: "Latency", attempts: "Attempts",
  replay_source: "Replay (bundled candles)", disclaimer: "Not financial advice.",
  lang_en: "English", lang_ru: "Русский",
  // notifications
  notifications: "Notifications", mark_all_read: "Mark all read", mark_read: "Mark read",
  no_notifications: "No notifications yet.", bell_label: "Notifications: {n} unread",
  kind_alert: "Alert", kind_analysis: "Analysis", open_analysis: "Open this analysis",
  // watchlist
  watch_symbol: "Symbol", watchlist: "Watchlist", no_watch: "Nothing watched yet.",
  watch_add_title: "Alert me on a pair",
  rules: "Alert rules", add_rule: "+ Add a rule", remove_rule: "Remove this rule",
  rule_kind: "When", note: "Note (optional)", watch_add: "Add to watchlist", delete: "Delete",
  watch_delete_label: "Delete {subject} from the watchlist", no_rules: "No alert rules.",
  rk_price_above: "Price above", rk_price_below: "Price below", rk_change_pct: "% change",
  rk_rsi_above: "RSI above", rk_rsi_below: "RSI below", rk_macd_cross: "MACD cross",
  rf_price: "Price", rf_percent: "Change, % (− for a fall)", rf_window: "Over candles",
  rf_value: "RSI level", rf_period: "RSI period", rf_direction: "Direction",
  macd_any: "Either way", macd_bullish: "Up (bullish)", macd_bearish: "Down (bearish)",
  rd_price_above: "price above {price}", rd_price_below: "price below {price}",
  rd_change_pct: "change of {percent}% over {window} candle(s)",
  rd_rsi_above: "RSI({period}) above {value}", rd_rsi_below: "RSI({period}) below {value}",
  rd_macd_cross: "MACD crosses its signal line: {direction}",
};

const RU = {
  skip: "К содержимому", request_title: "Анализ рынка", pair: "Пара", timeframe: "Таймфрейм",
  language: "Язык", analyze: "Анализ", requesting: "Запрос…",
  idle_before: "Выберите пару и таймфрейм и нажмите ", idle_after: ". Ход анализа появится здесь.",
  progress_label: "Ход анализа", stages: "Этапы", loading: "Загрузка…",
  loading_analysis: "Загружаем анализ", retry: "Повторить", live_stopped: "Обновления прервались: {reason}",
  not_found: "такого анализа нет (или он не ваш)",
  failure_title: "Анализ не удался", failure_none: "Анализ не удался без объяснения причины.",
  sources_tried: "Опрошенные источники: {list}",
  recent: "Недавние", this_session: "в этом сеансе", no_recent: "Анализов пока нет.",
  not_signed_in: "Вход не выполнен", dev_first: "Вход разработчика при первом запросе",
  dev_login: "Вход разработчика", user_n: "пользователь #{id}",
  left_today: "осталось анализов сегодня: {left}/{total}",
  try_again_in: " (повторите через {s} с)", took: " за {time}",
  st_queued: "В очереди — ждём обработчик", st_fetching: "Загружаем рыночные данные",
  st_analyzing: "Анализируем", st_completed: "Готово", st_failed: "Ошибка",
  step_queued: "В очереди", step_fetching: "Данные", step_analyzing: "Анализ", step_done: "Итог",
  step_completed: "Готово", step_failed: "Ошибка",
  price: "Цена", as_of: "На момент", confidence: "Уверенность", signal_scale: "Шкала сигнала",
  sig_strong_sell: "Активно продавать", sig_sell: "Продавать", sig_neutral: "Нейтрально",
  sig_buy: "Покупать", sig_strong_buy: "Активно покупать",
  trend: "Тренд", higher_tf: "Старший таймфрейм", votes: "Голоса",
  dir_up: "Восходящий", dir_down: "Нисходящий", dir_sideways: "Боковой",
  regime_trending: "трендовый рынок", regime_ranging: "рынок в диапазоне",
  vol_low: "низкая волатильность", vol_normal: "обычная волатильность",
  vol_high: "высокая волатильность",
  agrees: "согласуется", disagrees: "не согласуется", trend_word: "тренд",
  tally: "за рост {up} · за падение {down} · нейтрально {flat}", none: "нет",
  notes_title: "Проверьте этот анализ",
  chart_alt: "График {subject}: свечи, объём, EMA 20/50/200, полосы Боллинджера, RSI и MACD",
  report: "Анализ", key_points: "Главное", risks: "Риски", rule_based_badge: "Аналитик на правилах",
  rule_based_hint: "написано по индикаторам правилами, без языковой модели",
  scenarios: "Сценарии", bull_case: "Бычий сценарий", bear_case: "Медвежий сценарий",
  target: "Цель", invalidation: "Отмена", reward_risk: "Прибыль : риск", from_price: "от цены",
  levels: "Уровни", support_resistance: "Поддержка и сопротивление", pivots: "Точки разворота",
  fibonacci: "Уровни Фибоначчи", patterns: "Свечные паттерны", no_levels: "Уровней не найдено.",
  no_patterns: "На последних свечах паттернов нет.", current_price: "Цена",
  support: "Поддержка", resistance: "Сопротивление", touches: "касаний: {n}",
  bullish: "бычий", bearish: "медвежий", neutral: "нейтрально",
  ago_0: "последняя свеча", ago_1: "1 свечу назад", ago_few: "{n} свечи назад",
  ago_n: "{n} свечей назад",
  indicators: "Индикаторы", indicator: "Индикатор", value: "Значение", reading: "Оценка",
  g_trend: "Тренд", g_momentum: "Импульс", g_volatility: "Волатильность", g_volume: "Объём",
  g_other: "Прочее",
  overbought: "перекупленность", oversold: "перепроданность", above_signal: "выше сигнальной",
  below_signal: "ниже сигнальной", momentum_rising: "импульс растёт",
  momentum_falling: "импульс слабеет",
  price_above: "цена выше на {pct}", price_below: "цена ниже на {pct}", of_price: "{pct} от цены",
  strong_trend: "сильный тренд", weak_trend: "слабый тренд", no_trend: "тренда нет",
  bulls_lead: "перевес покупателей", bears_lead: "перевес продавцов",
  k_above_d: "%K выше %D", k_below_d: "%K ниже %D", up: "вверх", down: "вниз",
  details: "Подробности", source: "Источник", fetched_from: "Получено из", provider: "Провайдер",
  model: "Модель", prompt: "Промпт", analysis_language: "Язык", tokens: "Токены",
  tokens_value: "{in} на входе · {out} на выходе", cost: "Стоимость", latency: "Время ответа",
  attempts: "Попытки", replay_source: "Повтор (встроенные свечи)",
  disclaimer: "Не является инвестиционной рекомендацией.",
  lang_en: "English", lang_ru: "Русский",
  notifications: "Уведомления", mark_all_read: "Прочитать все", mark_read: "Прочитано",
  no_notifications: "Уведомлений пока нет.", bell_label: "Уведомления: непрочитанных {n}",
  kind_alert: "Сигнал", kind_analysis: "Анализ", open_analysis: "Открыть этот анализ",
  watch_symbol: "Инструмент", watchlist: "Список наблюдения",
  no_watch: "Пока ничего не отслеживается.",
  watch_add_title: "Сообщить мне о паре", rules: "Условия сигнала", add_rule: "+ Добавить условие",
  remove_rule: "Удалить это условие", rule_kind: "Когда", note: "Заметка (необязательно)",
  watch_add: "Добавить в список", delete: "Удалить",
  watch_delete_label: "Удалить {subject} из списка наблюдения", no_rules: "Условий нет.",
  rk_price_above: "Цена выше", rk_price_below: "Цена ниже", rk_change_pct: "Изменение, %",
  rk_rsi_above: "RSI выше", rk_rsi_below: "RSI ниже", rk_macd_cross: "Пересечение MACD",
  rf_price: "Цена", rf_percent: "Изменение, % (− для падения)", rf_window: "За свечей",
  rf_value: "Уровень RSI", rf_period: "Период RSI", rf_direction: "Направление",
  macd_any: "В любую сторону", macd_bullish: "Вверх (бычье)", macd_bearish: "Вниз (медвежье)",
  rd_price_above: "цена выше {price}", rd_price_below: "цена ниже {price}",
  rd_change_pct: "изменение на {percent}% за свечей: {window}",
  rd_rsi_above: "RSI({period}) выше {value}", rd_rsi_below: "RSI({period}) ниже {value}",
  rd_macd_cross: "MACD пересекает сигнальную линию: {direction}",
};

const DICTIONARIES = {en: EN, ru: RU};

export const LANGUAGES = Object.keys(DICTIONARIES);

export function pick(language) {
  return LANGUAGES.includes(language) ? language : "en";
}

// t("ru", "touches", {n: 3}) → "касаний: 3"; an unknown key falls back to English, then to
// the key itself.
export function t(language, key, vars = {}) {
  const text = DICTIONARIES[pick(language)][key] ?? EN[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? ""));
}

const plurals = new Map();

// "3 candles ago" / "3 свечи назад": the plural form of the language.
export function candlesAgo(language, n) {
  if (n === 0) return t(language, "ago_0");
  const lang = pick(language);
  if (!plurals.has(lang)) plurals.set(lang, new Intl.PluralRules(lang));
  const form = plurals.get(lang).select(n);
  if (form === "one") return t(language, "ago_1", {n});
  if (form === "few" && lang === "ru") return t(language, "ago_few", {n});
  return t(language, "ago_n", {n});
}

// Label every [data-i18n] element under root (its text) and every [data-i18n-label] element
// (its aria-label) in the language.
export function applyLabels(root, language) {
  for (const node of root.querySelectorAll("[data-i18n]")) {
    node.textContent = t(language, node.dataset.i18n);
  }
  for (const node of root.querySelectorAll("[data-i18n-label]")) {
    node.setAttribute("aria-label", t(language, node.dataset.i18nLabel));
  }
}

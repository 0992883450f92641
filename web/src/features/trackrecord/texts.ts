// The track record's words, added to the app's i18n resources when the feature loads (the
// result card imports the line, so they are there before the nav draws its label).

import {i18n} from "../../i18n";

const en = {
  track_record: "Track record",
  tr_title: "How the signal has fared",
  tr_intro: "Every closed candle of the history, the call the engine made from the candles up " +
    "to it, and whether the price moved that way after the horizon. Baselines on the same " +
    "candles: holding, 20-candle momentum, and a random signal with the same mix of calls. " +
    "Intervals are 95 % (Wilson).",
  tr_none: "Not computed yet for this pair: the schedule computes it for the published pairs.",
  tr_horizon_one: "Over {count} candle", tr_horizon_other: "Over {count} candles",
  tr_row: "Who", tr_n: "n", tr_hit: "Right", tr_ci: "95 % interval", tr_mean: "Mean return",
  tr_median: "Median return",
  tr_calls: "All buy and sell calls", tr_buy: "Buy calls", tr_sell: "Sell calls",
  tr_always_long: "Holding (always long)", tr_momentum_20: "20-candle momentum",
  tr_random: "Random, same mix",
  tr_calibration: "Is the confidence calibrated? Fitted before {cutoff}, scored after",
  tr_sample: "Period", tr_in: "Before the cut-off (fit)", tr_out: "After the cut-off (test)",
  tr_brier: "Brier score", tr_brier_base: "Brier of the base rate",
  tr_reliability: "Reliability after the cut-off", tr_bin: "Stated confidence",
  tr_forecast: "Mean stated", tr_observed: "Observed right",
  tr_span: "{first} – {last} · {source} · computed {computed}",
};

const ru: Record<keyof typeof en, string> & Record<string, string> = {
  track_record: "История сигналов",
  tr_title: "Как сигнал работал на истории",
  tr_intro: "Каждая закрытая свеча истории, сигнал движка по свечам до неё и пошла ли цена " +
    "в его сторону за горизонт. Базовые стратегии на тех же свечах: удержание, импульс " +
    "20 свечей и случайный сигнал с той же долей сигналов. Интервалы 95 % (Уилсон).",
  tr_none: "Для этой пары ещё не рассчитано: расписание считает опубликованные пары.",
  tr_horizon_one: "За {count} свечу", tr_horizon_few: "За {count} свечи",
  tr_horizon_many: "За {count} свечей", tr_horizon_other: "За {count} свечи",
  tr_row: "Кто", tr_n: "n", tr_hit: "Верно", tr_ci: "95 % интервал", tr_mean: "Средняя доходность",
  tr_median: "Медианная доходность",
  tr_calls: "Все сигналы покупки и продажи", tr_buy: "Покупки", tr_sell: "Продажи",
  tr_always_long: "Удержание", tr_momentum_20: "Импульс 20 свечей",
  tr_random: "Случайный, та же доля",
  tr_calibration: "Откалибрована ли уверенность? Подбор до {cutoff}, проверка после",
  tr_sample: "Период", tr_in: "До отсечки (подбор)", tr_out: "После отсечки (проверка)",
  tr_brier: "Оценка Брайера", tr_brier_base: "Брайер базовой частоты",
  tr_reliability: "Надёжность после отсечки", tr_bin: "Заявленная уверенность",
  tr_forecast: "Средняя заявленная", tr_observed: "Верно на деле",
  tr_span: "{first} – {last} · {source} · рассчитано {computed}",
};

i18n.addResourceBundle("en", "translation", en, true, false);
i18n.addResourceBundle("ru", "translation", ru, true, false);

export const PUBLISHED = [["BTC/USDT", "1d"], ["BTC/USDT", "4h"], ["ETH/USDT", "2h"],
  ["DOGE/USDT", "2h"]] as const;

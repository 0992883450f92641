// Every field of the indicator snapshot grouped as a trader reads them (trend, momentum,
// volatility, volume; unknown fields under "other"), with how each value is read.

import type {TFunction} from "i18next";
import {formatPercent, humanize, isNumber} from "../../format";
import type {Lang} from "../../i18n";

export type Scale = "index" | "osc" | "price" | "count" | "direction";
/** [text, tone]: tone "up" | "down" | "" */
export type Reading = [string, string] | null;
type Snapshot = Record<string, number | null>;
type Reader = (value: number, snapshot: Snapshot, price: number, t: TFunction, lang: Lang) => Reading;

const band = (high: number, low: number): Reader => (v, _s, _p, t) =>
  v >= high ? [t("overbought"), "down"] : v <= low ? [t("oversold"), "up"] : [t("neutral"), ""];

const versusPrice: Reader = (level, _s, price, t, lang) => {
  if (!isNumber(price) || !level) return null;
  const gap = (price - level) / level;
  const pct = formatPercent(Math.abs(gap), 1, lang);
  return [t(gap >= 0 ? "price_above" : "price_below", {pct}), gap >= 0 ? "up" : "down"];
};

const crossed = (other: string, above: string, below: string): Reader => (v, s, _p, t) => {
  const ref = s[other];
  return isNumber(ref) ? (v >= ref ? [t(above), "up"] : [t(below), "down"]) : null;
};

export type Row = [key: string, label: string, scale: Scale, read: Reader | null];

export const GROUPS: [string, Row[]][] = [
  ["g_trend", [
    ["ema_20", "EMA 20", "price", versusPrice], ["ema_50", "EMA 50", "price", versusPrice],
    ["ema_200", "EMA 200", "price", versusPrice], ["sma_20", "SMA 20", "price", versusPrice],
    ["sma_50", "SMA 50", "price", versusPrice], ["sma_200", "SMA 200", "price", versusPrice],
    ["adx_14", "ADX 14", "index", (v, _s, _p, t) => [t(v >= 25 ? "strong_trend"
      : v >= 20 ? "weak_trend" : "no_trend"), ""]],
    ["plus_di_14", "+DI 14", "index", crossed("minus_di_14", "bulls_lead", "bears_lead")],
    ["minus_di_14", "−DI 14", "index", null],
    ["supertrend", "Supertrend", "price", versusPrice],
    ["supertrend_direction", "Supertrend direction", "direction", null],
    ["ichimoku_tenkan", "Ichimoku tenkan", "price", versusPrice],
    ["ichimoku_kijun", "Ichimoku kijun", "price", versusPrice],
    ["ichimoku_span_a", "Ichimoku span A", "price", versusPrice],
    ["ichimoku_span_b", "Ichimoku span B", "price", versusPrice],
  ]],
  ["g_momentum", [
    ["rsi_14", "RSI 14", "index", band(70, 30)], ["stoch_k", "Stoch %K", "index", band(80, 20)],
    ["stoch_d", "Stoch %D", "index", (_v, s, p, t, l) => isNumber(s.stoch_k)
      ? crossed("stoch_d", "k_above_d", "k_below_d")(s.stoch_k, s, p, t, l) : null],
    ["macd", "MACD", "osc", crossed("macd_signal", "above_signal", "below_signal")],
    ["macd_signal", "MACD signal", "osc", null],
    ["macd_hist", "MACD histogram", "osc", (v, _s, _p, t) => v >= 0
      ? [t("momentum_rising"), "up"] : [t("momentum_falling"), "down"]],
    ["cci_20", "CCI 20", "index", band(100, -100)],
  ]],
  ["g_volatility", [
    ["bb_upper", "Bollinger upper", "price", versusPrice],
    ["bb_middle", "Bollinger middle", "price", versusPrice],
    ["bb_lower", "Bollinger lower", "price", versusPrice],
    ["atr_14", "ATR 14", "price", (v, _s, price, t, lang) => isNumber(price) && price
      ? [t("of_price", {pct: formatPercent(v / price, 1, lang)}), ""] : null],
  ]],
  ["g_volume", [
    ["vwap", "VWAP", "price", versusPrice], ["mfi_14", "MFI 14", "index", band(80, 20)],
    ["obv", "OBV", "count", null],
  ]],
];

const RU_LABELS: Record<string, string> = {
  "Supertrend direction": "Направление Supertrend", "MACD signal": "Сигнальная MACD",
  "MACD histogram": "Гистограмма MACD", "Bollinger upper": "Боллинджер, верхняя",
  "Bollinger middle": "Боллинджер, средняя", "Bollinger lower": "Боллинджер, нижняя",
  "Ichimoku tenkan": "Ишимоку тенкан", "Ichimoku kijun": "Ишимоку киджун",
  "Ichimoku span A": "Ишимоку span A", "Ichimoku span B": "Ишимоку span B",
  "Price vs EMA 20": "Цена и EMA 20", "Bollinger bands": "Полосы Боллинджера",
  "EMA 20 vs EMA 50": "EMA 20 и EMA 50", "EMA 50 vs EMA 200": "EMA 50 и EMA 200",
};

export function label(text: string, lang: Lang): string {
  return lang === "ru" ? RU_LABELS[text] ?? text : text;
}

const KNOWN = new Set(GROUPS.flatMap(([, rows]) => rows.map(([key]) => key)));

export function groupsFor(snapshot: Snapshot): [string, Row[]][] {
  const other: Row[] = Object.keys(snapshot).filter((key) => !KNOWN.has(key))
    .map((key) => [key, humanize(key), "osc", null]);
  return [...GROUPS, ["g_other", other] as [string, Row[]]].filter(([, rows]) => rows.length);
}

export const VOTE_NAMES: Record<string, string> = {
  rsi: "RSI 14", macd: "MACD", price_vs_ema20: "Price vs EMA 20",
  ema20_vs_ema50: "EMA 20 vs EMA 50", ema50_vs_ema200: "EMA 50 vs EMA 200",
  bollinger: "Bollinger bands",
};

// Every field of the indicator snapshot, grouped as a trader reads them (trend, momentum,
// volatility, volume; fields the page does not know yet go under "other"), and the votes.

import {$, el} from "./dom.js";
import {
  formatCompact, formatFixed, formatOscillator, formatPercent, formatPrice, humanize, isNumber,
} from "./format.js";
import {t} from "./i18n.js";

// A reading is [text key or text, tone] — tone "up" | "down" | "".
const band = (high, low) => (v) => v >= high ? ["overbought", "down"]
  : v <= low ? ["oversold", "up"] : ["neutral", ""];

function versusPrice(level, _snapshot, price, lang) {
  if (!isNumber(price) || !level) return null;
  const gap = (price - level) / level;
  const pct = formatPercent(Math.abs(gap));
  return [t(lang, gap >= 0 ? "price_above" : "price_below", {pct}), gap >= 0 ? "up" : "down"];
}

const crossed = (other, above, below) => (v, s) => isNumber(s[other])
  ? (v >= s[other] ? [above, "up"] : [below, "down"]) : null;

// Each row: [key, label, scale, reading]; scale is "index" (0–100 style, 1 decimal), "osc",
// "price", "count" or "direction".
const GROUPS = [
  ["g_trend", [
    ["ema_20", "EMA 20", "price", versusPrice],
    ["ema_50", "EMA 50", "price", versusPrice],
    ["ema_200", "EMA 200", "price", versusPrice],
    ["sma_20", "SMA 20", "price", versusPrice],
    ["sma_50", "SMA 50", "price", versusPrice],
    ["sma_200", "SMA 200", "price", versusPrice],
    ["adx_14", "ADX 14", "index", (v) => v >= 25 ? ["strong_trend", ""]
      : v >= 20 ? ["weak_trend", ""] : ["no_trend", ""]],
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
    ["rsi_14", "RSI 14", "index", band(70, 30)],
    ["stoch_k", "Stoch %K", "index", band(80, 20)],
    ["stoch_d", "Stoch %D", "index", (v, s) => crossed("stoch_d", "k_above_d", "k_below_d")(s.stoch_k, s)],
    ["macd", "MACD", "osc", crossed("macd_signal", "above_signal", "below_signal")],
    ["macd_signal", "MACD signal", "osc", null],
    ["macd_hist", "MACD histogram", "osc",
      (v) => v >= 0 ? ["momentum_rising", "up"] : ["momentum_falling", "down"]],
    ["cci_20", "CCI 20", "index", band(100, -100)],
  ]],
  ["g_volatility", [
    ["bb_upper", "Bollinger upper", "price", versusPrice],
    ["bb_middle", "Bollinger middle", "price", versusPrice],
    ["bb_lower", "Bollinger lower", "price", versusPrice],
    ["atr_14", "ATR 14", "price", (v, s, price, lang) => isNumber(price) && price
      ? [t(lang, "of_price", {pct: formatPercent(v / price)}), ""] : null],
  ]],
  ["g_volume", [
    ["vwap", "VWAP", "price", versusPrice],
    ["mfi_14", "MFI 14", "index", band(80, 20)],
    ["obv", "OBV", "count", null],
  ]],
];

// Labels with words in them, in Russian (names like "RSI 14" read the same in both).
const RU_LABELS = {
  "Supertrend direction": "Направление Supertrend", "MACD signal": "Сигнальная MACD",
  "MACD histogram": "Гистограмма MACD", "Bollinger upper": "Боллинджер, верхняя",
  "Bollinger middle": "Боллинджер, средняя", "Bollinger lower": "Боллинджер, нижняя",
  "Ichimoku tenkan": "Ишимоку тенкан", "Ichimoku kijun": "Ишимоку киджун",
  "Ichimoku span A": "Ишимоку span A", "Ichimoku span B": "Ишимоку span B",
  "Price vs EMA 20": "Цена и EMA 20", "Bollinger bands": "Полосы Боллинджера",
};

function label(text, lang) {
  return lang === "ru" ? RU_LABELS[text] || text : text;
}

const KNOWN = new Set(GROUPS.flatMap(([, rows]) => rows.map(([key]) => key)));

function formatValue(scale, value, decimals, lang) {
  if (!isNumber(value)) return "—";
  if (scale === "index") return formatFixed(value, 1);
  if (scale === "osc") return formatOscillator(value);
  if (scale === "count") return formatCompact(value);
  if (scale === "direction") return `${value > 0 ? "▲" : value < 0 ? "▼" : "◆"} ${t(lang, value > 0 ? "up" : "down")}`;
  return formatPrice(value, decimals);
}

function row([key, name, scale, read], snapshot, price, decimals, lang) {
  const value = snapshot[key];
  const known = isNumber(value);
  const reading = known && read ? read(value, snapshot, price, lang) : null;
  return el("tr", {dataset: {key}},
    el("th", {scope: "row", text: label(name, lang)}),
    el("td", {
      className: "num", text: formatValue(scale, value, decimals, lang),
      "data-testid": `indicator-${key}`, "data-value": known ? String(value) : "",
    }),
    el("td", {className: `reading ${reading ? reading[1] : ""}`,
      text: reading ? t(lang, reading[0]) : ""}),
  );
}

export function renderIndicators(result, lang, decimals) {
  const snapshot = result.indicators || {};
  const other = Object.keys(snapshot).filter((key) => !KNOWN.has(key))
    .map((key) => [key, humanize(key), "osc", null]);
  const groups = [...GROUPS, ["g_other", other]].filter(([, rows]) => rows.length);
  const bodies = groups.map(([name, rows]) => el("tbody", {className: "group", dataset: {group: name}},
    el("tr", {className: "group-head"},
      el("th", {scope: "rowgroup", colspan: "3", text: t(lang, name)})),
    ...rows.map((spec) => row(spec, snapshot, result.price, decimals, lang)),
  ));
  const table = $("indicators");
  for (const body of [...table.tBodies]) body.remove();
  table.append(...bodies);
}

const VOTE_NAMES = {
  rsi: "RSI 14",
  macd: "MACD",
  price_vs_ema20: "Price vs EMA 20",
  ema20_vs_ema50: "EMA 20 vs EMA 50",
  ema50_vs_ema200: "EMA 50 vs EMA 200",
  bollinger: "Bollinger bands",
};

export function voteCounts(votes) {
  const counts = {up: 0, down: 0, flat: 0};
  for (const vote of Object.values(votes)) counts[vote > 0 ? "up" : vote < 0 ? "down" : "flat"] += 1;
  return counts;
}

export function renderVotes(votes, lang) {
  const entries = Object.entries(votes);
  const items = entries.map(([name, vote]) => {
    const side = vote > 0 ? "bullish" : vote < 0 ? "bearish" : "neutral";
    return el("li", {className: `vote ${side}`, dataset: {name, vote: String(vote)}},
      el("span", {className: "vote-name", text: label(VOTE_NAMES[name] || humanize(name), lang)}),
      el("span", {className: "vote-side"},
        el("span", {className: "vote-icon", "aria-hidden": "true",
          text: vote > 0 ? "▲" : vote < 0 ? "▼" : "●"}),
        ` ${t(lang, side)}`),
    );
  });
  $("votes").replaceChildren(...items);
  const counts = voteCounts(votes);
  const tally = entries.length ? t(lang, "tally", counts) : t(lang, "none");
  $("vote-tally").textContent = tally;
  $("votes-summary").textContent = tally;
  const bar = $("votes-bar");
  for (const side of ["up", "flat", "down"]) {
    bar.querySelector(`.${side}`).style.setProperty("flex-grow", String(counts[side]));
  }
}

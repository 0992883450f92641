// Levels as price ladders (highest first, the current price in its place): support and
// resistance from swing points, classic pivots, Fibonacci retracement; and recent
// candlestick patterns.

import {$, el, show} from "./dom.js";
import {formatDistance, formatPrice, isNumber} from "./format.js";
import {candlesAgo, t} from "./i18n.js";
import {patternName} from "./patterns.js";

// One ladder row: {label, price, className, dataset, extra}.
function ladderRow(row, price, decimals) {
  return el("tr", {className: row.className, dataset: row.dataset, "data-testid": row.testid},
    el("th", {scope: "row"}, row.label),
    el("td", {className: "num", text: formatPrice(row.price, decimals)}),
    el("td", {className: "num distance", text: row.current ? "" : formatDistance(row.price, price)}),
    row.extra ? el("td", {className: "extra"}, row.extra) : null,
  );
}

function ladder(table, rows, price, decimals, lang, columns = 3) {
  const all = rows.filter((row) => isNumber(row.price));
  if (all.length && isNumber(price)) {
    all.push({label: `◆ ${t(lang, "current_price")}`, price, current: true, className: "current"});
  }
  all.sort((a, b) => b.price - a.price || (a.current ? -1 : 1));
  const body = all.map((row) => {
    const tr = ladderRow(row, price, decimals);
    if (row.current && columns > 3) tr.append(el("td"));
    return tr;
  });
  table.tBodies[0].replaceChildren(...body);
  show(table, all.length > 0);
  show(table.nextElementSibling, all.length === 0);
}

function strength(level, lang) {
  const dots = Math.max(1, Math.min(5, Math.ceil(level.strength / 2)));
  return el("span", {className: "strength", title: t(lang, "touches", {n: level.strength})},
    el("span", {className: "dots", "aria-hidden": "true", text: "●".repeat(dots) + "○".repeat(5 - dots)}),
    el("span", {className: "visually-hidden", text: t(lang, "touches", {n: level.strength})}),
    el("span", {className: "touches", "aria-hidden": "true", text: ` ×${level.strength}`}));
}

const PIVOT_LABELS = {p: "P"};

// "0.236" → "23.6%"; the API's keys are strings, and JavaScript lists integer-like keys
// ("0", "1") first, so ladders sort by value rather than by key order.
function fibLabel(key) {
  const ratio = Number(key);
  return Number.isFinite(ratio) ? `${(ratio * 100).toFixed(1).replace(/\.0$/, "")}%` : key;
}

export function renderLevels(result, lang, decimals) {
  const price = result.price;
  ladder($("levels"), (result.levels || []).map((level) => ({
    label: t(lang, level.kind),
    price: level.price,
    className: level.kind,
    testid: "level",
    dataset: {price: String(level.price), kind: level.kind, strength: String(level.strength)},
    extra: strength(level, lang),
  })), price, decimals, lang, 4);
  ladder($("pivots"), Object.entries(result.pivots || {}).map(([key, value]) => ({
    label: PIVOT_LABELS[key] || key.toUpperCase(),
    price: value,
    className: key.startsWith("r") ? "resistance" : key.startsWith("s") ? "support" : "pivot",
    testid: "pivot",
    dataset: {key, price: String(value)},
  })), price, decimals, lang);
  ladder($("fibonacci"), Object.entries(result.fibonacci || {}).map(([key, value]) => ({
    label: fibLabel(key),
    price: value,
    testid: "fib",
    dataset: {key, price: String(value)},
  })), price, decimals, lang);
  renderPatterns(result.patterns || [], lang);
}

function renderPatterns(patterns, lang) {
  const items = patterns.map((pattern) => el("li", {
    className: `pattern ${pattern.direction}`, "data-testid": "pattern",
    dataset: {name: pattern.name, direction: pattern.direction, ago: String(pattern.candles_ago)},
  },
  el("span", {className: "pattern-name", text: patternName(pattern.name, lang)}),
  el("span", {className: "pattern-side"},
    el("span", {"aria-hidden": "true", text: pattern.direction === "bullish" ? "▲ " : "▼ "}),
    t(lang, pattern.direction)),
  el("span", {className: "pattern-ago muted small", text: candlesAgo(lang, pattern.candles_ago)}),
  ));
  $("patterns").replaceChildren(...items);
  show($("patterns"), items.length > 0);
  show($("patterns-empty"), items.length === 0);
}

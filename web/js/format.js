// Numbers, prices, times and names as the page shows them. Numbers use en-US grouping in
// both languages, as the analysis text does ("109,624.05"), so the page and the text agree.

const formats = new Map();

function numberFormat(options) {
  const key = JSON.stringify(options);
  if (!formats.has(key)) formats.set(key, new Intl.NumberFormat("en-US", options));
  return formats.get(key);
}

export function isNumber(value) {
  return typeof value === "number" && Number.isFinite(value);
}

// Decimals an exchange would quote this price with: about 5 significant digits, at least
// cents (109,624.05 · 25.371 · 0.23200), at most 8.
export function priceDecimals(price) {
  if (!isNumber(price) || price === 0) return 2;
  return Math.min(8, Math.max(2, 4 - Math.floor(Math.log10(Math.abs(price)))));
}

export function formatFixed(value, digits) {
  if (!isNumber(value)) return "—";
  return numberFormat({minimumFractionDigits: digits, maximumFractionDigits: digits}).format(value);
}

// Price-level values (price, EMAs, bands, ATR, levels) share the price's decimals so a column
// lines up.
export function formatPrice(value, decimals) {
  return formatFixed(value, decimals);
}

// Oscillators around zero (MACD): cents when large, 4 significant digits when small.
export function formatOscillator(value) {
  if (!isNumber(value)) return "—";
  if (Math.abs(value) >= 100 || value === 0) return formatFixed(value, 2);
  return numberFormat({minimumSignificantDigits: 4, maximumSignificantDigits: 4}).format(value);
}

// Cumulative figures (OBV): 53.1K · 2.92M.
export function formatCompact(value) {
  if (!isNumber(value)) return "—";
  return numberFormat({notation: "compact", maximumFractionDigits: 2}).format(value);
}

export function formatInteger(value) {
  if (!isNumber(value)) return "—";
  return numberFormat({maximumFractionDigits: 0}).format(value);
}

// A fraction (0.029) as a percentage: 2.9%.
export function formatPercent(value, digits = 1) {
  if (!isNumber(value)) return "—";
  return numberFormat({style: "percent", minimumFractionDigits: digits,
    maximumFractionDigits: digits}).format(value);
}

// A distance from the price as a signed percentage: +1.25% · −0.40%.
export function formatDistance(level, price) {
  if (!isNumber(level) || !isNumber(price) || price === 0) return "";
  const gap = (level - price) / price;
  const text = formatPercent(Math.abs(gap), 2);
  return gap > 0 ? `+${text}` : gap < 0 ? `−${text}` : text;
}

// US dollars: cents when large, up to 6 decimals for fractions of a cent ($0.000905).
export function formatUsd(value) {
  if (!isNumber(value)) return "—";
  if (value === 0) return "$0.00";
  if (Math.abs(value) >= 0.01) return `$${formatFixed(value, 2)}`;
  return `$${numberFormat({maximumSignificantDigits: 3}).format(value)}`;
}

export function formatDuration(ms) {
  if (!isNumber(ms) || ms < 0) return "";
  if (ms < 10) return `${formatFixed(ms, 2)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60000)} min ${Math.round((ms % 60000) / 1000)} s`;
}

function pad(n, width = 2) {
  return String(n).padStart(width, "0");
}

export function formatUtc(iso) {
  const moment = new Date(iso);
  if (Number.isNaN(moment.getTime())) return iso || "—";
  return `${moment.getUTCFullYear()}-${pad(moment.getUTCMonth() + 1)}-${pad(moment.getUTCDate())} `
    + `${pad(moment.getUTCHours())}:${pad(moment.getUTCMinutes())} UTC`;
}

export function formatClock(iso) {
  const moment = new Date(iso);
  if (Number.isNaN(moment.getTime())) return "";
  return `${pad(moment.getHours())}:${pad(moment.getMinutes())}:${pad(moment.getSeconds())}`;
}

export function humanize(name) {
  const text = String(name).replace(/_/g, " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

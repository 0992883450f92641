// Numbers, prices, times and names as the page shows them, in the reader's locale through
// Intl: 109,888.01 in English, 109 888,01 in Russian.

import type {Lang} from "./i18n";

const LOCALES: Record<Lang, string> = {en: "en-US", ru: "ru-RU"};
const formats = new Map<string, Intl.NumberFormat>();

function numberFormat(lang: Lang, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = lang + JSON.stringify(options);
  let format = formats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(LOCALES[lang], options);
    formats.set(key, format);
  }
  return format;
}

export function isNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

/** Decimals an exchange would quote this price with: about 5 significant digits, 2 to 8. */
export function priceDecimals(price: unknown): number {
  if (!isNumber(price) || price === 0) return 2;
  return Math.min(8, Math.max(2, 4 - Math.floor(Math.log10(Math.abs(price)))));
}

export function formatFixed(value: unknown, digits: number, lang: Lang = "en"): string {
  if (!isNumber(value)) return "—";
  return numberFormat(lang, {minimumFractionDigits: digits, maximumFractionDigits: digits})
    .format(value);
}

export const formatPrice = formatFixed;

/** A number as typed by a user (a rule's threshold): all its decimals, grouped. */
export function formatNumber(value: unknown, lang: Lang = "en"): string {
  if (!isNumber(value)) return "—";
  return numberFormat(lang, {maximumFractionDigits: 8}).format(value);
}

/** Oscillators around zero (MACD): cents when large, 4 significant digits when small. */
export function formatOscillator(value: unknown, lang: Lang = "en"): string {
  if (!isNumber(value)) return "—";
  if (Math.abs(value) >= 100 || value === 0) return formatFixed(value, 2, lang);
  return numberFormat(lang, {minimumSignificantDigits: 4, maximumSignificantDigits: 4})
    .format(value);
}

/** Cumulative figures (OBV, volume): 53.1K · 2.92M. */
export function formatCompact(value: unknown, lang: Lang = "en"): string {
  if (!isNumber(value)) return "—";
  return numberFormat(lang, {notation: "compact", maximumFractionDigits: 2}).format(value);
}

export function formatInteger(value: unknown, lang: Lang = "en"): string {
  if (!isNumber(value)) return "—";
  return numberFormat(lang, {maximumFractionDigits: 0}).format(value);
}

/** A fraction (0.029) as a percentage: 2.9%. */
export function formatPercent(value: unknown, digits = 1, lang: Lang = "en"): string {
  if (!isNumber(value)) return "—";
  return numberFormat(lang, {style: "percent", minimumFractionDigits: digits,
    maximumFractionDigits: digits}).format(value);
}

/** A distance from the price as a signed percentage: +1.25% · −0.40%. */
export function formatDistance(level: unknown, price: unknown, lang: Lang = "en"): string {
  if (!isNumber(level) || !isNumber(price) || price === 0) return "";
  const gap = (level - price) / price;
  const text = formatPercent(Math.abs(gap), 2, lang);
  return gap > 0 ? `+${text}` : gap < 0 ? `−${text}` : text;
}

/** US dollars: cents when large, 3 significant digits below a cent ($0.000905). */
export function formatUsd(value: unknown, lang: Lang = "en"): string {
  if (!isNumber(value)) return "—";
  const options: Intl.NumberFormatOptions = Math.abs(value) >= 0.01 || value === 0
    ? {style: "currency", currency: "USD"}
    : {style: "currency", currency: "USD", maximumSignificantDigits: 3};
  return numberFormat(lang, options).format(value);
}

export function formatDuration(ms: unknown, lang: Lang = "en"): string {
  if (!isNumber(ms) || ms < 0) return "";
  const [msUnit, sUnit, minUnit] = lang === "ru" ? ["мс", "с", "мин"] : ["ms", "s", "min"];
  if (ms < 10) return `${formatFixed(ms, 2, lang)} ${msUnit}`;
  if (ms < 1000) return `${Math.round(ms)} ${msUnit}`;
  if (ms < 60000) return `${formatFixed(ms / 1000, 1, lang)} ${sUnit}`;
  return `${Math.floor(ms / 60000)} ${minUnit} ${Math.round((ms % 60000) / 1000)} ${sUnit}`;
}

const pad = (n: number): string => String(n).padStart(2, "0");

export function formatUtc(iso: string | null | undefined): string {
  const moment = new Date(iso ?? "");
  if (Number.isNaN(moment.getTime())) return iso || "—";
  return `${moment.toISOString().slice(0, 10)} ${pad(moment.getUTCHours())}:`
    + `${pad(moment.getUTCMinutes())} UTC`;
}

export function formatUtcTime(iso: string | null | undefined): string {
  const moment = new Date(iso ?? "");
  if (Number.isNaN(moment.getTime())) return "00:00";
  return `${pad(moment.getUTCHours())}:${pad(moment.getUTCMinutes())}`;
}

export function formatClock(iso: string): string {
  const moment = new Date(iso);
  if (Number.isNaN(moment.getTime())) return "";
  return `${pad(moment.getHours())}:${pad(moment.getMinutes())}:${pad(moment.getSeconds())}`;
}

export function humanize(name: string): string {
  const text = String(name).replace(/_/g, " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Whole days from `iso` to `now` (a candle's age). */
export function daysSince(iso: string, now: Date): number {
  return Math.floor((now.getTime() - new Date(iso).getTime()) / 86_400_000);
}

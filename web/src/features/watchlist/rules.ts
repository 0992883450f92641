// Watchlist alert rules as the API takes them (shared/services/watchlist.py): the fields of
// each kind, a rule built from the inputs, and a rule described in words.

import type {TFunction} from "i18next";
import type {Rule} from "../../api/types";
import {formatNumber} from "../../format";
import type {Lang} from "../../i18n";

export type FieldType = "number" | "int" | "direction";
export const RULE_FIELDS: Record<string, [name: string, type: FieldType, initial: string][]> = {
  price_above: [["price", "number", ""]],
  price_below: [["price", "number", ""]],
  change_pct: [["percent", "number", ""], ["window", "int", "1"]],
  rsi_above: [["value", "number", "70"], ["period", "int", "14"]],
  rsi_below: [["value", "number", "30"], ["period", "int", "14"]],
  macd_cross: [["direction", "direction", "any"]],
};
export const DIRECTIONS = ["any", "bullish", "bearish"];

/** A rule as the form edits it: the kind and each field as typed. */
export interface DraftRule {
  key: number;
  kind: string;
  values: Record<string, string>;
}

let keys = 0;

export function draft(kind = "price_above", rule?: Rule): DraftRule {
  keys += 1;
  const values = Object.fromEntries((RULE_FIELDS[kind] ?? []).map(([name, , initial]) =>
    [name, rule && rule[name] !== undefined ? String(rule[name]) : initial]));
  return {key: keys, kind, values};
}

/** The rule object; an empty number is left out, so the API names what is missing. */
export function ruleOf(row: DraftRule): Rule {
  const rule: Rule = {kind: row.kind};
  for (const [name, type] of RULE_FIELDS[row.kind] ?? []) {
    const raw = (row.values[name] ?? "").trim().replace(",", ".");
    if (type === "direction") rule[name] = raw;
    else if (raw !== "" && Number.isFinite(Number(raw))) rule[name] = Number(raw);
  }
  return rule;
}

export function describeRule(rule: Rule, t: TFunction, lang: Lang): string {
  const percent = Number(rule.percent);
  return t(`rd_${rule.kind}`, {
    price: formatNumber(rule.price, lang), value: formatNumber(rule.value, lang),
    period: rule.period ?? 14, percent: `${percent > 0 ? "+" : ""}${formatNumber(percent, lang)}`,
    window: rule.window ?? 1, direction: t(`macd_${String(rule.direction ?? "any")}`),
  });
}

// Watchlist alert rules as the API takes them (shared/services/watchlist.py): the fields of
// each kind, a rule built from the inputs, and a rule described in words.

import type {TFunction} from "i18next";
import type {Rule} from "../../api/types";
import {formatNumber} from "../../format";
import type {Lang} from "../../i18n";

export type FieldType = "number" | "int" | "direction" | "trend";
export const RULE_FIELDS: Record<string, [name: string, type: FieldType, initial: string][]> = {
  price_above: [["price", "number", ""]],
  price_below: [["price", "number", ""]],
  change_pct: [["percent", "number", ""], ["window", "int", "1"]],
  rsi_above: [["value", "number", "70"], ["period", "int", "14"]],
  rsi_below: [["value", "number", "30"], ["period", "int", "14"]],
  macd_cross: [["direction", "direction", "any"]],
  ema_cross: [["fast", "int", "20"], ["slow", "int", "50"], ["direction", "direction", "any"]],
  trend: [["direction", "trend", "up"]],
};
export const DIRECTIONS = ["any", "bullish", "bearish"];
export const TRENDS = ["up", "down"];

/** A rule as the form edits it: the kind and each field as typed. */
export interface DraftRule {
  key: number;
  kind: string;
  values: Record<string, string>;
  /** the rule as loaded: fields the form does not edit (cooldown, AND conditions) survive */
  original?: Rule;
}

let keys = 0;

export function draft(kind = "price_above", rule?: Rule): DraftRule {
  keys += 1;
  const values = Object.fromEntries((RULE_FIELDS[kind] ?? []).map(([name, , initial]) =>
    [name, rule && rule[name] !== undefined ? String(rule[name]) : initial]));
  return {key: keys, kind, values, ...(rule ? {original: rule} : {})};
}

export const editable = (kind: string): boolean => kind in RULE_FIELDS;

/** The rule object; an empty number is left out, so the API names what is missing. */
export function ruleOf(row: DraftRule): Rule {
  if (!editable(row.kind) && row.original) return row.original;
  const kept = row.original?.kind === row.kind ? row.original : {kind: row.kind};
  const rule: Rule = {...kept, kind: row.kind};
  for (const [name, type] of RULE_FIELDS[row.kind] ?? []) {
    const raw = (row.values[name] ?? "").trim().replace(",", ".");
    delete rule[name];
    if (type === "direction" || type === "trend") rule[name] = raw;
    else if (raw !== "" && Number.isFinite(Number(raw))) rule[name] = Number(raw);
  }
  return rule;
}

export function describeRule(rule: Rule, t: TFunction, lang: Lang): string {
  if (rule.kind === "all") {
    const conditions = (rule as unknown as {conditions: {rule: Rule; timeframe?: string | null}[]}).conditions ?? [];
    return conditions.map((c) => `${describeRule(c.rule, t, lang)}${c.timeframe ? ` (${c.timeframe})` : ""}`)
      .join(t("and_joiner"));
  }
  if (rule.kind === "trend") return t("rd_trend", {direction: t(`dir_${String(rule.direction)}`)});
  const percent = Number(rule.percent);
  return t(`rd_${rule.kind}`, {
    price: formatNumber(rule.price, lang), value: formatNumber(rule.value, lang),
    period: rule.period ?? 14, percent: `${percent > 0 ? "+" : ""}${formatNumber(percent, lang)}`,
    window: rule.window ?? 1, direction: t(`macd_${String(rule.direction ?? "any")}`),
    fast: rule.fast ?? 20, slow: rule.slow ?? 50,
  });
}

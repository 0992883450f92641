// An API refusal as a sentence in the reader's language. Validation errors arrive as
// {field: "rules.0.price_above.price", message: "Input should be greater than 0"}: the field
// path becomes words ("Rule 1: the price") and the message a translated sentence; a refusal
// without field errors keeps the server's message, which is already a sentence.

import type {TFunction} from "i18next";
import {ApiError, type FieldError} from "../api/errors";

const FIELD_WORDS: Record<string, string> = {
  symbol: "f_symbol", timeframe: "f_timeframe", note: "f_note", rules: "f_rules",
  language: "f_language", price: "rf_price", percent: "rf_percent", window: "rf_window",
  value: "rf_value", period: "rf_period", direction: "rf_direction", kind: "rule_kind",
  fast: "rf_fast", slow: "rf_slow",
};

const RULE_KINDS = new Set(["price_above", "price_below", "change_pct", "rsi_above", "rsi_below",
  "macd_cross", "ema_cross", "trend", "all"]);

export function fieldName(path: string, t: TFunction): string {
  const parts = path.split(".").filter((part) => part && part !== "body" && !RULE_KINDS.has(part));
  const words: string[] = [];
  for (let i = 0; i < parts.length; i += 1) {
    const part = parts[i] ?? "";
    const next = parts[i + 1];
    if (part === "rules" && next !== undefined && /^\d+$/.test(next)) {
      words.push(t("f_rule", {n: Number(next) + 1}));
      i += 1;
    } else if (FIELD_WORDS[part]) {
      words.push(t(FIELD_WORDS[part] as string));
    }
  }
  return words.join(" — ") || t("f_symbol");
}

const PATTERNS: [RegExp, string][] = [
  [/greater than or equal to (\S+)/i, "err_ge"],
  [/greater than (\S+)/i, "err_gt"],
  [/less than or equal to (\S+)/i, "err_le"],
  [/less than (\S+)/i, "err_lt"],
  [/at most (\d+) characters?/i, "err_too_long"],
  [/valid number|valid integer|parse string as a number/i, "err_number"],
  [/field required|missing/i, "err_required"],
];

export function sentence(error: FieldError, t: TFunction): string {
  const field = fieldName(error.field, t);
  for (const [pattern, key] of PATTERNS) {
    const match = pattern.exec(error.message);
    if (match) return t(key, {field, x: match[1] ?? ""});
  }
  return t("err_invalid", {field});
}

/** What to show for a failed request: translated field errors, or the server's reason. */
export function explain(err: unknown, t: TFunction): string {
  if (err instanceof ApiError && err.fieldErrors.length) {
    return err.fieldErrors.map((e) => sentence(e, t)).join(" ");
  }
  return err instanceof Error ? err.message : String(err);
}

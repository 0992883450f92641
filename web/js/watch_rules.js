// Watchlist alert rules as the API takes them (shared/services/watchlist.py): one row of inputs
// per rule, the rule object built from a row, and a rule described in words.

import {el} from "./dom.js";
import {formatInteger} from "./format.js";
import {t} from "./i18n.js";

// kind → its fields: [name, type ("number" | "int" | direction), default shown in the input].
export const RULE_FIELDS = {
  price_above: [["price", "number", ""]],
  price_below: [["price", "number", ""]],
  change_pct: [["percent", "number", ""], ["window", "int", "1"]],
  rsi_above: [["value", "number", "70"], ["period", "int", "14"]],
  rsi_below: [["value", "number", "30"], ["period", "int", "14"]],
  macd_cross: [["direction", "direction", "any"]],
};
const DIRECTIONS = ["any", "bullish", "bearish"];
let rowCount = 0;

function fieldNode(kind, [name, type, initial], lang) {
  const id = `rule-${rowCount}-${name}`;
  const input = type === "direction"
    ? el("select", {id, name, "data-testid": `rule-${name}`},
      ...DIRECTIONS.map((d) => el("option", {value: d, selected: d === initial ? "" : null,
        text: t(lang, `macd_${d}`)})))
    : el("input", {id, name, type: "number", step: type === "int" ? "1" : "any",
      inputmode: type === "int" ? "numeric" : "decimal", value: initial,
      "data-testid": `rule-${name}`, autocomplete: "off"});
  return el("div", {className: "field"},
    el("label", {for: id, text: t(lang, `rf_${name}`)}), input);
}

function fillFields(row, kind, lang) {
  row.querySelector(".rule-fields").replaceChildren(
    ...RULE_FIELDS[kind].map((field) => fieldNode(kind, field, lang)));
}

// A rule's row: the kind select, its fields, and a remove button (onRemove(row)).
export function ruleRow(lang, onRemove, kind = "price_above") {
  rowCount += 1;
  const kindId = `rule-${rowCount}-kind`;
  const select = el("select", {id: kindId, name: "kind", "data-testid": "rule-kind"},
    ...Object.keys(RULE_FIELDS).map((k) => el("option", {value: k, selected: k === kind ? "" : null,
      text: t(lang, `rk_${k}`)})));
  const remove = el("button", {type: "button", className: "button-ghost rule-remove",
    "aria-label": t(lang, "remove_rule"), "data-testid": "rule-remove", text: "×"});
  const row = el("li", {className: "rule-row", "data-testid": "rule-row"},
    el("div", {className: "field rule-kind"},
      el("label", {for: kindId, text: t(lang, "rule_kind")}), select),
    el("div", {className: "rule-fields"}), remove);
  fillFields(row, kind, lang);
  select.addEventListener("change", () => fillFields(row, select.value, lang));
  remove.addEventListener("click", () => onRemove(row));
  return row;
}

// The rule object of a row; an empty number is left out, so the API names what is missing.
export function ruleOf(row) {
  const kind = row.querySelector("[name=kind]").value;
  const rule = {kind};
  for (const [name, type] of RULE_FIELDS[kind] || []) {
    const raw = row.querySelector(`[name=${name}]`).value.trim();
    if (type === "direction") rule[name] = raw;
    else if (raw !== "" && Number.isFinite(Number(raw))) rule[name] = Number(raw);
  }
  return rule;
}

function number(value) {
  return Number.isInteger(value) ? formatInteger(value) : String(value);
}

export function describeRule(rule, lang) {
  const vars = {
    price: number(rule.price), value: number(rule.value), period: rule.period ?? 14,
    percent: `${rule.percent > 0 ? "+" : ""}${rule.percent}`, window: rule.window ?? 1,
    direction: t(lang, `macd_${rule.direction || "any"}`),
  };
  return t(lang, `rd_${rule.kind}`, vars);
}

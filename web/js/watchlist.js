// The watchlist panel: my watch items with their rules, adding one (pair, timeframe, rules,
// note), deleting one. A refused item shows the API's message next to the form.

import {api} from "./api.js";
import {$, el, show} from "./dom.js";
import {t} from "./i18n.js";
import {pageLanguage} from "./prefs.js";
import {describeRule, ruleOf, ruleRow} from "./watch_rules.js";

let items = [];

function showError(message) {
  $("watch-error").textContent = message;
  show($("watch-error"), Boolean(message));
}

function itemNode(item, lang) {
  const subject = `${item.symbol} · ${item.timeframe}`;
  const remove = el("button", {type: "button", className: "button-ghost small",
    "data-testid": "watch-delete", "aria-label": t(lang, "watch_delete_label", {subject}),
    text: t(lang, "delete")});
  remove.addEventListener("click", () => removeItem(item, remove));
  const rules = item.rules.length
    ? el("ul", {className: "watch-rules"},
      ...item.rules.map((rule) => el("li", {text: describeRule(rule, lang)})))
    : el("p", {className: "muted small", text: t(lang, "no_rules")});
  return el("li", {className: "watch-item", "data-testid": "watch-item",
    dataset: {id: item.id}},
  el("div", {className: "watch-head"},
    el("span", {className: "recent-subject", text: subject}), remove),
  rules,
  item.note ? el("p", {className: "muted small watch-note", text: item.note}) : null);
}

function renderItems() {
  const lang = pageLanguage();
  show($("watch-empty"), items.length === 0);
  $("watch-items").replaceChildren(...items.map((item) => itemNode(item, lang)));
}

async function load() {
  try {
    items = (await api.watchList()).items;
    renderItems();
  } catch (err) {
    showError(err.message);
  }
}

async function removeItem(item, button) {
  button.disabled = true;
  try {
    await api.watchDelete(item.id);
    items = items.filter((known) => known.id !== item.id);
    renderItems();
  } catch (err) {
    button.disabled = false;
    showError(err.message);
  }
}

function addRule(kind) {
  const list = $("watch-rules");
  list.append(ruleRow(pageLanguage(), (row) => row.remove(), kind));
}

function request() {
  const note = $("watch-note").value.trim();
  return {
    symbol: $("watch-symbol").value.trim(),
    timeframe: $("watch-timeframe").value,
    rules: [...$("watch-rules").children].map(ruleOf),
    ...(note ? {note} : {}),
  };
}

async function onSubmit(event) {
  event.preventDefault();
  showError("");
  const button = $("watch-submit");
  button.disabled = true;
  try {
    const item = await api.watchAdd(request());
    items = [...items, item];
    renderItems();
    $("watch-note").value = "";
  } catch (err) {
    showError(err.message);
  } finally {
    button.disabled = false;
  }
}

// The rule rows are rebuilt in the new language (what was typed in them is kept by kind).
export function relabelWatchlist() {
  const rows = [...$("watch-rules").children];
  const kinds = rows.map((row) => row.querySelector("[name=kind]").value);
  const typed = rows.map(ruleOf);
  $("watch-rules").replaceChildren();
  kinds.forEach((kind, index) => {
    addRule(kind);
    const row = $("watch-rules").lastElementChild;
    for (const [name, value] of Object.entries(typed[index])) {
      const input = row.querySelector(`[name=${name}]`);
      if (input && name !== "kind") input.value = String(value);
    }
  });
  renderItems();
}

export function startWatchlist() {
  addRule("price_above");
  $("watch-add-rule").addEventListener("click", () => addRule("price_above"));
  $("watch-form").addEventListener("submit", onSubmit);
  load();
}

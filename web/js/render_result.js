// The result card: verdict, market context, notes, the written report, scenarios and where the
// analysis came from. Levels and indicators have their own modules.

import {$, el, show} from "./dom.js";
import {
  formatDistance, formatDuration, formatFixed, formatInteger, formatPrice, formatUsd, formatUtc,
  humanize, isNumber, priceDecimals,
} from "./format.js";
import {applyLabels, pick, t} from "./i18n.js";
import {renderIndicators, renderVotes} from "./render_indicators.js";
import {renderLevels} from "./render_levels.js";

const SIGNAL_ORDER = ["strong_sell", "sell", "neutral", "buy", "strong_buy"];

export function signalName(signal, lang) {
  return SIGNAL_ORDER.includes(signal) ? t(lang, `sig_${signal}`) : humanize(signal);
}

export function renderResult(doc) {
  const result = doc.result;
  const lang = pick(result.language || doc.language);
  const card = $("result");
  card.dataset.analysisId = doc.id;
  card.setAttribute("lang", lang);
  applyLabels(card, lang);
  const decimals = priceDecimals(result.price);
  renderHeader(result, lang, decimals);
  renderContext(result, lang);
  renderNotes(result.notes || []);
  renderReport(result, lang);
  renderScenario($("bull-scenario"), result.bull_scenario, result.price, decimals);
  renderScenario($("bear-scenario"), result.bear_scenario, result.price, decimals);
  renderLevels(result, lang, decimals);
  renderIndicators(result, lang, decimals);
  renderVotes(result.votes || {}, lang);
  renderDetails(doc, lang);
}

function renderHeader(result, lang, decimals) {
  $("result-title").textContent = `${result.symbol} · ${result.timeframe}`;
  $("price").textContent = formatPrice(result.price, decimals);
  $("price").dataset.value = String(result.price);
  $("quote").textContent = String(result.symbol || "").split("/")[1] || "";
  $("as-of").textContent = formatUtc(result.as_of);
  $("as-of").setAttribute("datetime", result.as_of || "");
  const signal = $("signal");
  signal.textContent = signalName(result.signal, lang);
  signal.dataset.signal = result.signal;
  for (const cell of $("signal-scale").children) {
    cell.classList.toggle("on", cell.dataset.level === result.signal);
    cell.title = signalName(cell.dataset.level, lang);
  }
  const confidence = isNumber(result.confidence) ? result.confidence : 0;
  $("confidence").textContent = `${Math.round(confidence * 100)}%`;
  $("confidence-fill").style.setProperty("width", `${Math.round(confidence * 100)}%`);
  $("confidence-fill").dataset.signal = result.signal;
}

function chip(text, className = "") {
  return el("span", {className: `chip ${className}`.trim(), text});
}

function arrow(direction) {
  return direction === "up" ? "▲" : direction === "down" ? "▼" : "◆";
}

function renderContext(result, lang) {
  const trend = result.trend;
  show($("trend"), Boolean(trend));
  if (trend) {
    $("trend").dataset.direction = trend.direction;
    $("trend-value").replaceChildren(
      chip(`${arrow(trend.direction)} ${t(lang, `dir_${trend.direction}`)}`, `dir ${trend.direction}`),
      chip(t(lang, `regime_${trend.regime}`)),
      chip(t(lang, `vol_${trend.volatility}`), trend.volatility === "high" ? "warn" : ""),
      isNumber(trend.adx) ? chip(`ADX ${formatFixed(trend.adx, 1)}`) : null,
      // atr_pct is already a percentage (2.87 = 2.87 %), unlike confidence (0–1).
      isNumber(trend.atr_pct) ? chip(`ATR ${formatFixed(trend.atr_pct, 2)}%`) : null,
    );
  }
  const higher = result.confluence;
  show($("confluence"), Boolean(higher));
  if (higher) {
    $("confluence").dataset.agrees = String(higher.agrees);
    $("confluence-value").replaceChildren(
      chip(higher.timeframe, "mono"),
      chip(signalName(higher.signal, lang), `sig ${higher.signal}`),
      chip(`${t(lang, "trend_word")} ${arrow(higher.trend)} ${t(lang, `dir_${higher.trend}`)}`,
        `dir ${higher.trend}`),
      chip(`${higher.agrees ? "✓" : "✗"} ${t(lang, higher.agrees ? "agrees" : "disagrees")}`,
        higher.agrees ? "ok" : "warn"),
    );
  }
}

function renderNotes(notes) {
  $("notes-list").replaceChildren(...notes.map((note) => el("li", {text: note})));
  show($("notes"), notes.length > 0);
}

function renderList(list, items) {
  list.replaceChildren(...items.map((text) => el("li", {text})));
  show(list.parentElement, items.length > 0);
}

function renderReport(result, lang) {
  $("summary").textContent = result.summary || "";
  renderList($("key-points"), result.key_points || []);
  renderList($("risks"), result.risks || []);
  const ruleBased = result.provider === "rule_based";
  show($("rule-based"), ruleBased);
  $("rule-based").title = t(lang, "rule_based_hint");
}

// Reward to risk from the current price: distance to the target over distance to the
// invalidation (1.5 = the target is 1.5 times as far as the stop).
function rewardToRisk(scenario, price) {
  const {target, invalidation} = scenario;
  if (![target, invalidation, price].every(isNumber)) return null;
  const risk = Math.abs(price - invalidation);
  return risk > 0 ? Math.abs(target - price) / risk : null;
}

function renderScenario(card, scenario, price, decimals) {
  show(card, Boolean(scenario));
  if (!scenario) return;
  const ratio = rewardToRisk(scenario, price);
  const rr = card.querySelector(".scenario-rr");
  rr.textContent = ratio === null ? "—" : formatFixed(ratio, 2);
  rr.classList.toggle("poor", ratio !== null && ratio < 1);
  card.querySelector(".scenario-text").textContent = scenario.description || "";
  for (const [key, value] of [["target", scenario.target], ["invalidation", scenario.invalidation]]) {
    const cell = card.querySelector(`.scenario-${key}`);
    cell.dataset.value = isNumber(value) ? String(value) : "";
    cell.replaceChildren(
      el("span", {className: "num", text: formatPrice(value, decimals)}),
      isNumber(value) ? el("span", {className: "distance", text: ` ${formatDistance(value, price)}`})
        : null,
    );
  }
}

function detail(key, label, value, extra = {}) {
  return el("div", {dataset: {key}},
    el("dt", {text: label}),
    el("dd", {"data-testid": `detail-${key}`, ...extra}, value));
}

function renderDetails(doc, lang) {
  const result = doc.result;
  const usage = result.usage || {};
  const source = result.source === "replay" ? t(lang, "replay_source") : result.source || "—";
  const provider = result.provider === "rule_based" ? t(lang, "rule_based_badge")
    : result.provider || "—";
  const prompt = result.prompt_name
    ? `${result.prompt_name} v${result.prompt_version ?? "?"}` : "—";
  const tried = (doc.sources_tried || []).join("; ");
  const items = [
    detail("source", t(lang, "source"), source),
    tried ? detail("fetched_from", t(lang, "fetched_from"), tried) : null,
    detail("provider", t(lang, "provider"), provider, {"data-provider": result.provider}),
    detail("model", t(lang, "model"), result.model || "—"),
    detail("prompt", t(lang, "prompt"), prompt),
    detail("language", t(lang, "analysis_language"), t(lang, `lang_${pick(result.language)}`)),
    detail("tokens", t(lang, "tokens"), t(lang, "tokens_value", {
      in: formatInteger(usage.input_tokens ?? 0), out: formatInteger(usage.output_tokens ?? 0),
    }), {"data-input": String(usage.input_tokens ?? 0), "data-output": String(usage.output_tokens ?? 0)}),
    detail("cost", t(lang, "cost"), formatUsd(usage.cost_usd ?? 0),
      {"data-value": String(usage.cost_usd ?? 0)}),
    detail("latency", t(lang, "latency"), formatDuration(usage.latency_ms ?? 0),
      {"data-value": String(usage.latency_ms ?? 0)}),
    (usage.attempts || []).length
      ? detail("attempts", t(lang, "attempts"), usage.attempts.join(" → ")) : null,
  ];
  $("details").replaceChildren(...items.filter(Boolean));
}

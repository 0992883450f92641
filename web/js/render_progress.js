// The progress card (status, bar, stage times), the failure card and live-stream errors.

import {$, el, show} from "./dom.js";
import {formatClock, formatDuration, humanize} from "./format.js";
import {t} from "./i18n.js";
import {pageLanguage} from "./prefs.js";
import {FINAL} from "./settings.js";

export function renderLoading() {
  const lang = pageLanguage();
  show($("progress-card"), true);
  $("progress-subject").textContent = t(lang, "loading");
  $("status").textContent = t(lang, "loading_analysis");
  delete $("status").dataset.status;
  delete $("status").dataset.text;
}

export function showLiveError(message, retry) {
  $("live-error-text").textContent = t(pageLanguage(), "live_stopped", {reason: message});
  const button = $("live-retry");
  show(button, Boolean(retry));
  button.onclick = retry || null;
  show($("progress-card"), true);
  show($("live-error"), true);
}

function statusText(doc, lang) {
  const progress = doc.status === "completed" ? 100 : Math.max(0, Math.min(100, doc.progress || 0));
  const name = t(lang, `st_${doc.status}`) === `st_${doc.status}` ? humanize(doc.status)
    : t(lang, `st_${doc.status}`);
  if (!FINAL.has(doc.status)) return [`${name}… ${progress}%`, progress];
  const took = doc.updated_at
    ? t(lang, "took", {time: formatDuration(new Date(doc.updated_at) - new Date(doc.created_at))})
    : "";
  return [`${name}${took}`, progress];
}

export function renderProgress(doc) {
  const lang = pageLanguage();
  show($("progress-card"), true);
  $("progress-card").dataset.analysisId = doc.id;
  $("progress-subject").textContent = `${doc.symbol} · ${doc.timeframe}`;
  const status = $("status");
  const [text, progress] = statusText(doc, lang);
  // The live region also reads out why an analysis failed (shown visually below).
  const reason = doc.status === "failed" && doc.error ? `: ${doc.error}` : "";
  if (status.dataset.text !== text + reason) {
    status.dataset.text = text + reason;
    status.replaceChildren(text, reason ? el("span", {className: "visually-hidden", text: reason}) : "");
  }
  status.dataset.status = doc.status;
  const bar = $("progress-bar");
  bar.setAttribute("aria-valuenow", String(progress));
  bar.setAttribute("aria-valuetext", `${progress}% — ${doc.status}`);
  bar.dataset.state = doc.status;
  $("progress-fill").style.setProperty("width", `${progress}%`);
  renderSteps(doc, lang);
}

function renderSteps(doc, lang) {
  const reached = new Map((doc.history || []).map((change) => [change.status, change.at]));
  const final = FINAL.has(doc.status) ? doc.status : null;
  const start = new Date(doc.created_at).getTime();
  for (const item of $("steps").children) {
    const step = item.dataset.step;
    const key = step === "done" ? final : step;
    const at = key ? reached.get(key) : undefined;
    const active = step === doc.status || (step === "done" && final);
    item.className = [
      at ? "reached" : "",
      active ? "active" : "",
      step === "done" && final ? final : "",
    ].join(" ").trim();
    item.querySelector(".step-name").textContent = t(lang,
      step === "done" && final ? `step_${final}` : `step_${step}`);
    const time = item.querySelector(".step-time");
    time.textContent = at ? (step === "queued" ? formatClock(at)
      : `+${formatDuration(new Date(at).getTime() - start)}`) : "";
    if (at) time.setAttribute("datetime", at);
    else time.removeAttribute("datetime");
    if (active) item.setAttribute("aria-current", "step");
    else item.removeAttribute("aria-current");
  }
}

export function renderFailure(doc) {
  const lang = pageLanguage();
  $("failure-reason").textContent = doc.error || t(lang, "failure_none");
  const tried = (doc.sources_tried || []).join("; ");
  $("failure-sources").textContent = tried ? t(lang, "sources_tried", {list: tried}) : "";
  show($("failure-sources"), Boolean(tried));
}

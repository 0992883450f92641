// ChartGenius web app, the page's one module entry: request an analysis, follow it live,
// show the full result. Plain ES modules, no build step.
//
// Modules: settings · storage · api (client, sign-in) · live (SSE / poll sources) · format ·
// i18n · patterns · dom · prefs · session · recent · chart · render_progress ·
// render_result · render_levels · render_indicators · inbox (live notifications) ·
// notifications (bell and panel) · watchlist · watch_rules.

import {api, ApiError} from "./api.js";
import {clearChart, showChart} from "./chart.js";
import {$, show} from "./dom.js";
import {applyLabels, t} from "./i18n.js";
import {liveSource} from "./live.js";
import {relabelNotifications, startNotifications} from "./notifications.js";
import {loadPrefs, pageLanguage, savePrefs} from "./prefs.js";
import {forget, recentList, remember, renderRecent} from "./recent.js";
import {
  renderFailure, renderLoading, renderProgress, showLiveError,
} from "./render_progress.js";
import {renderResult} from "./render_result.js";
import {refreshQuota, showSession, startSession} from "./session.js";
import {relabelWatchlist, startWatchlist} from "./watchlist.js";

export {ApiError} from "./api.js";
export {readEvents, registerLiveSource} from "./live.js";
export {registerInboxSource} from "./inbox.js";
export {formatOscillator, formatPrice, priceDecimals} from "./format.js";

let following = null; // {id, controller}
let lastDoc = null;

// ---------------------------------------------------------------- the form

function formRequest() {
  return {
    symbol: $("symbol").value.trim(),
    timeframe: $("timeframe").value,
    language: $("language").value,
  };
}

function showFormError(err) {
  const field = err instanceof ApiError ? err.details.field : null;
  const wait = err instanceof ApiError && err.status === 429 && err.retryAfter
    && err.retryAfter < 3600 ? t(pageLanguage(), "try_again_in", {s: Math.ceil(err.retryAfter)}) : "";
  $("form-error").textContent = `${err.message}${wait}`;
  show($("form-error"), true);
  for (const id of ["symbol", "timeframe"]) {
    if (field === id) $(id).setAttribute("aria-invalid", "true");
    else $(id).removeAttribute("aria-invalid");
  }
  if (field === "symbol" || field === "timeframe") $(field).focus();
}

function clearFormError() {
  show($("form-error"), false);
  $("form-error").textContent = "";
  $("symbol").removeAttribute("aria-invalid");
  $("timeframe").removeAttribute("aria-invalid");
}

function setBusy(busy) {
  const button = $("analyze");
  button.disabled = busy;
  if (busy) button.setAttribute("aria-busy", "true");
  else button.removeAttribute("aria-busy");
  button.textContent = t(pageLanguage(), busy ? "requesting" : "analyze");
}

async function onSubmit(event) {
  event.preventDefault();
  clearFormError();
  const request = formRequest();
  setBusy(true);
  try {
    const created = await api.create(request);
    savePrefs(request);
    const provisional = {
      id: created.id, symbol: request.symbol.toUpperCase(), timeframe: request.timeframe,
      language: request.language, status: created.status, progress: 0,
      created_at: new Date().toISOString(), history: [], result: null, error: null,
    };
    remember(provisional);
    openAnalysis(created.id, provisional);
    refreshQuota();
  } catch (err) {
    showFormError(err);
  } finally {
    setBusy(false);
  }
}

// ---------------------------------------------------------------- following an analysis

function refreshRecent() {
  renderRecent(following ? following.id : null, (id) => openAnalysis(id));
}

function render(doc) {
  lastDoc = doc;
  renderProgress(doc);
  const completed = doc.status === "completed" && Boolean(doc.result);
  if (completed) renderResult(doc);
  show($("result"), completed);
  if (doc.status === "failed") renderFailure(doc);
  show($("failure"), doc.status === "failed");
}

function openAnalysis(id, known = null) {
  if (following) following.controller.abort();
  const controller = new AbortController();
  following = {id, controller};
  lastDoc = null;
  if (location.hash !== `#${id}`) history.replaceState(null, "", `#${id}`);
  for (const card of ["idle", "live-error", "result", "failure"]) show($(card), false);
  clearChart();
  refreshRecent();
  if (known) render(known);
  else renderLoading();
  const onUpdate = (doc) => {
    if (controller.signal.aborted) return;
    render(doc);
    remember(doc);
    refreshRecent();
  };
  let source;
  try {
    source = liveSource();
  } catch (err) {
    showLiveError(err.message, () => openAnalysis(id));
    return;
  }
  source.follow(id, onUpdate, controller.signal).then((doc) => {
    if (doc && doc.status === "completed") showChart(doc, controller.signal);
  }).catch((err) => {
    if (controller.signal.aborted || err.name === "AbortError") return;
    if (err instanceof ApiError && err.status === 404) {
      forget(id);
      refreshRecent();
      showLiveError(t(pageLanguage(), "not_found"), null);
      return;
    }
    showLiveError(err.message, () => openAnalysis(id));
  });
}

function openFromHash() {
  const id = decodeURIComponent(location.hash.slice(1));
  if (/^[A-Za-z0-9]{1,64}$/.test(id) && !(following && following.id === id)) {
    const known = recentList().find((item) => item.id === id);
    openAnalysis(id, known ? {...known, progress: 0, history: []} : null);
  }
}

// A notification's analysis: shown like a recent one (the hash names what is on screen).
function openFromNotification(id) {
  if (following && following.id === id) return;
  history.replaceState(null, "", `#${encodeURIComponent(id)}`);
  openFromHash();
  $("main").scrollIntoView({block: "start"});
}

// ---------------------------------------------------------------- page language

// The page's labels follow the language select; a result card keeps its analysis's language.
function relabel() {
  const lang = pageLanguage();
  document.documentElement.lang = lang;
  applyLabels(document.body, lang);
  setBusy($("analyze").disabled);
  showSession();
  refreshRecent();
  relabelNotifications();
  relabelWatchlist();
  if (lastDoc) render(lastDoc);
}

// ---------------------------------------------------------------- start

function start() {
  loadPrefs();
  startSession();
  startNotifications(openFromNotification);
  startWatchlist();
  relabel();
  $("analysis-form").addEventListener("submit", onSubmit);
  $("symbol").addEventListener("input", clearFormError);
  $("timeframe").addEventListener("change", clearFormError);
  $("language").addEventListener("change", relabel);
  window.addEventListener("hashchange", openFromHash);
  openFromHash();
  document.documentElement.dataset.ready = "true";
}

// Deferred modules run before DOMContentLoaded: a module loaded after this one can still
// register a live source before the page starts.
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();

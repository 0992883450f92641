// ChartGenius web app: request an analysis, follow it live, show the result.
// Plain ES module, no build step. Every string from the server reaches the page through
// textContent or an attribute — never innerHTML.

const config = {apiBase: "", live: "sse", devLogin: true, ...(window.CHARTGENIUS_CONFIG || {})};

const TOKEN_KEY = "chartgenius.token";
const USER_KEY = "chartgenius.user";
const PREFS_KEY = "chartgenius.prefs";
const RECENT_KEY = "chartgenius.recent";
const RECENT_MAX = 12;
// config.devLogin: true signs in as the seeded local user #1 keeping its role (admin, so
// local exploring has no daily quota); an object names another identity, e.g.
// {telegram_id: 2, role: "user"} to try the plain user's quota.
const DEV_LOGIN = typeof config.devLogin === "object" && config.devLogin
  ? config.devLogin : {telegram_id: 1};
const FINAL = new Set(["completed", "failed"]);

// ---------------------------------------------------------------- storage

const store = {
  get(area, key, fallback = null) {
    try {
      const raw = area.getItem(key);
      return raw === null ? fallback : JSON.parse(raw);
    } catch {
      return fallback;
    }
  },
  set(area, key, value) {
    try {
      if (value === null) area.removeItem(key);
      else area.setItem(key, JSON.stringify(value));
    } catch {
      // storage full or disabled: the page still works for this visit
    }
  },
};

// ---------------------------------------------------------------- API client

export class ApiError extends Error {
  constructor(status, body, fallback) {
    const error = (body && body.error) || {};
    super(error.message || fallback || `the server answered ${status}`);
    this.name = "ApiError";
    this.status = status;
    this.code = error.code || "http_" + status;
    this.details = error.details || {};
    this.retryAfter = null;
  }

  static async from(response) {
    let body = null;
    try {
      body = await response.json();
    } catch {
      // not JSON (a proxy's error page): the status says enough
    }
    const error = new ApiError(response.status, body);
    const retryAfter = Number(response.headers.get("Retry-After"));
    if (retryAfter > 0) error.retryAfter = retryAfter;
    return error;
  }
}

function apiUrl(path) {
  return config.apiBase.replace(/\/$/, "") + path;
}

async function send(path, init) {
  try {
    return await fetch(apiUrl(path), init);
  } catch (err) {
    if (err.name === "AbortError") throw err;
    throw new Error("cannot reach the server — check your connection and try again");
  }
}

const auth = {
  pending: null,
  token() {
    return store.get(localStorage, TOKEN_KEY);
  },
  forget() {
    store.set(localStorage, TOKEN_KEY, null);
  },
  // One sign-in at a time, however many requests found the token missing or stale.
  signIn() {
    if (!this.pending) {
      this.pending = this.devLogin().finally(() => { this.pending = null; });
    }
    return this.pending;
  },
  async devLogin() {
    if (!config.devLogin) throw new ApiError(401, null, "sign in to request an analysis");
    const response = await send("/api/auth/dev", {
      method: "POST",
      headers: {"Content-Type": "application/json"},
      body: JSON.stringify(DEV_LOGIN),
    });
    if (!response.ok) throw await ApiError.from(response);
    const body = await response.json();
    store.set(localStorage, TOKEN_KEY, body.token);
    store.set(localStorage, USER_KEY, body.user);
    showSession(body.user);
    return body.token;
  },
};

// A request with the bearer token; signs in when there is none, and once more on a 401.
async function authorized(path, init = {}) {
  for (let attempt = 0; ; attempt += 1) {
    const token = auth.token() || await auth.signIn();
    const headers = {...(init.headers || {}), Authorization: `Bearer ${token}`};
    const response = await send(path, {...init, headers});
    if (response.status !== 401 || attempt > 0) return response;
    auth.forget();
  }
}

async function json(response) {
  if (!response.ok) throw await ApiError.from(response);
  return response.json();
}

const api = {
  async create(request) {
    return json(await authorized("/api/analysis", {
      method: "POST",
      headers: {"Content-Type": "application/json"},
      body: JSON.stringify(request),
    }));
  },
  async me() {
    return json(await authorized("/api/me"));
  },
  async get(id, signal) {
    return json(await authorized(`/api/analysis/${encodeURIComponent(id)}`, {signal}));
  },
  // The events stream as a Response: fetch (not EventSource) so the Authorization header
  // is sent and the token never appears in a URL.
  async events(id, signal) {
    const response = await authorized(`/api/analysis/${encodeURIComponent(id)}/events`, {
      headers: {Accept: "text/event-stream"},
      cache: "no-store",
      signal,
    });
    if (!response.ok) throw await ApiError.from(response);
    return response;
  },
};

// ---------------------------------------------------------------- live updates
//
// A live source follows one analysis. follow(id, onUpdate, signal) calls onUpdate(doc) with
// the public analysis document (the shape of GET /api/analysis/{id}) whenever it changes,
// and resolves with the final document (completed or failed); it rejects with an AbortError
// when signal aborts. A Firestore source (onSnapshot on analyses/{id}) is added from another
// module with registerLiveSource("firestore", ({api, config}) => ({follow})) and selected
// with CHARTGENIUS_CONFIG.live = "firestore"; sources are looked up when an analysis opens,
// so a module loaded after this one is in time.

const liveSources = new Map();

export function registerLiveSource(name, factory) {
  liveSources.set(name, factory);
}

function liveSource() {
  const factory = liveSources.get(config.live);
  if (!factory) throw new Error(`unknown live source "${config.live}"`);
  return factory({api, config});
}

function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(new DOMException("aborted", "AbortError"));
    }, {once: true});
  });
}

// Server-Sent Events parsed from a byte stream (the subset of the spec the API uses:
// event, data, retry, comments).
export async function* readEvents(body) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  let type = "message";
  let data = [];
  try {
    for (;;) {
      const {value, done} = await reader.read();
      if (done) return;
      buffer += value;
      // A trailing "\r" may be the first half of "\r\n": keep it for the next chunk.
      const lines = buffer.split(/\r\n|\r(?!$)|\n/);
      buffer = lines.pop();
      for (const line of lines) {
        if (line === "") {
          if (data.length) yield {event: type, data: data.join("\n")};
          type = "message";
          data = [];
          continue;
        }
        if (line.startsWith(":")) continue;
        const colon = line.indexOf(":");
        const field = colon < 0 ? line : line.slice(0, colon);
        const text = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
        if (field === "event") type = text;
        else if (field === "data") data.push(text);
        else if (field === "retry" && /^\d+$/.test(text)) yield {event: "retry", data: text};
      }
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}

function isFatal(err) {
  return err instanceof ApiError && err.status >= 400 && err.status < 500 && err.status !== 429;
}

registerLiveSource("sse", ({api: client}) => ({
  async follow(id, onUpdate, signal) {
    let retryMs = 2000;
    let failures = 0;
    let lastError = null;
    for (;;) {
      try {
        const response = await client.events(id, signal);
        for await (const message of readEvents(response.body)) {
          if (message.event === "retry") retryMs = Number(message.data);
          if (message.event === "error") {
            throw new ApiError(404, null, JSON.parse(message.data).message);
          }
          if (message.event !== "status") continue;
          const doc = JSON.parse(message.data);
          failures = 0;
          onUpdate(doc);
          if (FINAL.has(doc.status)) return doc;
        }
      } catch (err) {
        if (signal.aborted || isFatal(err)) throw err;
        lastError = err;
      }
      // The stream ended before a final state (server time cap, dropped connection):
      // reconnect; the stream starts with the current state, so nothing is missed.
      failures += 1;
      if (failures > 5) throw lastError || new Error("the live stream keeps closing");
      await sleep(Math.min(retryMs * failures, 15000), signal);
    }
  },
}));

registerLiveSource("poll", ({api: client}) => ({
  async follow(id, onUpdate, signal) {
    let last = "";
    for (;;) {
      const doc = await client.get(id, signal);
      const state = `${doc.status}:${doc.progress}`;
      if (state !== last) {
        last = state;
        onUpdate(doc);
      }
      if (FINAL.has(doc.status)) return doc;
      await sleep(1000, signal);
    }
  },
}));

// ---------------------------------------------------------------- formatting

const formats = new Map();

function numberFormat(options) {
  const key = JSON.stringify(options);
  if (!formats.has(key)) formats.set(key, new Intl.NumberFormat("en-US", options));
  return formats.get(key);
}

function isNumber(value) {
  return typeof value === "number" && Number.isFinite(value);
}

// Decimals an exchange would quote this price with: about 5 significant digits, at least
// cents (109,624.05 · 25.371 · 0.23200), at most 8.
export function priceDecimals(price) {
  if (!isNumber(price) || price === 0) return 2;
  return Math.min(8, Math.max(2, 4 - Math.floor(Math.log10(Math.abs(price)))));
}

// Price-level values (price, EMAs, bands, ATR) share the price's decimals so a column lines up.
export function formatPrice(value, decimals) {
  return formatFixed(value, decimals);
}

// Oscillators around zero (MACD): cents when large, 4 significant digits when small.
export function formatOscillator(value) {
  if (!isNumber(value)) return "—";
  if (Math.abs(value) >= 100 || value === 0) return formatFixed(value, 2);
  return numberFormat({minimumSignificantDigits: 4, maximumSignificantDigits: 4}).format(value);
}

function formatFixed(value, digits) {
  if (!isNumber(value)) return "—";
  return numberFormat({minimumFractionDigits: digits, maximumFractionDigits: digits}).format(value);
}

function formatPercent(value) {
  if (!isNumber(value)) return "";
  return numberFormat({style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1})
    .format(value);
}

function pad(n, width = 2) {
  return String(n).padStart(width, "0");
}

function formatUtc(iso) {
  const moment = new Date(iso);
  if (Number.isNaN(moment.getTime())) return iso || "—";
  return `${moment.getUTCFullYear()}-${pad(moment.getUTCMonth() + 1)}-${pad(moment.getUTCDate())} `
    + `${pad(moment.getUTCHours())}:${pad(moment.getUTCMinutes())} UTC`;
}

function formatClock(iso) {
  const moment = new Date(iso);
  if (Number.isNaN(moment.getTime())) return "";
  return `${pad(moment.getHours())}:${pad(moment.getMinutes())}:${pad(moment.getSeconds())}`;
}

function formatDuration(ms) {
  if (!isNumber(ms) || ms < 0) return "";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60000)} min ${Math.round((ms % 60000) / 1000)} s`;
}

function humanize(name) {
  const text = String(name).replace(/_/g, " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const SIGNALS = {
  strong_sell: "Strong sell", sell: "Sell", neutral: "Neutral", buy: "Buy", strong_buy: "Strong buy",
};
const STATUS_TEXT = {
  queued: "Queued — waiting for a worker",
  fetching: "Fetching market data",
  analyzing: "Analyzing",
  completed: "Completed",
  failed: "Failed",
};
const PROVIDERS = {rule_based: "Rule-based analyst"};
const SOURCES = {replay: "Replay (bundled candles)"};
const VOTE_NAMES = {
  rsi: "RSI 14",
  macd: "MACD",
  price_vs_ema20: "Price vs EMA 20",
  ema20_vs_ema50: "EMA 20 vs EMA 50",
  ema50_vs_ema200: "EMA 50 vs EMA 200",
  bollinger: "Bollinger bands",
};

// ---------------------------------------------------------------- DOM helpers

const $ = (id) => document.getElementById(id);

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "className") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(key, value);
  }
  for (const child of children) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

function show(node, visible) {
  node.hidden = !visible;
}

// ---------------------------------------------------------------- session and preferences

function showSession(user, quota = null) {
  const session = $("session");
  if (!user) {
    session.textContent = config.devLogin ? "Dev login on first request" : "Not signed in";
    return;
  }
  const parts = [config.devLogin ? "Dev login" : null, `user #${user.telegram_id ?? user.id}`,
    user.role];
  if (quota && isNumber(quota.daily_analyses)) {
    parts.push(`${Math.max(0, quota.daily_analyses - (quota.used_today || 0))}`
      + `/${quota.daily_analyses} analyses left today`);
  }
  session.textContent = parts.filter(Boolean).join(" · ");
}

// Who is signed in and what is left of today's quota; optional (the API may not offer it).
async function refreshQuota() {
  if (!auth.token()) return;
  try {
    const me = await api.me();
    store.set(localStorage, USER_KEY, me.user);
    showSession(me.user, me.quota);
  } catch {
    // the badge keeps what it knows
  }
}

function loadPrefs() {
  const prefs = store.get(localStorage, PREFS_KEY, {});
  const browserRu = (navigator.language || "").toLowerCase().startsWith("ru");
  if (prefs.symbol) $("symbol").value = prefs.symbol;
  if (prefs.timeframe) $("timeframe").value = prefs.timeframe;
  $("language").value = prefs.language || (browserRu ? "ru" : "en");
  if (!$("timeframe").value) $("timeframe").value = "1d";
}

function savePrefs(request) {
  store.set(localStorage, PREFS_KEY, request);
}

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
    && err.retryAfter < 3600 ? ` (try again in ${Math.ceil(err.retryAfter)} s)` : "";
  const message = `${err.message}${wait}`;
  $("form-error").textContent = message;
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

async function onSubmit(event) {
  event.preventDefault();
  clearFormError();
  const request = formRequest();
  const button = $("analyze");
  button.disabled = true;
  button.setAttribute("aria-busy", "true");
  button.textContent = "Requesting…";
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
    button.disabled = false;
    button.removeAttribute("aria-busy");
    button.textContent = "Analyze";
  }
}

// ---------------------------------------------------------------- following an analysis

let following = null; // {id, controller}

function openAnalysis(id, known = null) {
  if (following) following.controller.abort();
  const controller = new AbortController();
  following = {id, controller};
  if (location.hash !== `#${id}`) history.replaceState(null, "", `#${id}`);
  show($("idle"), false);
  show($("live-error"), false);
  show($("result"), false);
  show($("failure"), false);
  clearChart();
  renderRecent();
  if (known) render(known);
  else renderLoading();
  const onUpdate = (doc) => {
    if (controller.signal.aborted) return;
    render(doc);
    remember(doc);
  };
  let source;
  try {
    source = liveSource();
  } catch (err) {
    showLiveError(err, id);
    return;
  }
  source.follow(id, onUpdate, controller.signal).then((doc) => {
    if (doc && doc.status === "completed") showChart(doc, controller.signal);
  }).catch((err) => {
    if (controller.signal.aborted || err.name === "AbortError") return;
    if (err instanceof ApiError && err.status === 404) {
      forget(id);
      showLiveError(new Error("this analysis does not exist (or is not yours)"), null);
      return;
    }
    showLiveError(err, id);
  });
}

// The chart is drawn after the result is stored and needs the bearer token, so it is fetched
// (a few tries while it is drawn) and shown from a blob URL; without one the panel stays hidden.
let chartUrl = null;

function clearChart() {
  show($("chart"), false);
  $("chart-img").removeAttribute("src");
  if (chartUrl) URL.revokeObjectURL(chartUrl);
  chartUrl = null;
}

async function showChart(doc, signal) {
  try {
    for (const wait of [0, 500, 1000, 2000, 4000]) {
      await sleep(wait, signal);
      const response = await authorized(
        `/api/analysis/${encodeURIComponent(doc.id)}/chart.png`, {signal});
      if (response.status === 404) continue;
      if (!response.ok || !(response.headers.get("Content-Type") || "").startsWith("image/")) return;
      const blob = await response.blob();
      if (signal.aborted) return;
      clearChart();
      chartUrl = URL.createObjectURL(blob);
      $("chart-img").src = chartUrl;
      $("chart-img").alt = `${doc.symbol} ${doc.timeframe} chart with indicators`;
      show($("chart"), true);
      return;
    }
  } catch {
    // a chart is an extra: the result is already on the page
  }
}

function showLiveError(err, id) {
  $("live-error-text").textContent = `Live updates stopped: ${err.message}`;
  const retry = $("live-retry");
  show(retry, Boolean(id));
  retry.onclick = id ? () => openAnalysis(id) : null;
  show($("progress-card"), true);
  show($("live-error"), true);
}

function renderLoading() {
  show($("progress-card"), true);
  $("progress-subject").textContent = "Loading…";
  $("status").textContent = "Loading the analysis";
  delete $("status").dataset.status;
  delete $("status").dataset.text;
}

function render(doc) {
  renderProgress(doc);
  if (doc.status === "completed" && doc.result) renderResult(doc);
  show($("result"), doc.status === "completed" && Boolean(doc.result));
  if (doc.status === "failed") renderFailure(doc);
  show($("failure"), doc.status === "failed");
}

function renderProgress(doc) {
  show($("progress-card"), true);
  $("progress-card").dataset.analysisId = doc.id;
  $("progress-subject").textContent = `${doc.symbol} · ${doc.timeframe}`;
  const status = $("status");
  const progress = doc.status === "completed" ? 100 : Math.max(0, Math.min(100, doc.progress || 0));
  const took = FINAL.has(doc.status) && doc.updated_at
    ? ` in ${formatDuration(new Date(doc.updated_at) - new Date(doc.created_at))}` : "";
  const text = FINAL.has(doc.status)
    ? `${STATUS_TEXT[doc.status]}${took}`
    : `${STATUS_TEXT[doc.status] || humanize(doc.status)}… ${progress}%`;
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
  renderSteps(doc);
}

function renderSteps(doc) {
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
    item.querySelector(".step-name").textContent = step === "done" && final
      ? humanize(final) : humanize(step);
    const time = item.querySelector(".step-time");
    time.textContent = at ? (step === "queued" ? formatClock(at)
      : `+${formatDuration(new Date(at).getTime() - start)}`) : "";
    if (at) time.setAttribute("datetime", at);
    else time.removeAttribute("datetime");
    if (active) item.setAttribute("aria-current", "step");
    else item.removeAttribute("aria-current");
  }
}

function renderFailure(doc) {
  $("failure-reason").textContent = doc.error || "The analysis failed without a reason.";
  const tried = (doc.sources_tried || []).join("; ");
  $("failure-sources").textContent = tried ? `Sources tried: ${tried}` : "";
  show($("failure-sources"), Boolean(tried));
}

function renderResult(doc) {
  const result = doc.result;
  $("result").dataset.analysisId = doc.id;
  $("result-title").textContent = `${result.symbol} · ${result.timeframe}`;
  $("price").textContent = formatPrice(result.price, priceDecimals(result.price));
  $("quote").textContent = String(result.symbol || "").split("/")[1] || "";
  const signal = $("signal");
  signal.textContent = SIGNALS[result.signal] || humanize(result.signal);
  signal.dataset.signal = result.signal;
  const confidence = isNumber(result.confidence) ? result.confidence : 0;
  $("confidence").textContent = `${Math.round(confidence * 100)}%`;
  $("confidence-fill").style.setProperty("width", `${Math.round(confidence * 100)}%`);
  $("confidence-fill").dataset.signal = result.signal;
  $("as-of").textContent = formatUtc(result.as_of);
  $("source").textContent = SOURCES[result.source] || result.source || "—";
  $("provider").textContent = PROVIDERS[result.provider] || result.provider || "—";
  const summary = $("summary");
  summary.textContent = result.summary || "";
  summary.setAttribute("lang", result.language || doc.language || "en");
  renderIndicators(result);
  renderVotes(result.votes || {});
}

// Each row: label, key, scale ("rsi" | "osc" | "price"), and a reading from value and price.
const INDICATOR_ROWS = [
  ["RSI 14", "rsi_14", "rsi", (v) => v >= 70 ? ["overbought", "down"] : v <= 30 ? ["oversold", "up"] : ["neutral", ""]],
  ["MACD", "macd", "osc", (v, r) => isNumber(r.macd_signal)
    ? (v >= r.macd_signal ? ["above signal", "up"] : ["below signal", "down"]) : null],
  ["MACD signal", "macd_signal", "osc", null],
  ["MACD histogram", "macd_hist", "osc", (v) => v >= 0 ? ["momentum rising", "up"] : ["momentum falling", "down"]],
  ["EMA 20", "ema_20", "price", versusPrice],
  ["EMA 50", "ema_50", "price", versusPrice],
  ["EMA 200", "ema_200", "price", versusPrice],
  ["Bollinger upper", "bb_upper", "price", versusPrice],
  ["Bollinger middle", "bb_middle", "price", versusPrice],
  ["Bollinger lower", "bb_lower", "price", versusPrice],
  ["ATR 14", "atr_14", "price", (v, r, price) => isNumber(price) && price
    ? [`${formatPercent(v / price)} of price`, ""] : null],
];

function versusPrice(level, indicators, price) {
  if (!isNumber(price) || !level) return null;
  const gap = (price - level) / level;
  return [`price ${formatPercent(Math.abs(gap))} ${gap >= 0 ? "above" : "below"}`, gap >= 0 ? "up" : "down"];
}

function renderIndicators(result) {
  const indicators = result.indicators || {};
  const decimals = priceDecimals(result.price);
  const format = {
    rsi: (v) => formatFixed(v, 1), osc: formatOscillator, price: (v) => formatPrice(v, decimals),
  };
  const rows = INDICATOR_ROWS.map(([label, key, scale, read]) => {
    const value = indicators[key];
    const known = isNumber(value);
    const reading = known && read ? read(value, indicators, result.price) : null;
    return el("tr", {dataset: {key}},
      el("th", {scope: "row", text: label}),
      el("td", {
        className: "num", text: format[scale](value),
        "data-testid": `indicator-${key}`, "data-value": known ? String(value) : "",
      }),
      el("td", {className: `reading ${reading ? reading[1] : ""}`, text: reading ? reading[0] : ""}),
    );
  });
  $("indicator-rows").replaceChildren(...rows);
}

function renderVotes(votes) {
  const entries = Object.entries(votes);
  const counts = {1: 0, 0: 0, [-1]: 0};
  const items = entries.map(([name, vote]) => {
    const side = vote > 0 ? "bullish" : vote < 0 ? "bearish" : "neutral";
    counts[Math.sign(vote)] += 1;
    return el("li", {className: `vote ${side}`, dataset: {name, vote: String(vote)}},
      el("span", {className: "vote-name", text: VOTE_NAMES[name] || humanize(name)}),
      el("span", {className: "vote-side"},
        el("span", {className: "vote-icon", "aria-hidden": "true",
          text: vote > 0 ? "▲" : vote < 0 ? "▼" : "●"}),
        ` ${side}`),
    );
  });
  $("votes").replaceChildren(...items);
  $("vote-tally").textContent = entries.length
    ? `${counts[1]} bullish · ${counts[-1]} bearish · ${counts[0]} neutral` : "none";
}

// ---------------------------------------------------------------- recent analyses

function recentList() {
  const list = store.get(sessionStorage, RECENT_KEY, []);
  return Array.isArray(list) ? list : [];
}

function remember(doc) {
  const list = recentList();
  const entry = {
    id: doc.id, symbol: doc.symbol, timeframe: doc.timeframe, language: doc.language,
    status: doc.status, signal: doc.result ? doc.result.signal : null,
    created_at: doc.created_at,
  };
  const index = list.findIndex((item) => item.id === doc.id);
  if (index >= 0) list[index] = {...list[index], ...entry, created_at: list[index].created_at};
  else list.unshift(entry);
  store.set(sessionStorage, RECENT_KEY, list.slice(0, RECENT_MAX));
  renderRecent();
}

function forget(id) {
  store.set(sessionStorage, RECENT_KEY, recentList().filter((item) => item.id !== id));
  renderRecent();
}

function renderRecent() {
  const list = recentList();
  show($("recent-empty"), list.length === 0);
  const items = list.map((item) => {
    const current = following && following.id === item.id;
    const badge = item.status === "completed" && item.signal
      ? el("span", {className: "badge signal-badge", dataset: {signal: item.signal},
        text: SIGNALS[item.signal] || humanize(item.signal)})
      : el("span", {className: `badge status-badge ${item.status}`, text: humanize(item.status)});
    const button = el("button", {
      type: "button", className: "recent-item", "data-testid": "recent-item",
      "aria-current": current ? "true" : null, dataset: {id: item.id},
    },
    el("span", {className: "recent-subject", text: `${item.symbol} · ${item.timeframe}`}),
    badge,
    el("time", {className: "recent-time muted small", datetime: item.created_at,
      text: formatClock(item.created_at)}),
    );
    button.addEventListener("click", () => openAnalysis(item.id));
    return el("li", {}, button);
  });
  $("recent").replaceChildren(...items);
}

// ---------------------------------------------------------------- start

function openFromHash() {
  const id = decodeURIComponent(location.hash.slice(1));
  if (/^[A-Za-z0-9]{1,64}$/.test(id) && !(following && following.id === id)) {
    const known = recentList().find((item) => item.id === id);
    openAnalysis(id, known ? {...known, progress: 0, history: []} : null);
  }
}

function start() {
  showSession(store.get(localStorage, USER_KEY));
  refreshQuota();
  loadPrefs();
  renderRecent();
  $("analysis-form").addEventListener("submit", onSubmit);
  $("symbol").addEventListener("input", clearFormError);
  $("timeframe").addEventListener("change", clearFormError);
  window.addEventListener("hashchange", openFromHash);
  openFromHash();
  document.documentElement.dataset.ready = "true";
}

// Deferred modules run before DOMContentLoaded: a module loaded after this one can still
// register a live source before the page starts.
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();

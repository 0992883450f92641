// The bell in the top bar (live unread count) and its panel: my notifications, newest first.
// An analysis notification opens that analysis on the page; an alert shows the alert's text.

import {api} from "./api.js";
import {$, el, show} from "./dom.js";
import {formatClock} from "./format.js";
import {t} from "./i18n.js";
import {inboxSource} from "./inbox.js";
import {pageLanguage} from "./prefs.js";

const KEEP = 50;
const state = {items: [], unread: 0, error: ""};
let openAnalysisById = () => {};

function when(iso) {
  const moment = new Date(iso);
  if (Number.isNaN(moment.getTime())) return "";
  const today = new Date().toDateString() === moment.toDateString();
  return today ? formatClock(iso).slice(0, 5)
    : `${moment.toISOString().slice(0, 10)} ${formatClock(iso).slice(0, 5)}`;
}

function setUnread(count) {
  state.unread = Math.max(0, Number(count) || 0);
  const badge = $("unread-count");
  badge.textContent = state.unread > 99 ? "99+" : String(state.unread);
  show(badge, state.unread > 0);
  $("bell").setAttribute("aria-label", t(pageLanguage(), "bell_label", {n: state.unread}));
  $("mark-all-read").disabled = state.unread === 0;
}

async function markRead(item) {
  if (item.read) return;
  try {
    const answer = await api.markRead(item.id);
    item.read = true;
    setUnread(answer.unread);
    renderList();
  } catch (err) {
    showError(err.message);
  }
}

async function markAll() {
  try {
    const answer = await api.markAllRead();
    for (const item of state.items) item.read = true;
    setUnread(answer.unread);
    renderList();
  } catch (err) {
    showError(err.message);
  }
}

function showError(message) {
  state.error = message;
  $("notifications-error").textContent = message;
  show($("notifications-error"), Boolean(message));
}

function itemNode(item, lang) {
  const opens = Boolean(item.analysis_id);
  const kind = item.kind === "alert.triggered" ? t(lang, "kind_alert")
    : opens ? t(lang, "kind_analysis") : "";
  const content = [
    el("span", {className: "notification-meta muted small"},
      el("span", {text: kind}), " · ",
      el("time", {datetime: item.created_at, text: when(item.created_at)})),
    el("strong", {className: "notification-title", text: item.title || ""}),
    el("span", {className: "notification-body", text: item.body || ""}),
  ];
  const main = opens
    ? el("button", {type: "button", className: "notification-main notification-open",
      "data-testid": "notification-open", title: t(lang, "open_analysis")}, ...content)
    : el("div", {className: "notification-main"}, ...content);
  if (opens) {
    main.addEventListener("click", () => {
      markRead(item);
      togglePanel(false);
      openAnalysisById(item.analysis_id);
    });
  }
  const read = item.read ? null : el("button", {
    type: "button", className: "button-ghost small", "data-testid": "notification-read",
    text: t(lang, "mark_read")});
  if (read) read.addEventListener("click", () => markRead(item));
  return el("li", {className: "notification", "data-testid": "notification",
    dataset: {id: item.id, kind: item.kind || "", read: String(Boolean(item.read))}}, main, read);
}

function renderList() {
  const lang = pageLanguage();
  show($("notifications-empty"), state.items.length === 0);
  $("notifications").replaceChildren(...state.items.map((item) => itemNode(item, lang)));
}

// The list from the API, merged with what the stream added meanwhile; the count comes from
// the live source when there is one (it is never older than this answer).
async function reload(withCount = false) {
  try {
    const page = await api.notifications(20);
    const listed = new Set(page.items.map((item) => item.id));
    state.items = [...page.items, ...state.items.filter((item) => !listed.has(item.id))]
      .sort((a, b) => String(b.created_at).localeCompare(String(a.created_at))).slice(0, KEEP);
    if (withCount) setUnread(page.unread);
    showError("");
    renderList();
  } catch (err) {
    showError(err.message);
  }
}

function added(item) {
  if (state.items.some((known) => known.id === item.id)) return;
  state.items = [item, ...state.items].slice(0, KEEP);
  renderList();
}

function togglePanel(open = $("notifications-panel").hidden) {
  show($("notifications-panel"), open);
  $("bell").setAttribute("aria-expanded", String(open));
  if (open) $("notifications-panel").focus();
}

export function relabelNotifications() {
  setUnread(state.unread);
  renderList();
}

// onOpenAnalysis(id) shows an analysis on the page.
export function startNotifications(onOpenAnalysis) {
  openAnalysisById = onOpenAnalysis;
  $("bell").addEventListener("click", () => togglePanel());
  $("mark-all-read").addEventListener("click", markAll);
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !$("notifications-panel").hidden) {
      togglePanel(false);
      $("bell").focus();
    }
  });
  setUnread(0);
  renderList();
  const source = inboxSource();
  if (!source) {
    reload(true);
    return;
  }
  source.follow({connected: () => reload(), unread: setUnread, added},
    new AbortController().signal).catch(() => {});
}

// The analyses of this browser session, newest first (sessionStorage).

import {$, el, show} from "./dom.js";
import {formatClock, humanize} from "./format.js";
import {t} from "./i18n.js";
import {pageLanguage} from "./prefs.js";
import {signalName} from "./render_result.js";
import {RECENT_KEY, store} from "./storage.js";

const RECENT_MAX = 12;

export function recentList() {
  const list = store.get(sessionStorage, RECENT_KEY, []);
  return Array.isArray(list) ? list : [];
}

export function remember(doc) {
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
}

export function forget(id) {
  store.set(sessionStorage, RECENT_KEY, recentList().filter((item) => item.id !== id));
}

// onOpen(id) is called when an item is clicked; currentId marks the one on screen.
export function renderRecent(currentId, onOpen) {
  const lang = pageLanguage();
  const list = recentList();
  show($("recent-empty"), list.length === 0);
  const items = list.map((item) => {
    const badge = item.status === "completed" && item.signal
      ? el("span", {className: "badge signal-badge", dataset: {signal: item.signal},
        text: signalName(item.signal, lang)})
      : el("span", {className: `badge status-badge ${item.status}`,
        text: t(lang, `step_${item.status}`) === `step_${item.status}` ? humanize(item.status)
          : t(lang, `step_${item.status}`)});
    const button = el("button", {
      type: "button", className: "recent-item", "data-testid": "recent-item",
      "aria-current": currentId === item.id ? "true" : null, dataset: {id: item.id},
    },
    el("span", {className: "recent-subject", text: `${item.symbol} · ${item.timeframe}`}),
    badge,
    el("time", {className: "recent-time muted small", datetime: item.created_at,
      text: `${formatClock(item.created_at)}${item.language === "ru" ? " · RU" : ""}`}),
    );
    button.addEventListener("click", () => onOpen(item.id));
    return el("li", {}, button);
  });
  $("recent").replaceChildren(...items);
}

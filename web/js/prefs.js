// The form's remembered choices and the page language (the language select).

import {$} from "./dom.js";
import {pick} from "./i18n.js";
import {PREFS_KEY, store} from "./storage.js";

export function pageLanguage() {
  return pick($("language").value);
}

export function loadPrefs() {
  const prefs = store.get(localStorage, PREFS_KEY, {});
  const browserRu = (navigator.language || "").toLowerCase().startsWith("ru");
  if (prefs.symbol) $("symbol").value = prefs.symbol;
  if (prefs.timeframe) $("timeframe").value = prefs.timeframe;
  $("language").value = prefs.language || (browserRu ? "ru" : "en");
  if (!$("timeframe").value) $("timeframe").value = "1d";
}

export function savePrefs(request) {
  store.set(localStorage, PREFS_KEY, request);
}

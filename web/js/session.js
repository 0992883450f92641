// Who is signed in and what is left of today's quota, in the top bar.

import {api, auth} from "./api.js";
import {$} from "./dom.js";
import {isNumber} from "./format.js";
import {t} from "./i18n.js";
import {pageLanguage} from "./prefs.js";
import {config} from "./settings.js";
import {store, USER_KEY} from "./storage.js";

let shown = {user: null, quota: null};

export function showSession(user = shown.user, quota = shown.quota) {
  shown = {user, quota};
  const lang = pageLanguage();
  const session = $("session");
  if (!user) {
    session.textContent = t(lang, config.devLogin ? "dev_first" : "not_signed_in");
    return;
  }
  const parts = [config.devLogin ? t(lang, "dev_login") : null,
    t(lang, "user_n", {id: user.telegram_id ?? user.id}), user.role];
  if (quota && isNumber(quota.daily_analyses)) {
    parts.push(t(lang, "left_today", {
      left: Math.max(0, quota.daily_analyses - (quota.used_today || 0)),
      total: quota.daily_analyses,
    }));
  }
  session.textContent = parts.filter(Boolean).join(" · ");
}

// Optional: the API may not offer /api/me; the badge then keeps what it knows.
export async function refreshQuota() {
  if (!auth.token()) return;
  try {
    const me = await api.me();
    store.set(localStorage, USER_KEY, me.user);
    showSession(me.user, me.quota);
  } catch {
    // see above
  }
}

export function startSession() {
  auth.onUser = (user) => showSession(user, null);
  showSession(store.get(localStorage, USER_KEY), null);
  refreshQuota();
}

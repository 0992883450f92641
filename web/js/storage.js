// JSON in localStorage / sessionStorage that never throws (storage full or disabled: the page
// still works for this visit).

export const TOKEN_KEY = "chartgenius.token";
export const USER_KEY = "chartgenius.user";
export const PREFS_KEY = "chartgenius.prefs";
export const RECENT_KEY = "chartgenius.recent";

export const store = {
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
      // see above
    }
  },
};

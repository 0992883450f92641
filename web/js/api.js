// The API client: errors with the server's reason, dev sign-in, bearer-token requests.

import {config, DEV_LOGIN} from "./settings.js";
import {store, TOKEN_KEY, USER_KEY} from "./storage.js";

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

export const auth = {
  pending: null,
  // Called with the user after each sign-in (the page shows who is signed in).
  onUser: () => {},
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
    this.onUser(body.user);
    return body.token;
  },
};

// A request with the bearer token; signs in when there is none, and once more on a 401.
export async function authorized(path, init = {}) {
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

const analysisPath = (id) => `/api/analysis/${encodeURIComponent(id)}`;
const sendJson = (method, body) => ({
  method, headers: {"Content-Type": "application/json"}, body: JSON.stringify(body),
});

export const api = {
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
    return json(await authorized(analysisPath(id), {signal}));
  },
  // The events stream as a Response: fetch (not EventSource) so the Authorization header
  // is sent and the token never appears in a URL.
  async events(id, signal) {
    const response = await authorized(`${analysisPath(id)}/events`, {
      headers: {Accept: "text/event-stream"},
      cache: "no-store",
      signal,
    });
    if (!response.ok) throw await ApiError.from(response);
    return response;
  },
  // The chart PNG as a Response (404 while it is still being drawn).
  async chart(id, signal) {
    return authorized(`${analysisPath(id)}/chart.png`, {signal});
  },
  // Notifications: mine newest first with the unread count, mark read, and the live stream
  // (unread count and new notifications) as a Response like events().
  async notifications(limit = 20) {
    return json(await authorized(`/api/notifications?limit=${limit}`));
  },
  async markRead(id) {
    const path = `/api/notifications/${encodeURIComponent(id)}/read`;
    return json(await authorized(path, {method: "POST"}));
  },
  async markAllRead() {
    return json(await authorized("/api/notifications/read-all", {method: "POST"}));
  },
  async inboxEvents(signal) {
    const response = await authorized("/api/notifications/events", {
      headers: {Accept: "text/event-stream"}, cache: "no-store", signal,
    });
    if (!response.ok) throw await ApiError.from(response);
    return response;
  },
  // The watchlist.
  async watchList() {
    return json(await authorized("/api/watch"));
  },
  async watchAdd(item) {
    return json(await authorized("/api/watch", sendJson("POST", item)));
  },
  async watchDelete(id) {
    const response = await authorized(`/api/watch/${encodeURIComponent(id)}`, {method: "DELETE"});
    if (!response.ok) throw await ApiError.from(response);
  },
};

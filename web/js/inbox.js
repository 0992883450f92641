// The live inbox: the unread count and new notifications as they arrive. An inbox source's
// follow(handlers, signal) calls handlers.connected() each time it (re)connects — the page then
// reloads the list — handlers.unread(n) when the count changes and handlers.added(item) for a
// notification created since; it runs until signal aborts. "sse" reads the API's
// /api/notifications/events (fed by the store's listener on inboxes/{user}); "poll" asks
// GET /api/notifications every 15 s. A Firestore source (onSnapshot on inboxes/{uid}) is added
// with registerInboxSource("firestore", ({api, config}) => ({follow})), picked by
// CHARTGENIUS_CONFIG.live like the analysis sources.

import {api, ApiError} from "./api.js";
import {readEvents, sleep} from "./live.js";
import {config} from "./settings.js";

const sources = new Map();

export function registerInboxSource(name, factory) {
  sources.set(name, factory);
}

export function inboxSource() {
  const factory = sources.get(config.live);
  return factory ? factory({api, config}) : null;
}

function gone(err) {
  // The API has no inbox (404) or refuses it for good: stop instead of retrying forever.
  return err instanceof ApiError && [403, 404, 405].includes(err.status);
}

registerInboxSource("sse", ({api: client}) => ({
  async follow(handlers, signal) {
    let retryMs = 2000;
    let failures = 0;
    for (;;) {
      try {
        const response = await client.inboxEvents(signal);
        let first = true;
        for await (const message of readEvents(response.body)) {
          if (message.event === "retry") retryMs = Number(message.data);
          if (first && message.event !== "retry") {
            first = false;
            failures = 0;
            handlers.connected();
          }
          if (message.event === "unread") handlers.unread(JSON.parse(message.data).unread);
          if (message.event === "notification") handlers.added(JSON.parse(message.data));
        }
      } catch (err) {
        if (signal.aborted || gone(err)) return;
      }
      // The stream ends every few minutes (server cap) or drops: reconnect, slower each time.
      failures += 1;
      await sleep(Math.min(retryMs * failures, 30000), signal).catch(() => {});
      if (signal.aborted) return;
    }
  },
}));

registerInboxSource("poll", ({api: client}) => ({
  async follow(handlers, signal) {
    const known = new Set();
    for (let round = 0; !signal.aborted; round += 1) {
      try {
        const page = await client.notifications();
        if (round === 0) handlers.connected();
        for (const item of page.items.slice().reverse()) {
          if (round > 0 && !known.has(item.id)) handlers.added(item);
          known.add(item.id);
        }
        handlers.unread(page.unread);
      } catch (err) {
        if (gone(err)) return;
      }
      await sleep(15000, signal).catch(() => {});
    }
  },
}));

// Live updates: a live source follows one analysis. follow(id, onUpdate, signal) calls
// onUpdate(doc) with the public analysis document (the shape of GET /api/analysis/{id})
// whenever it changes, and resolves with the final document (completed or failed); it
// rejects with an AbortError when signal aborts. A Firestore source (onSnapshot on
// analyses/{id}) is added from another module with
// registerLiveSource("firestore", ({api, config}) => ({follow})) and selected with
// CHARTGENIUS_CONFIG.live = "firestore"; sources are looked up when an analysis opens, so a
// module loaded after this one is in time.

import {api, ApiError} from "./api.js";
import {config, FINAL} from "./settings.js";

const liveSources = new Map();

export function registerLiveSource(name, factory) {
  liveSources.set(name, factory);
}

export function liveSource() {
  const factory = liveSources.get(config.live);
  if (!factory) throw new Error(`unknown live source "${config.live}"`);
  return factory({api, config});
}

export function sleep(ms, signal) {
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

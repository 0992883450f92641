// The "sse" live source: the API's /api/analysis/{id}/events and /api/notifications/events
// streams. A stream that ends before the final state (server time cap, dropped connection)
// is reopened; it starts with the current state, so nothing is missed.

import {ApiError, authorized} from "../api/client";
import {FINAL, type Analysis, type Notification} from "../api/types";
import {readEvents} from "./sse_parse";
import {sleep, type ConnectionHandler, type InboxHandlers, type LiveSource} from "./source";

async function open(path: string, signal: AbortSignal): Promise<ReadableStream<Uint8Array>> {
  const response = await authorized(path, {headers: {Accept: "text/event-stream"},
    cache: "no-store", signal});
  if (!response.ok || !response.body) throw await ApiError.from(response);
  return response.body;
}

function fatal(err: unknown): boolean {
  return err instanceof ApiError && err.status >= 400 && err.status < 500 && err.status !== 429;
}

async function followAnalysis(id: string, onUpdate: (doc: Analysis) => void, signal: AbortSignal,
  onConnection: ConnectionHandler = () => undefined): Promise<Analysis> {
  let retryMs = 2000;
  let failures = 0;
  let lastError: unknown = null;
  for (;;) {
    try {
      const body = await open(`/api/analysis/${encodeURIComponent(id)}/events`, signal);
      for await (const message of readEvents(body)) {
        if (message.event === "retry") retryMs = Number(message.data);
        if (message.event === "error") {
          throw new ApiError(404, null, (JSON.parse(message.data) as {message: string}).message);
        }
        if (message.event !== "status") continue;
        const doc = JSON.parse(message.data) as Analysis;
        failures = 0;
        onConnection(true);
        onUpdate(doc);
        if (FINAL.has(doc.status)) return doc;
      }
    } catch (err) {
      if (signal.aborted || fatal(err)) throw err;
      lastError = err;
    }
    failures += 1;
    if (failures > 1) onConnection(false);  // a stream the server closed on time is not "down"
    if (failures > 5) throw lastError ?? new Error("the live stream keeps closing");
    await sleep(Math.min(retryMs * failures, 15000), signal);
  }
}

async function followInbox(handlers: InboxHandlers, signal: AbortSignal,
  onConnection: ConnectionHandler = () => undefined): Promise<void> {
  let retryMs = 2000;
  let failures = 0;
  for (;;) {
    try {
      const body = await open("/api/notifications/events", signal);
      let first = true;
      for await (const message of readEvents(body)) {
        if (message.event === "retry") retryMs = Number(message.data);
        if (first && message.event !== "retry") {
          first = false;
          failures = 0;
          onConnection(true);
          handlers.connected();
        }
        if (message.event === "unread") {
          handlers.unread((JSON.parse(message.data) as {unread: number}).unread);
        }
        if (message.event === "notification") handlers.added(JSON.parse(message.data) as Notification);
      }
    } catch (err) {
      if (signal.aborted || (err instanceof ApiError && [403, 404, 405].includes(err.status))) return;
    }
    failures += 1;
    if (failures > 1) onConnection(false);
    await sleep(Math.min(retryMs * failures, 30000), signal).catch(() => undefined);
    if (signal.aborted) return;
  }
}

export const sseSource: LiveSource = {followAnalysis, followInbox};

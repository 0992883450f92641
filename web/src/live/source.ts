// Live updates behind one interface, two transports (chosen by the runtime config's `live`):
// "sse" reads the local API's event streams, "firestore" listens with the Firebase JS SDK.
// Components never know which one runs.

import type {Analysis, Notification} from "../api/types";

export interface InboxHandlers {
  /** (Re)connected: the page reloads the list (what happened while away). */
  connected(): void;
  unread(count: number): void;
  added(item: Notification): void;
}

export interface ConnectionHandler {
  /** The transport is up (true) or lost and retrying (false). */
  (up: boolean): void;
}

export interface LiveSource {
  /** Calls onUpdate with the public analysis document whenever it changes; resolves with the
   *  final document (completed or failed), rejects with an AbortError when signal aborts. */
  followAnalysis(id: string, onUpdate: (doc: Analysis) => void, signal: AbortSignal,
    onConnection?: ConnectionHandler): Promise<Analysis>;
  /** Runs until signal aborts. */
  followInbox(handlers: InboxHandlers, signal: AbortSignal,
    onConnection?: ConnectionHandler): Promise<void>;
}

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(new DOMException("aborted", "AbortError"));
      return;
    }
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(new DOMException("aborted", "AbortError"));
    }, {once: true});
  });
}

export function aborted(): DOMException {
  return new DOMException("aborted", "AbortError");
}

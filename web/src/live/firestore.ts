// The "firestore" live source: the Firebase JS SDK signs in with the custom token the API's
// sign-in answer carries (firebase_token), then listens with onSnapshot to analyses_public/{id}, the
// user's inboxes/{uid} document and their notifications. The security rules (infra/) let a
// user read only their own documents, so every query says where("user_id", "==", uid).
//
// The same module runs in the browser and under Node (tests/unit/live_firestore.test.ts
// against the Firestore emulator): `emulator` points it there, and `appPerListener` gives each
// listener its own app, because that emulator answers only the first target of a stream.

import {initializeApp, type FirebaseApp} from "firebase/app";
import {
  collection, connectFirestoreEmulator, doc, getFirestore, limit, onSnapshot, orderBy, query,
  where, type DocumentData, type Firestore,
} from "firebase/firestore";
import {FINAL, type Analysis, type Notification} from "../api/types";
import type {FirebaseWebConfig} from "../config";
import {aborted, type ConnectionHandler, type InboxHandlers, type LiveSource} from "./source";

/** The browser's copy of each analysis (decision 0076): no internal fields, gone when hidden. */
export const ANALYSES = "analyses_public";
export const INBOXES = "inboxes";
export const NOTIFICATIONS = "notifications";

export interface FirestoreOptions {
  firebase: FirebaseWebConfig;
  /** The signed-in user's id (the custom token's uid). */
  userId: string;
  /** The API's firebase_token; omitted only against the emulator (no Auth there). */
  customToken?: () => Promise<string | null>;
  emulator?: {host: string; port: number};
  appPerListener?: boolean;
}

const ANALYSIS_FIELDS = ["symbol", "timeframe", "language", "status", "progress", "created_at",
  "updated_at", "history", "result", "error", "source", "sources_tried"] as const;

/** Firestore Timestamps (if a writer stored real timestamps) become ISO strings. */
function plain(value: unknown): unknown {
  if (value && typeof value === "object") {
    const stamp = value as {toDate?: () => Date};
    if (typeof stamp.toDate === "function") return stamp.toDate().toISOString();
    if (Array.isArray(value)) return value.map(plain);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

/** The public view of an analysis document (what GET /api/analysis/{id} shows). */
export function publicAnalysis(id: string, data: DocumentData): Analysis {
  const view: Record<string, unknown> = {id, history: [], sources_tried: [], result: null,
    error: null, source: null, progress: 0};
  for (const field of ANALYSIS_FIELDS) {
    if (data[field] !== undefined) view[field] = plain(data[field]);
  }
  return view as unknown as Analysis;
}

export function publicNotification(id: string, data: DocumentData): Notification {
  return {id, kind: String(data.kind ?? ""), title: String(data.title ?? ""),
    body: String(data.body ?? ""), read: Boolean(data.read),
    created_at: String(plain(data.created_at) ?? ""), analysis_id: (data.analysis_id as string) ?? null};
}

let counter = 0;

export function firestoreSource(options: FirestoreOptions): LiveSource {
  let shared: Promise<Firestore> | null = null;

  async function connect(): Promise<Firestore> {
    counter += 1;
    const app: FirebaseApp = initializeApp({...options.firebase},
      options.appPerListener ? `chartgenius-${counter}` : "chartgenius");
    const db = getFirestore(app);
    if (options.emulator) connectFirestoreEmulator(db, options.emulator.host, options.emulator.port);
    const token = options.customToken ? await options.customToken() : null;
    if (token) {
      const {getAuth, signInWithCustomToken} = await import("firebase/auth");
      const auth = getAuth(app);
      if (auth.currentUser?.uid !== options.userId) await signInWithCustomToken(auth, token);
    }
    return db;
  }

  function database(): Promise<Firestore> {
    if (options.appPerListener) return connect();
    shared ??= connect().catch((err: unknown) => {
      shared = null;
      throw err;
    });
    return shared;
  }

  async function followAnalysis(id: string, onUpdate: (doc: Analysis) => void,
    signal: AbortSignal, onConnection: ConnectionHandler = () => undefined): Promise<Analysis> {
    const db = await database();
    return new Promise<Analysis>((resolve, reject) => {
      const stop = onSnapshot(doc(db, ANALYSES, id), (snapshot) => {
        if (!snapshot.exists()) return;  // not written yet, or not ours (rules hide it)
        onConnection(true);
        const view = publicAnalysis(snapshot.id, snapshot.data());
        onUpdate(view);
        if (FINAL.has(view.status)) {
          stop();
          resolve(view);
        }
      }, (error) => {
        onConnection(false);
        reject(error);
      });
      signal.addEventListener("abort", () => {
        stop();
        reject(aborted());
      }, {once: true});
    });
  }

  async function followInbox(handlers: InboxHandlers, signal: AbortSignal,
    onConnection: ConnectionHandler = () => undefined): Promise<void> {
    const [inboxDb, listDb] = await Promise.all([database(), database()]);
    const known = new Set<string>();
    let first = true;
    const stops = [
      onSnapshot(doc(inboxDb, INBOXES, options.userId), (snapshot) => {
        onConnection(true);
        handlers.unread(Math.max(0, Number(snapshot.data()?.unread ?? 0)));
      }, () => onConnection(false)),
      onSnapshot(query(collection(listDb, NOTIFICATIONS), where("user_id", "==", options.userId),
        orderBy("created_at", "desc"), limit(20)), (snapshot) => {
        if (first) {
          first = false;
          for (const item of snapshot.docs) known.add(item.id);
          handlers.connected();
          return;
        }
        for (const change of snapshot.docChanges()) {
          if (change.type !== "added" || known.has(change.doc.id)) continue;
          known.add(change.doc.id);
          handlers.added(publicNotification(change.doc.id, change.doc.data()));
        }
      }, () => onConnection(false)),
    ];
    await new Promise<void>((resolve) => {
      signal.addEventListener("abort", () => {
        for (const stop of stops) stop();
        resolve();
      }, {once: true});
    });
  }

  return {followAnalysis, followInbox};
}

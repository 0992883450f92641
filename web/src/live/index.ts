// The live source the runtime config names. The Firestore transport (and the Firebase SDK)
// is a separate chunk that loads only when config.live is "firestore".

import {config} from "../config";
import {session} from "../auth/session";
import type {LiveSource} from "./source";
import {sseSource} from "./sse";

let chosen: Promise<LiveSource> | null = null;

export function liveSource(): Promise<LiveSource> {
  chosen ??= (async () => {
    const settings = config();
    if (settings.live === "sse") return sseSource;
    if (!settings.firebase) throw new Error("config.js: live \"firestore\" needs firebase settings");
    const {firestoreSource} = await import("./firestore");
    const user = session.get().user;
    if (!user) throw new Error("sign in before listening");
    return firestoreSource({firebase: settings.firebase, userId: user.id,
      customToken: async () => session.get().firebaseToken});
  })();
  return chosen;
}

/** Signing out (or in as someone else) forgets the listener's identity. */
session.subscribe(() => {
  if (!session.get().token) chosen = null;
});

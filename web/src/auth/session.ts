// Who is signed in: the API token (localStorage, so a reload keeps it), the user and, in
// production, the Firebase custom token the live transport signs in with. A tiny external
// store that React reads through useSession().

import {useSyncExternalStore} from "react";
import type {Session, User} from "../api/types";

const TOKEN_KEY = "chartgenius.token";
const USER_KEY = "chartgenius.user";
const FIREBASE_KEY = "chartgenius.firebase-token";

export interface SessionState {
  token: string | null;
  user: User | null;
  firebaseToken: string | null;
}

function read<T>(key: string): T | null {
  try {
    const raw = localStorage.getItem(key);
    return raw ? JSON.parse(raw) as T : null;
  } catch {
    return null;
  }
}

let state: SessionState = {token: read<string>(TOKEN_KEY), user: read<User>(USER_KEY),
  firebaseToken: read<string>(FIREBASE_KEY)};
const listeners = new Set<() => void>();

function publish(next: SessionState): void {
  state = next;
  try {
    if (next.token) localStorage.setItem(TOKEN_KEY, JSON.stringify(next.token));
    else localStorage.removeItem(TOKEN_KEY);
    if (next.user) localStorage.setItem(USER_KEY, JSON.stringify(next.user));
    else localStorage.removeItem(USER_KEY);
    if (next.firebaseToken) localStorage.setItem(FIREBASE_KEY, JSON.stringify(next.firebaseToken));
    else localStorage.removeItem(FIREBASE_KEY);
  } catch {
    // private mode: the session lives as long as the page
  }
  for (const listener of listeners) listener();
}

export const session = {
  get: (): SessionState => state,
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  signedIn(answer: Session): void {
    publish({token: answer.token, user: answer.user, firebaseToken: answer.firebase_token ?? null});
  },
  setUser(user: User): void {
    publish({...state, user});
  },
  /** The token stopped working (401) or the user signed out. */
  forget(): void {
    publish({token: null, user: null, firebaseToken: null});
  },
};

export function useSession(): SessionState {
  return useSyncExternalStore(session.subscribe, session.get, session.get);
}

// The API client: requests with the bearer token, errors carrying the server's reason, and
// one sign-in at a time however many requests found the token missing or stale.

import {config} from "../config";
import {session} from "../auth/session";
import {automaticSignIn} from "../auth/signin";
import {ApiError, Offline} from "./errors";

export {ApiError, Offline, SignInRequired, type FieldError} from "./errors";

export function apiUrl(path: string): string {
  return config().apiBase + path;
}

async function send(path: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(apiUrl(path), init);
  } catch (err) {
    if ((err as Error).name === "AbortError") throw err;
    throw new Offline();
  }
}

let pending: Promise<string> | null = null;

async function token(): Promise<string> {
  const known = session.get().token;
  if (known) return known;
  pending ??= automaticSignIn(send).finally(() => { pending = null; });
  return pending;
}

/** A request with the bearer token; signs in when there is none, and once more on a 401. */
export async function authorized(path: string, init: RequestInit = {}): Promise<Response> {
  for (let attempt = 0; ; attempt += 1) {
    const bearer = await token();
    const headers = {...(init.headers as Record<string, string> | undefined),
      Authorization: `Bearer ${bearer}`};
    const response = await send(path, {...init, headers});
    if (response.status !== 401) return response;
    if (session.get().token === bearer) session.forget();
    if (attempt > 0) throw await ApiError.from(response);
  }
}

export async function json<T>(response: Response): Promise<T> {
  if (!response.ok) throw await ApiError.from(response);
  return await response.json() as T;
}

export const jsonBody = (method: string, value: unknown): RequestInit => ({
  method, headers: {"Content-Type": "application/json"}, body: JSON.stringify(value),
});

export {send};

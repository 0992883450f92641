// Where signing in happens: automatically (dev login, Mini App initData) or on /signin.

import {config} from "../config";
import {miniAppInitData} from "./telegram";

export function signsInAutomatically(): boolean {
  return Boolean(config().devLogin) || Boolean(miniAppInitData());
}

/** /signin?next=<where the user was>, so signing in brings them back. */
export function signInPath(from: string, expired = false): string {
  const params = new URLSearchParams({next: from});
  if (expired) params.set("expired", "1");
  return `/signin?${params.toString()}`;
}

export function safeNext(raw: string | null): string {
  return raw && raw.startsWith("/") && !raw.startsWith("//") ? raw : "/";
}

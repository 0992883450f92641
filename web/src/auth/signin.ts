// Signing in: the dev login (local), Mini App initData (inside Telegram) — both without the
// user — and the Login Widget's fields (production, the user presses the button).

import {config} from "../config";
import {ApiError, SignInRequired} from "../api/errors";
import type {Session} from "../api/types";
import {session} from "./session";
import {miniAppInitData, type WidgetUser} from "./telegram";

type Send = (path: string, init: RequestInit) => Promise<Response>;

async function post(send: Send, path: string, value: unknown): Promise<string> {
  const response = await send(path, {method: "POST", headers: {"Content-Type": "application/json"},
    body: JSON.stringify(value)});
  if (!response.ok) throw await ApiError.from(response);
  const answer = await response.json() as Session;
  session.signedIn(answer);
  return answer.token;
}

/** Signs in without asking, or throws SignInRequired (the app shows the sign-in page). */
export async function automaticSignIn(send: Send): Promise<string> {
  const dev = config().devLogin;
  if (dev) return post(send, "/api/auth/dev", dev);
  const initData = miniAppInitData();
  if (initData) return post(send, "/api/auth/telegram/webapp", {init_data: initData});
  throw new SignInRequired();
}

export async function widgetSignIn(send: Send, user: WidgetUser): Promise<void> {
  await post(send, "/api/auth/telegram", user);
}

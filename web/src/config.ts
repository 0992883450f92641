// The runtime configuration: window.CHARTGENIUS_CONFIG from /config.js, which each deployment
// writes (deploy.sh) so one build serves every environment.

export type LiveTransport = "sse" | "firestore";

export interface DevIdentity {
  telegram_id: number;
  role?: string;
}

export interface FirebaseWebConfig {
  apiKey: string;
  projectId: string;
  authDomain?: string;
  appId?: string;
}

export interface RuntimeConfig {
  apiBase: string;
  live: LiveTransport;
  devLogin: DevIdentity | null;
  telegramBotUsername: string;
  firebase: FirebaseWebConfig | null;
}

declare global {
  interface Window {
    CHARTGENIUS_CONFIG?: Record<string, unknown>;
  }
}

function devIdentity(raw: unknown): DevIdentity | null {
  if (raw === true) return {telegram_id: 1};
  if (raw && typeof raw === "object" && typeof (raw as DevIdentity).telegram_id === "number") {
    return raw as DevIdentity;
  }
  return null;
}

/** The config with defaults; an unknown live transport is refused loudly at start. */
export function parseConfig(raw: Record<string, unknown> = {}): RuntimeConfig {
  const live = raw.live ?? "sse";
  if (live !== "sse" && live !== "firestore") {
    throw new Error(`config.js: live must be "sse" or "firestore", not ${JSON.stringify(live)}`);
  }
  const firebase = raw.firebase && typeof raw.firebase === "object"
    ? raw.firebase as FirebaseWebConfig : null;
  return {
    apiBase: String(raw.apiBase ?? "").replace(/\/$/, ""),
    live,
    devLogin: devIdentity(raw.devLogin),
    telegramBotUsername: String(raw.telegramBotUsername ?? ""),
    firebase,
  };
}

let current: RuntimeConfig | null = null;

export function config(): RuntimeConfig {
  current ??= parseConfig(typeof window === "undefined" ? {} : window.CHARTGENIUS_CONFIG);
  return current;
}

/** Tests and the Node-side live module set the config directly. */
export function setConfig(next: RuntimeConfig): void {
  current = next;
}

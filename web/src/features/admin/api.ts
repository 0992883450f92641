// The admin API the panel calls (the API checks every role; the panel only hides).

import {authorized, json, jsonBody} from "../../api/client";

export type Json = Record<string, unknown>;

export interface Problem {
  id: string;
  kind: "rejected" | "dead_letter";
  function?: string;
  topic?: string;
  reason?: string;
  at?: string;
  attempts?: number;
  payload?: Json;
  replays?: number;
  replayed_at?: string | null;
}

export interface Window {
  by_status: Record<string, number>;
  total: number;
  timeouts: number;
  completion_seconds: {median: number | null; p95: number | null; count: number};
}

export interface Source {
  name: string;
  enabled: boolean;
  configured: boolean;
  live: boolean;
  state: string;
  last_success: string | null;
  last_error: string | null;
  last_error_at: string | null;
  banned_until: string | null;
  latency_p50_ms: number | null;
  success_rate: number | null;
  calls: number;
}

export interface Health {
  at: string;
  env: string;
  checks: Record<string, string>;
  pipeline: {last_hour: Window; last_day: Window; sampled: number; sample_limit: number};
  llm: {input_tokens: number; output_tokens: number; cost_usd: number; analyses: number};
  telegram: {sent: number; errors: number; rate_limited: number};
  problems: Problem[];
  market_sources: Source[];
}

export interface AdminUser {
  id: string;
  telegram_id: number | null;
  username?: string | null;
  first_name?: string | null;
  role: string;
  moderator: boolean;
  banned: boolean;
  banned_reason?: string | null;
  daily_quota: number | null;
  daily_limit: number | null;
  used_today: number;
  cost_today_usd: number;
  last_seen_at: string | null;
  created_at: string;
}

export interface Task {
  id: string;
  status: string;
  user_id: string;
  symbol: string;
  timeframe: string;
  created_at: string;
  error: string | null;
  retry_of: string | null;
  attempt: number | null;
}

export interface Scan {
  id: string;
  timeframe?: string;
  finished_at?: string;
  alerts_fired?: number;
  watch_items?: number;
  pairs?: Record<string, string>;
}

export interface PromptVersion {
  version: number;
  author: string;
  created_at: string;
  note: string;
  language: string;
  system: string;
  template: string;
}

export interface PromptHistory {
  name: string;
  versions: PromptVersion[];
  active: {version: number; generation?: number; previous?: number[]} | null;
}

export interface PromptSummary {
  name: string;
  versions: number[];
  active: {version: number; generation?: number} | null;
}

export interface Flag {
  name: string;
  enabled: boolean;
  source: string;
  default: boolean;
  description: string;
}

export interface LogEntry {
  id: string;
  at: string;
  actor_id: string;
  action: string;
  target: string;
  reason: string | null;
}

export interface Sent {
  id: string;
  kind: string;
  user_id: string | null;
  title: Record<string, string>;
  body: Record<string, string>;
  at: string;
}

const get = async <T>(path: string): Promise<T> => json<T>(await authorized(path));
const send = async <T>(method: string, path: string, body?: unknown): Promise<T> =>
  json<T>(await authorized(path, body === undefined ? {method} : jsonBody(method, body)));
const q = (params: Record<string, string | number | undefined | null>): string => {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
};
const enc = encodeURIComponent;

export const admin = {
  health: () => get<Health>("/api/admin/health"),
  users: (text: string, role: string, before: string | null) =>
    get<{items: AdminUser[]; next: string | null}>(
      `/api/admin/users${q({q: text, role, before, limit: 20})}`),
  changeUser: (id: string, change: Json) => send<AdminUser>("PATCH", `/api/admin/users/${enc(id)}`, change),
  ban: (id: string, reason: string) => send<Json>("POST", `/api/mod/users/${enc(id)}/ban`, {reason}),
  unban: (id: string, reason: string) => send<Json>("POST", `/api/mod/users/${enc(id)}/unban`, {reason}),
  prompts: () => get<{items: PromptSummary[]}>("/api/admin/prompts"),
  history: (name: string) => get<PromptHistory>(`/api/admin/prompts/${enc(name)}/history`),
  createVersion: (name: string, body: Json) =>
    send<PromptVersion>("POST", `/api/admin/prompts/${enc(name)}/versions`, body),
  activate: (name: string, version: number, generation: number | undefined) =>
    send<Json>("POST", `/api/admin/prompts/${enc(name)}/activate`,
      {version, if_generation_match: generation}),
  rollback: (name: string, generation: number | undefined) =>
    send<Json>("POST", `/api/admin/prompts/${enc(name)}/rollback`, {if_generation_match: generation}),
  preview: (body: Json) => send<{rendered: string; context: Json}>("POST", "/api/admin/prompts-preview", body),
  sources: () => get<{sources: Source[]}>("/api/admin/market-sources"),
  setSources: (sources: {name: string; enabled: boolean}[]) =>
    send<{sources: Source[]}>("PUT", "/api/admin/market-sources", {sources}),
  tasks: (state: string, symbol: string) =>
    get<{analyses: Task[]; scans: Scan[]}>(`/api/admin/tasks${q({state, symbol})}`),
  retry: (id: string) => send<{id: string}>("POST", `/api/admin/tasks/${enc(id)}/retry`),
  retryMany: (ids: string[]) =>
    send<{items: {id: string; retried_as?: string; error?: string}[]}>("POST", "/api/admin/tasks/retry", {ids}),
  deadLetters: () => get<{items: Problem[]; rejected: Problem[]}>("/api/admin/dead-letters"),
  replay: (id: string) => send<Problem>("POST", `/api/admin/dead-letters/${enc(id)}/replay`),
  flags: () => get<{flags: Flag[]}>("/api/admin/features"),
  setFlag: (name: string, enabled: boolean) =>
    send<{flags: Flag[]}>("PUT", "/api/admin/features", {flags: {[name]: enabled}}),
  hidden: () => get<{items: Json[]}>("/api/mod/hidden"),
  banned: () => get<{items: Json[]}>("/api/mod/banned"),
  log: () => get<{items: LogEntry[]}>("/api/mod/log?limit=50"),
  moderate: (id: string, action: string, reason: string) =>
    send<Json>("POST", `/api/mod/analysis/${enc(id)}/${action}`, {reason}),
  messages: () => get<{items: Sent[]}>("/api/admin/messages"),
  sendMessage: (body: Json) => send<Sent>("POST", "/api/admin/messages", body),
};

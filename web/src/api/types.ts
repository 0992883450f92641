// The API's shapes as the web app reads them (shared/models.py, the public view).

export type Status = "queued" | "fetching" | "analyzing" | "completed" | "failed";
export type SignalName = "strong_sell" | "sell" | "neutral" | "buy" | "strong_buy";
export type Language = "en" | "ru";

export interface User {
  id: string;
  telegram_id: number | null;
  role: string;
  language: Language;
  username?: string | null;
  first_name?: string | null;
  /** May use the moderation tools (set by an admin; not a role). */
  moderator?: boolean;
}

export interface Session {
  token: string;
  user: User;
  firebase_token?: string;
}

export interface Level {
  price: number;
  kind: "support" | "resistance";
  strength: number;
}

export interface Scenario {
  description: string;
  target: number | null;
  invalidation: number;
}

export interface AnalysisResult {
  symbol: string;
  timeframe: string;
  as_of: string;
  price: number;
  signal: SignalName;
  confidence: number;
  votes: Record<string, number>;
  summary: string;
  indicators: Record<string, number | null>;
  source: string;
  provider: string;
  language: Language;
  model: string;
  trend: {direction: "up" | "down" | "sideways"; regime: "trending" | "ranging";
    volatility: "low" | "normal" | "high"; adx: number | null; atr_pct: number | null} | null;
  levels: Level[];
  pivots: Record<string, number>;
  fibonacci: Record<string, number>;
  patterns: {name: string; direction: "bullish" | "bearish"; candles_ago: number}[];
  confluence: {timeframe: string; signal: SignalName; trend: "up" | "down" | "sideways";
    agrees: boolean} | null;
  key_points: string[];
  risks: string[];
  bull_scenario: Scenario | null;
  bear_scenario: Scenario | null;
  notes: string[];
  prompt_name: string | null;
  prompt_version: number | null;
  candles_url?: string | null;
  chart_url?: string | null;
  usage: {input_tokens: number; output_tokens: number; cost_usd: number; latency_ms: number;
    attempts: string[]};
}

export interface Analysis {
  id: string;
  symbol: string;
  timeframe: string;
  language: Language;
  status: Status;
  progress: number;
  created_at: string;
  updated_at: string;
  history: {status: Status; at: string}[];
  result: AnalysisResult | null;
  error: string | null;
  source: string | null;
  sources_tried: string[];
}

export interface AnalysisPage {
  items: Analysis[];
  next_cursor: string | null;
}

export interface Quota {
  limit?: number | null;
  used?: number;
  remaining?: number | null;
  resets_at?: string;
  daily_analyses?: number | null;
  used_today?: number;
}

export interface Me {
  user: User;
  quota: Quota;
  plan?: {name: string; daily_analyses: number | null; watch_items?: number};
}

export interface Notification {
  id: string;
  kind: string;
  title: string;
  body: string;
  read: boolean;
  created_at: string;
  analysis_id?: string | null;
}

export interface NotificationPage {
  items: Notification[];
  unread: number;
}

export type Rule = Record<string, string | number> & {kind: string};

export interface WatchItem {
  id: string;
  symbol: string;
  timeframe: string;
  rules: Rule[];
  note?: string | null;
  enabled?: boolean;
}

export interface Candles {
  timestamps: number[];
  open: number[];
  high: number[];
  low: number[];
  close: number[];
  volume: number[];
  unfinished_last?: boolean;
}

export const FINAL: ReadonlySet<Status> = new Set(["completed", "failed"]);
export const TIMEFRAMES = ["15m", "1h", "4h", "1d", "1w"] as const;

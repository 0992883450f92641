// The published track record (GET /api/track-record): public, read from the store; the
// server writes the one-line summaries (EN/RU), so the page and the card never re-word them.

import {json, send} from "../../api/client";

export interface CallRecord {
  n: number;
  hits: number;
  hit_rate: number | null;
  ci_low: number;
  ci_high: number;
  mean_return: number | null;
  median_return: number | null;
}

export interface ReliabilityRow {
  bin: string;
  n: number;
  mean_forecast: number;
  observed: number;
  ci_low: number;
  ci_high: number;
}

export interface ConfidenceCheck {
  n: number;
  hit_rate?: number | null;
  brier: number;
  brier_base_rate: number;
  base_rate: number;
  reliability: ReliabilityRow[];
}

export type HorizonRows = Record<string, CallRecord | ConfidenceCheck | Record<string, CallRecord>>;

export interface TrackRecord {
  symbol: string;
  timeframe: string;
  source: string;
  computed_at: string;
  horizon: number;
  record: {candles: number; first_candle_at?: string; last_candle_at?: string;
    horizons: Record<string, HorizonRows>};
  calibration: {cutoff: string; in_sample: ConfidenceCheck; out_of_sample: ConfidenceCheck} | null;
  summary: Partial<Record<"buy" | "sell" | "neutral", {en: string; ru: string}>>;
}

/** The record of one pair and timeframe, or null before the schedule has computed it. */
export async function trackRecord(symbol: string, timeframe: string): Promise<TrackRecord | null> {
  const params = new URLSearchParams({symbol, timeframe});
  const response = await send(`/api/track-record?${params.toString()}`, {});
  if (response.status === 404) return null;
  return json<TrackRecord>(response);
}

export function sideOf(signal: string): "buy" | "sell" | "neutral" {
  return signal.includes("buy") ? "buy" : signal.includes("sell") ? "sell" : "neutral";
}

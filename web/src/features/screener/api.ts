// The screener's and the digest's API calls, typed (GET /api/screener, GET/PUT /api/digest).

import {authorized, json, jsonBody} from "../../api/client";

export type Signal = "strong_sell" | "sell" | "neutral" | "buy" | "strong_buy";
export type SortKey = "strength" | "move" | "confidence" | "symbol";

export interface ScreenerRow {
  symbol: string;
  timeframe: string;
  price: number;
  candle_time: string;
  change_pct: number;
  signal: Signal;
  confidence: number;
  strength: number;
  trend?: string | null;
}

export interface Snapshot {
  timeframe: string;
  as_of: string | null;
  scan_id?: string | null;
  universe_source?: string | null;
  sort: SortKey;
  rows: ScreenerRow[];
}

export interface DigestPrefs {
  enabled: boolean;
  hour: number;
  utc_offset_minutes: number;
}

export const screenerApi = {
  snapshot: async (timeframe: string, limit = 100): Promise<Snapshot> => {
    const params = new URLSearchParams({timeframe, limit: String(limit)});
    return json(await authorized(`/api/screener?${params.toString()}`));
  },
  digest: async (): Promise<DigestPrefs> => json(await authorized("/api/digest")),
  setDigest: async (prefs: DigestPrefs): Promise<DigestPrefs> =>
    json(await authorized("/api/digest", jsonBody("PUT", prefs))),
};

// Every API call the web app makes, typed.

import {authorized, json, jsonBody} from "./client";
import {ApiError} from "./errors";
import type {
  Analysis, AnalysisPage, Me, Notification, NotificationPage, WatchItem,
} from "./types";

const analysisPath = (id: string): string => `/api/analysis/${encodeURIComponent(id)}`;

export interface AnalysisRequest {
  symbol: string;
  timeframe: string;
  language: string;
}

export interface Pair {
  symbol: string;
}

export interface CandleSeries {
  t: number[];
  o: number[];
  h: number[];
  l: number[];
  c: number[];
  v: number[];
  forming?: boolean;
  overlays?: Record<string, (number | null)[]>;
}

export const api = {
  me: async (): Promise<Me> => json(await authorized("/api/me")),
  pairs: async (): Promise<Pair[]> => (await json<{pairs: Pair[]}>(
    await authorized("/api/market/pairs"))).pairs,
  create: async (request: AnalysisRequest): Promise<Analysis> =>
    json(await authorized("/api/analysis", jsonBody("POST", request))),
  get: async (id: string, signal?: AbortSignal): Promise<Analysis> =>
    json(await authorized(analysisPath(id), {signal})),
  cancel: async (id: string): Promise<Analysis> =>
    json(await authorized(`${analysisPath(id)}/cancel`, {method: "POST"})),
  history: async (cursor: string | null, symbol: string, limit = 10): Promise<AnalysisPage> => {
    const params = new URLSearchParams({limit: String(limit)});
    if (cursor) params.set("cursor", cursor);
    if (symbol) params.set("symbol", symbol);
    return json(await authorized(`/api/analysis?${params.toString()}`));
  },
  candles: async (id: string, signal?: AbortSignal): Promise<CandleSeries> =>
    json(await authorized(`${analysisPath(id)}/candles`, {signal})),
  notifications: async (limit = 20): Promise<NotificationPage> =>
    json(await authorized(`/api/notifications?limit=${limit}`)),
  markRead: async (id: string): Promise<{unread: number}> =>
    json(await authorized(`/api/notifications/${encodeURIComponent(id)}/read`, {method: "POST"})),
  markAllRead: async (): Promise<{unread: number}> =>
    json(await authorized("/api/notifications/read-all", {method: "POST"})),
  watchList: async (): Promise<WatchItem[]> =>
    (await json<{items: WatchItem[]}>(await authorized("/api/watch"))).items,
  watchAdd: async (item: Omit<WatchItem, "id">): Promise<WatchItem> =>
    json(await authorized("/api/watch", jsonBody("POST", item))),
  watchReplace: async (id: string, item: Omit<WatchItem, "id">): Promise<WatchItem> =>
    json(await authorized(`/api/watch/${encodeURIComponent(id)}`, jsonBody("PUT", item))),
  watchDelete: async (id: string): Promise<void> => {
    const response = await authorized(`/api/watch/${encodeURIComponent(id)}`, {method: "DELETE"});
    if (!response.ok) throw await ApiError.from(response);
  },
};

export type {Notification};

import {describe, expect, it} from "vitest";
import {parseConfig} from "../../src/config";
import {stepStates} from "../../src/features/analysis/steps";
import {isStale} from "../../src/features/analysis/StaleBanner";
import type {Analysis} from "../../src/api/types";

describe("runtime config", () => {
  it("defaults to the local stack", () => {
    expect(parseConfig({})).toMatchObject({apiBase: "", live: "sse", devLogin: null});
    expect(parseConfig({devLogin: true}).devLogin).toEqual({telegram_id: 1});
  });

  it("refuses an unknown transport at start", () => {
    expect(() => parseConfig({live: "poll2"})).toThrow(/live must be/);
  });

  it("reads the production shape", () => {
    const config = parseConfig({apiBase: "https://api.example.com/", live: "firestore",
      devLogin: false, telegramBotUsername: "cg_bot", firebase: {apiKey: "k", projectId: "p"}});
    expect(config).toMatchObject({apiBase: "https://api.example.com", live: "firestore",
      devLogin: null, telegramBotUsername: "cg_bot"});
  });
});

describe("stages and staleness", () => {
  const doc = {id: "a", symbol: "BTC/USDT", timeframe: "4h", status: "completed",
    created_at: "2026-01-01T00:00:00.000Z", updated_at: "2026-01-01T00:00:02.000Z",
    history: [{status: "queued", at: "2026-01-01T00:00:00.000Z"},
      {status: "fetching", at: "2026-01-01T00:00:00.500Z"},
      {status: "analyzing", at: "2026-01-01T00:00:01.000Z"},
      {status: "completed", at: "2026-01-01T00:00:02.000Z"}]} as unknown as Analysis;

  it("times each stage from the request", () => {
    const steps = stepStates(doc);
    expect(steps.map((s) => s.offsetMs)).toEqual([null, 500, 1000, 2000]);
    expect(steps[3]).toMatchObject({final: "completed", active: true});
  });

  it("calls week-old daily candles old, and fresh ones not", () => {
    const now = new Date("2026-12-01T00:00:00Z");
    expect(isStale("2025-08-26T00:00:00Z", "1d", now)).toBe(462);
    expect(isStale("2026-11-30T20:00:00Z", "4h", now)).toBeNull();
    expect(isStale("2026-11-20T00:00:00Z", "1w", now)).toBeNull();
  });
});

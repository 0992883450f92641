import {describe, expect, it} from "vitest";
import type {ScreenerRow} from "../../src/features/screener/api";
import {firstDirection, offsetLabel, offsets, sortRows} from "../../src/features/screener/sorting";

const row = (symbol: string, strength: number, change: number, confidence = 0.5): ScreenerRow =>
  ({symbol, timeframe: "4h", price: 1, candle_time: "t", change_pct: change, signal: "buy",
    confidence, strength});

describe("screener sorting", () => {
  const rows = [row("A/USDT", 0.4, 9), row("B/USDT", -1.5, 1, 0.8), row("C/USDT", 0.4, -12)];

  it("ranks by signal strength either side, ties by symbol", () => {
    expect(sortRows(rows, "strength", "desc").map((r) => r.symbol))
      .toEqual(["B/USDT", "A/USDT", "C/USDT"]);
  });

  it("sorts by the size of the move and flips with the direction", () => {
    expect(sortRows(rows, "move", "desc").map((r) => r.symbol))
      .toEqual(["C/USDT", "A/USDT", "B/USDT"]);
    expect(sortRows(rows, "move", "asc").map((r) => r.symbol))
      .toEqual(["B/USDT", "A/USDT", "C/USDT"]);
  });

  it("starts names ascending and figures descending, and leaves the input alone", () => {
    expect(firstDirection("symbol")).toBe("asc");
    expect(firstDirection("confidence")).toBe("desc");
    sortRows(rows, "symbol", "desc");
    expect(rows.map((r) => r.symbol)).toEqual(["A/USDT", "B/USDT", "C/USDT"]);
  });
});

describe("digest offsets", () => {
  it("covers UTC−12 to UTC+14 in half hours, labelled as users read them", () => {
    const all = offsets();
    expect(all[0]).toBe(-720);
    expect(all[all.length - 1]).toBe(840);
    expect(offsetLabel(330)).toBe("UTC+5:30");
    expect(offsetLabel(-300)).toBe("UTC−5");
    expect(offsetLabel(0)).toBe("UTC+0");
  });
});

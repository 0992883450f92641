import {describe, expect, it} from "vitest";
import {daysSince, formatDistance, formatDuration, formatFixed, formatNumber, formatPrice,
  formatUsd, priceDecimals} from "../../src/format";

describe("numbers in the reader's locale", () => {
  it("groups and separates decimals the Russian way", () => {
    // ru-RU groups with a no-break space and uses a decimal comma: 109 888,01
    expect(formatPrice(109888.01, 2, "ru")).toBe("109\u00a0888,01");
    expect(formatPrice(109888.01, 2, "en")).toBe("109,888.01");
  });

  it("keeps a threshold's own decimals", () => {
    expect(formatNumber(100000, "en")).toBe("100,000");
    expect(formatNumber(100000, "ru")).toBe("100\u00a0000");
    expect(formatNumber(0.00012345, "en")).toBe("0.00012345");
  });

  it("quotes prices with about five significant digits", () => {
    expect(priceDecimals(109624.05)).toBe(2);
    expect(priceDecimals(25.371)).toBe(3);
    expect(priceDecimals(0.232)).toBe(5);
    expect(formatFixed(Number.NaN, 2)).toBe("—");
  });

  it("signs a distance from the price", () => {
    expect(formatDistance(101, 100, "en")).toBe("+1.00%");
    expect(formatDistance(99, 100, "en")).toBe("−1.00%");
    expect(formatDistance(99, 100, "ru")).toBe("−1,00\u00a0%");
  });

  it("writes durations and dollars in the language", () => {
    expect(formatDuration(1500, "en")).toBe("1.5 s");
    expect(formatDuration(1500, "ru")).toBe("1,5 с");
    expect(formatUsd(0.000905, "en")).toBe("$0.000905");
    expect(formatUsd(12.5, "en")).toBe("$12.50");
  });

  it("counts whole days since a candle", () => {
    expect(daysSince("2025-08-26T00:00:00Z", new Date("2026-12-01T12:00:00Z"))).toBe(462);
  });
});

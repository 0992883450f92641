import {describe, expect, it} from "vitest";
import {fixedT} from "../../src/i18n";
import {sideOf} from "../../src/features/trackrecord/api";
import "../../src/features/trackrecord/texts";

describe("track record", () => {
  it("shows a result the record of its own kind of call", () => {
    expect(["strong_buy", "buy", "neutral", "sell", "strong_sell"].map(sideOf))
      .toEqual(["buy", "buy", "neutral", "sell", "sell"]);
  });

  it("names the horizon with the right Russian form", () => {
    const ru = fixedT("ru");
    expect([1, 2, 5, 10, 21].map((n) => ru("tr_horizon", {count: n}))).toEqual(
      ["За 1 свечу", "За 2 свечи", "За 5 свечей", "За 10 свечей", "За 21 свечу"]);
    expect(fixedT("en")("tr_horizon", {count: 10})).toBe("Over 10 candles");
  });
});

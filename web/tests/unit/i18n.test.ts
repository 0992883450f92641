import {describe, expect, it} from "vitest";
import {ApiError} from "../../src/api/errors";
import {fixedT} from "../../src/i18n";
import {explain, fieldName} from "../../src/i18n/errors";

describe("Russian plural rules", () => {
  const ru = fixedT("ru");
  it.each([[1, "1 свечу назад"], [3, "3 свечи назад"], [5, "5 свечей назад"],
    [21, "21 свечу назад"], [0, "последняя свеча"]])("%i candles ago", (n, text) => {
    expect(ru("ago", {count: n})).toBe(text);
  });

  it("says the quota with the right form", () => {
    expect(ru("quota_left", {count: 3, limit: 5, time: "00:00"}))
      .toBe("Сегодня осталось 3 анализа из 5, сброс в 00:00 UTC");
    expect(fixedT("en")("quota_left", {count: 3, limit: 5, time: "00:00"}))
      .toBe("3 of 5 analyses left today, resets at 00:00 UTC");
  });

  it("every Russian key has an English one to fall back to", async () => {
    const {en} = await import("../../src/i18n/en");
    const {ru: dict} = await import("../../src/i18n/ru");
    const base = (key: string) => key.replace(/_(few|many)$/, "_other");
    expect(Object.keys(dict).filter((key) => !(base(key) in en))).toEqual([]);
  });
});

describe("refusals as sentences", () => {
  const refusal = new ApiError(400, {error: {code: "invalid_input",
    message: "rules.0.price_above.price: Input should be greater than 0",
    details: {errors: [{field: "rules.0.price_above.price", message: "Input should be greater than 0"}]}}});

  it("names the field in words, never as a path", () => {
    expect(explain(refusal, fixedT("en"))).toBe("Rule 1 — Price must be greater than 0.");
    expect(explain(refusal, fixedT("ru"))).toBe("Условие 1 — Цена: значение должно быть больше 0.");
    expect(fieldName("body.symbol", fixedT("en"))).toBe("The pair");
  });

  it("keeps the server's sentence when there are no field errors", () => {
    const conflict = new ApiError(409, {error: {code: "conflict", message: "the watchlist is full"}});
    expect(explain(conflict, fixedT("en"))).toBe("the watchlist is full");
  });
});

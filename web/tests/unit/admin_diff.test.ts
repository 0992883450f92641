// The admin panel's side-by-side prompt diff: unchanged lines on both sides, a changed line
// as removed-left / added-right on one row, pure additions and removals against a blank.

import {describe, expect, it} from "vitest";
import {rows} from "../../src/features/admin/sections/SideBySide";

describe("side-by-side rows", () => {
  it("pairs a changed line and keeps the unchanged ones on both sides", () => {
    expect(rows("a\nb\nc\n", "a\nB\nc\n")).toEqual([
      {left: "a", right: "a", kind: "same"},
      {left: "b", right: "B", kind: "changed"},
      {left: "c", right: "c", kind: "same"},
    ]);
  });

  it("shows an added line against a blank left side and a removed one against a blank right", () => {
    expect(rows("a\n", "a\nnew\n")).toEqual([
      {left: "a", right: "a", kind: "same"},
      {left: null, right: "new", kind: "changed"},
    ]);
    expect(rows("a\nold\n", "a\n")).toEqual([
      {left: "a", right: "a", kind: "same"},
      {left: "old", right: null, kind: "changed"},
    ]);
  });
});

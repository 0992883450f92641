// Sorting the screener's rows on the page (the server ranks by strength; a header click
// re-sorts what is shown without another request).

import type {ScreenerRow, SortKey} from "./api";

export type Direction = "asc" | "desc";

const measure: Record<SortKey, (row: ScreenerRow) => number | string> = {
  strength: (row) => Math.abs(row.strength),
  move: (row) => Math.abs(row.change_pct),
  confidence: (row) => row.confidence,
  symbol: (row) => row.symbol,
};

/** The rows by ``key`` (strength and move by size, either side), ties by symbol. */
export function sortRows(rows: ScreenerRow[], key: SortKey, direction: Direction): ScreenerRow[] {
  const sign = direction === "asc" ? 1 : -1;
  return [...rows].sort((a, b) => {
    const x = measure[key](a), y = measure[key](b);
    if (x < y) return -sign;
    if (x > y) return sign;
    return a.symbol.localeCompare(b.symbol);
  });
}

/** The first click on a column sorts it the way a trader reads it first. */
export function firstDirection(key: SortKey): Direction {
  return key === "symbol" ? "asc" : "desc";
}

/** ``-720`` … ``+840`` minutes as the offsets a user picks from, in half hours. */
export function offsets(): number[] {
  const all: number[] = [];
  for (let minutes = -720; minutes <= 840; minutes += 30) all.push(minutes);
  return all;
}

export function offsetLabel(minutes: number): string {
  const sign = minutes < 0 ? "−" : "+";
  const hours = Math.floor(Math.abs(minutes) / 60), rest = Math.abs(minutes) % 60;
  return `UTC${sign}${hours}${rest ? `:${String(rest).padStart(2, "0")}` : ""}`;
}

// A warning when the candles are old: "Candles as of 2025-08-26, 462 days ago".

import {Alert} from "@mui/material";
import type {TFunction} from "i18next";
import {daysSince} from "../../format";

const TIMEFRAME_DAYS: Record<string, number> = {"1w": 7, "1M": 31, "3d": 3};

/** Old means more than two candles behind, and at least a day. */
export function isStale(asOf: string, timeframe: string, now: Date): number | null {
  const days = daysSince(asOf, now);
  const allowed = Math.max(1, 2 * (TIMEFRAME_DAYS[timeframe] ?? 1));
  return days > allowed ? days : null;
}

export function StaleBanner({asOf, timeframe, t}: {asOf: string; timeframe: string; t: TFunction}) {
  const days = isStale(asOf, timeframe, new Date());
  if (days === null) return null;
  return (
    <Alert severity="warning" sx={{mt: 1.5}} data-testid="stale-data" data-days={days}>
      {t("stale_data", {count: days, date: asOf.slice(0, 10)})}
    </Alert>
  );
}

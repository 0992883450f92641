// The result card's track record line: how this kind of call (buys, sells; all calls for a
// neutral signal) fared on the pair's history, in the analysis's language, with a link to
// the page of tables.

import {Link, Typography} from "@mui/material";
import {useQuery} from "@tanstack/react-query";
import {Link as RouterLink} from "react-router";
import type {AnalysisResult} from "../../api/types";
import type {Lang} from "../../i18n";
import {sideOf, trackRecord} from "./api";
import "./texts";

export function TrackRecordLine({result, lang}: {result: AnalysisResult; lang: Lang}) {
  // The analyzer attaches a summary only when the pair's record is published: only then is
  // there a line to fetch (no request, and no 404, for other pairs).
  const published = Boolean((result as {track_record?: unknown}).track_record);
  const {data} = useQuery({
    queryKey: ["track-record", result.symbol, result.timeframe],
    queryFn: () => trackRecord(result.symbol, result.timeframe),
    staleTime: 300_000,
    enabled: published,
  });
  const line = data?.summary[sideOf(result.signal)]?.[lang];
  if (!line) return null;
  const params = new URLSearchParams({symbol: result.symbol, timeframe: result.timeframe});
  return (
    <Typography variant="body2" color="text.secondary" sx={{mt: 1}} data-testid="track-record-line">
      {line}{" "}
      <Link component={RouterLink} to={`/track-record?${params.toString()}`}>→</Link>
    </Typography>
  );
}

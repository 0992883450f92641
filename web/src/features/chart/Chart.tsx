// The interactive chart (its own lazy chunk, with lightweight-charts): candles and volume,
// EMA 20/50/200 and Bollinger overlays, support/resistance and the scenarios' target and
// invalidation as price lines, a crosshair legend with OHLC values, zoom and pan. Candles are
// requested only once the analysis has completed and says where they are (candles_url).

import {Box, Typography} from "@mui/material";
import {useQuery} from "@tanstack/react-query";
import {useEffect, useRef, useState} from "react";
import {api} from "../../api/endpoints";
import type {Analysis} from "../../api/types";
import {formatCompact, formatPrice, priceDecimals} from "../../format";
import {fixedT, type Lang} from "../../i18n";
import {drawChart, type Legend} from "./draw";

export default function Chart({doc, lang}: {doc: Analysis; lang: Lang}) {
  const t = fixedT(lang);
  const ready = doc.status === "completed" && Boolean(doc.result?.candles_url);
  const candles = useQuery({queryKey: ["candles", doc.id], enabled: ready, staleTime: Infinity,
    queryFn: ({signal}) => api.candles(doc.id, signal)});
  const box = useRef<HTMLDivElement>(null);
  const [legend, setLegend] = useState<Legend | null>(null);

  useEffect(() => {
    if (!box.current || !candles.data || !doc.result) return undefined;
    return drawChart(box.current, candles.data, doc.result, lang, setLegend);
  }, [candles.data, doc.result, lang]);

  if (!ready) return null;
  const decimals = priceDecimals(doc.result?.price);
  return (
    <Box component="figure" sx={{m: 0, mt: 2}} data-testid="chart">
      <Typography variant="body2" color="text.secondary" component="figcaption"
        data-testid="chart-legend" aria-live="off" sx={{minHeight: 20, fontVariantNumeric: "tabular-nums"}}>
        {legend ? t("ohlc", {o: formatPrice(legend.open, decimals, lang), h: formatPrice(legend.high, decimals, lang),
          l: formatPrice(legend.low, decimals, lang), c: formatPrice(legend.close, decimals, lang),
          v: formatCompact(legend.volume, lang)}) : t("chart_hint")}
      </Typography>
      {candles.isError ? <Typography color="error">{t("chart_failed",
        {reason: (candles.error as Error).message})}</Typography> : null}
      <div className="chart-box" ref={box} data-testid="chart-canvas"
        data-candles={candles.data ? candles.data.t.length : 0}
        role="img" aria-label={t("chart_alt", {subject: `${doc.symbol} ${doc.timeframe}`})} />
    </Box>
  );
}

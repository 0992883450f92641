// The track record page: per published pair, the hit rates with their intervals against the
// baselines at each horizon, and the confidence's out-of-sample check (Brier and reliability).

import {Box, Button, Paper, Stack, Table, TableBody, TableCell, TableHead, TableRow,
  Typography} from "@mui/material";
import {useQuery} from "@tanstack/react-query";
import {useTranslation} from "react-i18next";
import {useSearchParams} from "react-router";
import {formatUtc} from "../../format";
import {pick} from "../../i18n";
import {trackRecord, type CallRecord, type ConfidenceCheck, type TrackRecord} from "./api";
import {PUBLISHED} from "./texts";

const ROWS = ["calls", "buy", "sell", "always_long", "momentum_20", "random"] as const;

const pct = (share: number | null | undefined) =>
  share === null || share === undefined ? "—" : `${(share * 100).toFixed(1)} %`;

function Horizon({horizon, rows}: {horizon: string; rows: Record<string, unknown>}) {
  const {t} = useTranslation();
  return (
    <Box component="section" sx={{mt: 2}} data-testid={`horizon-${horizon}`}>
      <Typography variant="h3" gutterBottom>{t("tr_horizon", {count: Number(horizon)})}</Typography>
      <Table size="small">
        <TableHead><TableRow>
          {["tr_row", "tr_n", "tr_hit", "tr_ci", "tr_mean", "tr_median"].map((k) =>
            <TableCell key={k}>{t(k)}</TableCell>)}
        </TableRow></TableHead>
        <TableBody>
          {ROWS.map((name) => {
            const row = rows[name] as CallRecord | undefined;
            if (!row) return null;
            return (
              <TableRow key={name} data-testid={`row-${name}`}>
                <TableCell>{t(`tr_${name}`)}</TableCell>
                <TableCell className="num">{row.n}</TableCell>
                <TableCell className="num">{pct(row.hit_rate)}</TableCell>
                <TableCell className="num">{pct(row.ci_low)} – {pct(row.ci_high)}</TableCell>
                <TableCell className="num">{pct(row.mean_return)}</TableCell>
                <TableCell className="num">{pct(row.median_return)}</TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </Box>
  );
}

function Calibration({check}: {check: NonNullable<TrackRecord["calibration"]>}) {
  const {t} = useTranslation();
  const line = (label: string, part: ConfidenceCheck) => (
    <TableRow key={label}>
      <TableCell>{t(label)}</TableCell><TableCell className="num">{part.n}</TableCell>
      <TableCell className="num">{pct(part.hit_rate)}</TableCell>
      <TableCell className="num">{part.brier.toFixed(4)}</TableCell>
      <TableCell className="num">{part.brier_base_rate.toFixed(4)}</TableCell>
    </TableRow>
  );
  return (
    <Box component="section" sx={{mt: 3}} data-testid="calibration">
      <Typography variant="h3" gutterBottom>{t("tr_calibration", {cutoff: check.cutoff})}</Typography>
      <Table size="small">
        <TableHead><TableRow>{["tr_sample", "tr_n", "tr_hit", "tr_brier", "tr_brier_base"].map(
          (k) => <TableCell key={k}>{t(k)}</TableCell>)}</TableRow></TableHead>
        <TableBody>{line("tr_in", check.in_sample)}{line("tr_out", check.out_of_sample)}</TableBody>
      </Table>
      <Typography variant="h3" sx={{mt: 2}} gutterBottom>{t("tr_reliability")}</Typography>
      <Table size="small">
        <TableHead><TableRow>{["tr_bin", "tr_n", "tr_forecast", "tr_observed", "tr_ci"].map(
          (k) => <TableCell key={k}>{t(k)}</TableCell>)}</TableRow></TableHead>
        <TableBody>{check.out_of_sample.reliability.map((row) => (
          <TableRow key={row.bin}>
            <TableCell>{row.bin}</TableCell><TableCell className="num">{row.n}</TableCell>
            <TableCell className="num">{pct(row.mean_forecast)}</TableCell>
            <TableCell className="num">{pct(row.observed)}</TableCell>
            <TableCell className="num">{pct(row.ci_low)} – {pct(row.ci_high)}</TableCell>
          </TableRow>))}</TableBody>
      </Table>
    </Box>
  );
}

export default function TrackRecordPage() {
  const {t, i18n} = useTranslation();
  const [params, setParams] = useSearchParams();
  const symbol = params.get("symbol") ?? PUBLISHED[0][0];
  const timeframe = params.get("timeframe") ?? PUBLISHED[0][1];
  const {data, isPending} = useQuery({
    queryKey: ["track-record", symbol, timeframe],
    queryFn: () => trackRecord(symbol, timeframe),
    staleTime: 300_000,
  });
  const lang = pick(i18n.language);
  const lines = data ? Object.values(data.summary).map((s) => s?.[lang]).filter(Boolean) : [];
  return (
    <Paper sx={{p: 2}} data-testid="track-record">
      <Typography variant="h1" component="h2" gutterBottom>{t("tr_title")}</Typography>
      <Stack direction="row" spacing={1} useFlexGap flexWrap="wrap" sx={{mb: 1}}>
        {PUBLISHED.map(([s, tf]) => (
          <Button key={`${s} ${tf}`} size="small" variant={s === symbol && tf === timeframe ?
            "contained" : "outlined"} onClick={() => setParams({symbol: s, timeframe: tf})}>
            {s} {tf}</Button>))}
      </Stack>
      <Typography variant="body2" color="text.secondary">{t("tr_intro")}</Typography>
      {isPending ? null : !data ? <Typography sx={{mt: 2}}>{t("tr_none")}</Typography> : (
        <>
          <Typography variant="body2" color="text.secondary" sx={{mt: 1}}>
            {t("tr_span", {first: formatUtc(data.record.first_candle_at ?? ""),
              last: formatUtc(data.record.last_candle_at ?? ""), source: data.source,
              computed: formatUtc(data.computed_at)})}</Typography>
          <Box component="ul" sx={{pl: 2.5}} data-testid="track-record-summary">
            {lines.map((line) => <li key={line}>{line}</li>)}</Box>
          {Object.entries(data.record.horizons).map(([h, rows]) =>
            <Horizon key={h} horizon={h} rows={rows as Record<string, unknown>} />)}
          {data.calibration ? <Calibration check={data.calibration} /> : null}
        </>
      )}
    </Paper>
  );
}

// The screener page: the latest scan's ranking, sortable by column; a row opens a full
// analysis of that pair; the daily digest toggle below.

import {
  Alert, Box, MenuItem, Paper, Stack, Table, TableBody, TableCell, TableContainer, TableHead,
  TableRow, TableSortLabel, TextField, Typography,
} from "@mui/material";
import {useQuery} from "@tanstack/react-query";
import {useMemo, useState} from "react";
import {useNavigate} from "react-router";
import {useTranslation} from "react-i18next";
import {api} from "../../api/endpoints";
import {formatFixed, formatPercent, priceDecimals} from "../../format";
import {pick} from "../../i18n";
import {explain} from "../../i18n/errors";
import {screenerApi, type ScreenerRow, type SortKey} from "./api";
import {DigestToggle} from "./DigestToggle";
import {firstDirection, sortRows, type Direction} from "./sorting";
import "./texts";

const TIMEFRAMES = ["1h", "4h", "1d"];
const COLUMNS: {key: SortKey | null; label: string; numeric: boolean}[] = [
  {key: "symbol", label: "col_symbol", numeric: false}, {key: null, label: "col_price", numeric: true},
  {key: "move", label: "col_move", numeric: true}, {key: null, label: "col_signal", numeric: false},
  {key: "confidence", label: "col_confidence", numeric: true},
  {key: "strength", label: "col_strength", numeric: true},
];

export default function ScreenerPage() {
  const {t, i18n} = useTranslation();
  const lang = pick(i18n.language);
  const navigate = useNavigate();
  const [timeframe, setTimeframe] = useState("4h");
  const [sort, setSort] = useState<{key: SortKey; direction: Direction}>(
    {key: "strength", direction: "desc"});
  const [opening, setOpening] = useState<unknown>(null);
  const snapshot = useQuery({queryKey: ["screener", timeframe],
    queryFn: () => screenerApi.snapshot(timeframe), refetchInterval: 60_000});
  const rows = useMemo(() => sortRows(snapshot.data?.rows ?? [], sort.key, sort.direction),
    [snapshot.data, sort]);

  const order = (key: SortKey) => setSort((now) => now.key === key
    ? {key, direction: now.direction === "asc" ? "desc" : "asc"}
    : {key, direction: firstDirection(key)});

  async function open(row: ScreenerRow): Promise<void> {
    setOpening(null);
    try {
      const doc = await api.create({symbol: row.symbol, timeframe: row.timeframe, language: lang});
      navigate(`/analysis/${encodeURIComponent(doc.id)}`);
    } catch (err) {
      setOpening(err);
    }
  }

  return (
    <Stack spacing={2}>
      <Paper component="section" aria-labelledby="screener-title" sx={{p: 2}} data-testid="screener">
        <Stack direction="row" justifyContent="space-between" alignItems="center" spacing={2}>
          <Typography variant="h1" id="screener-title">{t("screener_title")}</Typography>
          <TextField select size="small" label={t("timeframe")} value={timeframe}
            onChange={(event) => setTimeframe(event.target.value)}>
            {TIMEFRAMES.map((tf) => <MenuItem key={tf} value={tf}>{tf}</MenuItem>)}
          </TextField>
        </Stack>
        <Typography color="text.secondary" sx={{my: 1}}>{t("screener_intro")}</Typography>
        {snapshot.data?.as_of ? (
          <Typography variant="body2" color="text.secondary" data-testid="screener-as-of">
            {t("screener_as_of", {time: new Date(snapshot.data.as_of).toLocaleString(lang),
              count: rows.length, source: snapshot.data.universe_source ?? "—"})}
          </Typography>) : null}
        {snapshot.error ? <Alert severity="error">{explain(snapshot.error, t)}</Alert> : null}
        {opening ? <Alert severity="error">{explain(opening, t)}</Alert> : null}
        {snapshot.isSuccess && !rows.length
          ? <Typography sx={{mt: 1}}>{t("screener_empty")}</Typography> : null}
        {rows.length ? (
          <TableContainer component={Box} sx={{mt: 1}}>
            <Table size="small" aria-labelledby="screener-title">
              <TableHead>
                <TableRow>
                  {COLUMNS.map(({key, label, numeric}) => (
                    <TableCell key={label} align={numeric ? "right" : "left"}
                      sortDirection={key === sort.key ? sort.direction : false}>
                      {key ? (
                        <TableSortLabel active={key === sort.key} onClick={() => order(key)}
                          direction={key === sort.key ? sort.direction : firstDirection(key)}>
                          {t(label)}
                        </TableSortLabel>) : t(label)}
                    </TableCell>))}
                </TableRow>
              </TableHead>
              <TableBody>
                {rows.map((row) => (
                  <TableRow key={row.symbol} hover tabIndex={0} sx={{cursor: "pointer"}}
                    data-testid="screener-row" data-symbol={row.symbol}
                    aria-label={t("open_analysis", {symbol: row.symbol, timeframe: row.timeframe})}
                    onClick={() => void open(row)}
                    onKeyDown={(event) => { if (event.key === "Enter") void open(row); }}>
                    <TableCell>{row.symbol}</TableCell>
                    <TableCell align="right">{formatFixed(row.price, priceDecimals(row.price), lang)}</TableCell>
                    <TableCell align="right" sx={{color: row.change_pct >= 0 ? "success.main" : "error.main"}}>
                      {(row.change_pct > 0 ? "+" : "") + formatPercent(row.change_pct / 100, 2, lang)}
                    </TableCell>
                    <TableCell>{t(`sig_${row.signal}`)}</TableCell>
                    <TableCell align="right">{formatPercent(row.confidence, 0, lang)}</TableCell>
                    <TableCell align="right">{formatFixed(row.strength, 2, lang)}</TableCell>
                  </TableRow>))}
              </TableBody>
            </Table>
          </TableContainer>) : null}
      </Paper>
      <DigestToggle />
    </Stack>
  );
}

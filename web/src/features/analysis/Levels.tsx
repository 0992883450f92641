// Levels as price ladders (highest first, the current price in its place): support and
// resistance, classic pivots, Fibonacci retracement; and recent candlestick patterns.

import {Box, Typography} from "@mui/material";
import type {TFunction} from "i18next";
import type {ReactNode} from "react";
import type {AnalysisResult} from "../../api/types";
import {formatDistance, formatPrice, isNumber} from "../../format";
import type {Lang} from "../../i18n";
import {patternName} from "./patterns";

interface Rung {
  key: string;
  label: ReactNode;
  price: number;
  className?: string;
  testid?: string;
  data?: Record<string, string>;
  extra?: ReactNode;
  current?: boolean;
}

function Ladder({rungs, price, decimals, lang, t, empty, caption}: {rungs: Rung[];
  price: number; decimals: number; lang: Lang; t: TFunction; empty: string; caption: string}) {
  const all = rungs.filter((rung) => isNumber(rung.price));
  if (!all.length) return <Typography variant="body2" color="text.secondary">{empty}</Typography>;
  if (isNumber(price)) {
    all.push({key: "current", label: `◆ ${t("current_price")}`, price, current: true,
      className: "current"});
  }
  all.sort((a, b) => b.price - a.price || (a.current ? -1 : 1));
  return (
    <table className="ladder">
      <caption className="visually-hidden">{caption}</caption>
      <tbody>
        {all.map((rung) => (
          <tr key={rung.key} className={rung.className} data-testid={rung.testid}
            {...Object.fromEntries(Object.entries(rung.data ?? {}).map(([k, v]) => [`data-${k}`, v]))}>
            <th scope="row">{rung.label}</th>
            <td className="num">{formatPrice(rung.price, decimals, lang)}</td>
            <td className="num">{rung.current ? "" : formatDistance(rung.price, price, lang)}</td>
            <td>{rung.extra ?? null}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function fibLabel(key: string): string {
  const ratio = Number(key);
  return Number.isFinite(ratio) ? `${(ratio * 100).toFixed(1).replace(/\.0$/, "")}%` : key;
}

export function Levels({result, t, lang, decimals}: {result: AnalysisResult; t: TFunction;
  lang: Lang; decimals: number}) {
  const price = result.price;
  const common = {price, decimals, lang, t};
  return (
    <Box sx={{display: "grid", gap: 2, gridTemplateColumns: {xs: "1fr", md: "1fr 1fr"}}}>
      <Box>
        <Typography variant="h3" gutterBottom>{t("support_resistance")}</Typography>
        <Ladder {...common} caption={t("support_resistance")} empty={t("no_levels")}
          rungs={(result.levels ?? []).map((level, i) => ({
            key: `l${i}`, label: t(level.kind), price: level.price, className: level.kind,
            testid: "level", data: {price: String(level.price), kind: level.kind,
              strength: String(level.strength)},
            extra: <span title={t("touches", {count: level.strength})}>×{level.strength}
              <span className="visually-hidden"> {t("touches", {count: level.strength})}</span></span>,
          }))} />
      </Box>
      <Box>
        <Typography variant="h3" gutterBottom>{t("pivots")}</Typography>
        <Ladder {...common} caption={t("pivots")} empty={t("no_levels")}
          rungs={Object.entries(result.pivots ?? {}).map(([key, value]) => ({
            key, label: key === "p" ? "P" : key.toUpperCase(), price: value, testid: "pivot",
            className: key.startsWith("r") ? "resistance" : key.startsWith("s") ? "support" : undefined,
            data: {key, price: String(value)},
          }))} />
      </Box>
      <Box>
        <Typography variant="h3" gutterBottom>{t("fibonacci")}</Typography>
        <Ladder {...common} caption={t("fibonacci")} empty={t("no_levels")}
          rungs={Object.entries(result.fibonacci ?? {}).map(([key, value]) => ({
            key, label: fibLabel(key), price: value, testid: "fib", data: {key, price: String(value)},
          }))} />
      </Box>
      <Box>
        <Typography variant="h3" gutterBottom>{t("patterns")}</Typography>
        {(result.patterns ?? []).length ? (
          <Box component="ul" sx={{m: 0, pl: 2.5}}>
            {result.patterns.map((pattern) => (
              <li key={`${pattern.name}-${pattern.candles_ago}`} data-testid="pattern"
                data-name={pattern.name} data-direction={pattern.direction}
                data-ago={String(pattern.candles_ago)}>
                {patternName(pattern.name, lang)}{" "}
                <span className={pattern.direction === "bullish" ? "up" : "down"}>
                  {pattern.direction === "bullish" ? "▲" : "▼"} {t(pattern.direction)}</span>{" "}
                <Box component="span" sx={{color: "text.secondary"}}>
                  {t("ago", {count: pattern.candles_ago})}</Box>
              </li>
            ))}
          </Box>
        ) : <Typography variant="body2" color="text.secondary">{t("no_patterns")}</Typography>}
      </Box>
    </Box>
  );
}

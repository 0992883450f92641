// The indicator table (grouped, each with its reading) and the votes behind the signal.

import {Box, Typography} from "@mui/material";
import type {TFunction} from "i18next";
import type {AnalysisResult} from "../../api/types";
import {formatCompact, formatFixed, formatOscillator, formatPrice, humanize, isNumber} from "../../format";
import type {Lang} from "../../i18n";
import {groupsFor, label, VOTE_NAMES, type Scale} from "./indicator_rows";

function formatValue(scale: Scale, value: number | null | undefined, decimals: number,
  t: TFunction, lang: Lang): string {
  if (!isNumber(value)) return "—";
  if (scale === "index") return formatFixed(value, 1, lang);
  if (scale === "osc") return formatOscillator(value, lang);
  if (scale === "count") return formatCompact(value, lang);
  if (scale === "direction") return `${value > 0 ? "▲" : value < 0 ? "▼" : "◆"} ${t(value > 0 ? "up" : "down")}`;
  return formatPrice(value, decimals, lang);
}

interface Props {
  result: AnalysisResult;
  t: TFunction;
  lang: Lang;
  decimals: number;
}

export function Indicators({result, t, lang, decimals}: Props) {
  const snapshot = result.indicators ?? {};
  return (
    <table className="ladder" id="indicators">
      <caption className="visually-hidden">{t("indicators")}</caption>
      <thead className="visually-hidden">
        <tr><th scope="col">{t("indicator")}</th><th scope="col">{t("value")}</th>
          <th scope="col">{t("reading")}</th></tr>
      </thead>
      {groupsFor(snapshot).map(([group, rows]) => (
        <tbody key={group} data-group={group}>
          <tr><th scope="rowgroup" colSpan={3} className="group-head">{t(group)}</th></tr>
          {rows.map(([key, name, scale, read]) => {
            const value = snapshot[key];
            const reading = isNumber(value) && read ? read(value, snapshot, result.price, t, lang) : null;
            return (
              <tr key={key} data-key={key}>
                <th scope="row">{label(name, lang)}</th>
                <td className="num" data-testid={`indicator-${key}`}
                  data-value={isNumber(value) ? String(value) : ""}>
                  {formatValue(scale, value, decimals, t, lang)}</td>
                <td className={reading?.[1] || undefined}>{reading?.[0] ?? ""}</td>
              </tr>
            );
          })}
        </tbody>
      ))}
    </table>
  );
}

export function Votes({votes, t, lang}: {votes: Record<string, number>; t: TFunction; lang: Lang}) {
  const entries = Object.entries(votes);
  const counts = {up: 0, down: 0, flat: 0};
  for (const [, vote] of entries) counts[vote > 0 ? "up" : vote < 0 ? "down" : "flat"] += 1;
  return (
    <Box>
      <Typography variant="h3" gutterBottom>{t("votes")}
        <Box component="span" sx={{color: "text.secondary", fontWeight: 400, ml: 1}}
          data-testid="vote-tally">{entries.length ? t("tally", counts) : t("none")}</Box>
      </Typography>
      <Box component="ul" data-testid="votes" sx={{listStyle: "none", p: 0, m: 0,
        display: "grid", gridTemplateColumns: "repeat(auto-fill, minmax(170px, 1fr))", gap: 0.5}}>
        {entries.map(([name, vote]) => {
          const side = vote > 0 ? "bullish" : vote < 0 ? "bearish" : "neutral";
          return (
            <li key={name} data-name={name} data-vote={vote}>
              <span>{label(VOTE_NAMES[name] ?? humanize(name), lang)}</span>{" "}
              <span className={vote > 0 ? "up" : vote < 0 ? "down" : undefined}>
                <span aria-hidden="true">{vote > 0 ? "▲" : vote < 0 ? "▼" : "●"}</span> {t(side)}
              </span>
            </li>
          );
        })}
      </Box>
    </Box>
  );
}

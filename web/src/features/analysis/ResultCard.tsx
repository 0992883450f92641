// The result card: verdict, market context, notes, the written report, scenarios, levels,
// indicators, votes, and where the analysis came from. It speaks its analysis's language.

import {Alert, Box, Chip, Divider, LinearProgress, Paper, Stack, Typography} from "@mui/material";
import type {TFunction} from "i18next";
import {lazy, Suspense, type ReactNode} from "react";
import type {Analysis, AnalysisResult, Scenario} from "../../api/types";
import {formatDistance, formatDuration, formatFixed, formatInteger, formatPrice, formatUsd,
  formatUtc, humanize, isNumber, priceDecimals} from "../../format";
import {fixedT, pick, type Lang} from "../../i18n";
import {Indicators, Votes} from "./Indicators";
import {Levels} from "./Levels";
import {StaleBanner} from "./StaleBanner";
import {TrackRecordLine} from "../trackrecord/TrackRecordLine";

const Chart = lazy(() => import("../chart/Chart"));
const SIGNALS = ["strong_sell", "sell", "neutral", "buy", "strong_buy"];

function Section({title, children, testid}: {title: string; children: ReactNode; testid?: string}) {
  return (
    <Box component="section" sx={{mt: 2}} data-testid={testid}>
      <Typography variant="h2" component="h3" gutterBottom>{title}</Typography>
      {children}
    </Box>
  );
}

function arrow(direction: string): string {
  return direction === "up" ? "▲" : direction === "down" ? "▼" : "◆";
}

function Context({result, t, lang}: {result: AnalysisResult; t: TFunction; lang: Lang}) {
  const {trend, confluence} = result;
  return (
    <Stack spacing={1} sx={{mt: 1.5}}>
      {trend ? (
        <Stack direction="row" spacing={1} useFlexGap flexWrap="wrap" alignItems="center"
          data-testid="trend" data-direction={trend.direction}>
          <Typography variant="body2" color="text.secondary">{t("trend")}</Typography>
          <Chip size="small" label={`${arrow(trend.direction)} ${t(`dir_${trend.direction}`)}`}
            color={trend.direction === "up" ? "success" : trend.direction === "down" ? "error" : "default"} />
          <Chip size="small" label={t(`regime_${trend.regime}`)} />
          <Chip size="small" label={t(`vol_${trend.volatility}`)}
            color={trend.volatility === "high" ? "warning" : "default"} />
          {isNumber(trend.adx) ? <Chip size="small" label={`ADX ${formatFixed(trend.adx, 1, lang)}`} /> : null}
          {isNumber(trend.atr_pct) ? <Chip size="small"
            label={`ATR ${formatFixed(trend.atr_pct, 2, lang)}%`} /> : null}
        </Stack>
      ) : null}
      {confluence ? (
        <Stack direction="row" spacing={1} useFlexGap flexWrap="wrap" alignItems="center"
          data-testid="confluence" data-agrees={String(confluence.agrees)}>
          <Typography variant="body2" color="text.secondary">{t("higher_tf")}</Typography>
          <Chip size="small" label={confluence.timeframe} />
          <Chip size="small" label={t(`sig_${confluence.signal}`)} />
          <Chip size="small" label={`${t("trend_word")} ${arrow(confluence.trend)} ${t(`dir_${confluence.trend}`)}`} />
          <Chip size="small" color={confluence.agrees ? "success" : "warning"}
            label={`${confluence.agrees ? "✓" : "✗"} ${t(confluence.agrees ? "agrees" : "disagrees")}`} />
        </Stack>
      ) : null}
    </Stack>
  );
}

function ScenarioCard({side, scenario, price, decimals, t, lang}: {side: "bull" | "bear";
  scenario: Scenario; price: number; decimals: number; t: TFunction; lang: Lang}) {
  const risk = Math.abs(price - scenario.invalidation);
  const ratio = isNumber(scenario.target) && risk > 0 ? Math.abs(scenario.target - price) / risk : null;
  const cell = (key: "target" | "invalidation", value: number | null) => (
    <Box className={`scenario-${key}`} data-value={isNumber(value) ? String(value) : ""}>
      <Typography variant="caption" color="text.secondary" component="div">{t(key)}</Typography>
      <span className="num">{formatPrice(value, decimals, lang)}</span>{" "}
      <Box component="span" sx={{color: "text.secondary", fontSize: 13}}>
        {formatDistance(value, price, lang)}</Box>
    </Box>
  );
  return (
    <Paper variant="outlined" sx={{p: 1.5, flex: 1}} data-testid={`${side}-scenario`}>
      <Typography variant="h3" className={side === "bull" ? "up" : "down"} gutterBottom>
        {t(side === "bull" ? "bull_case" : "bear_case")}</Typography>
      <Typography variant="body2" className="scenario-text">{scenario.description}</Typography>
      <Stack direction="row" spacing={2} sx={{mt: 1}}>
        {cell("target", scenario.target)}
        {cell("invalidation", scenario.invalidation)}
        <Box>
          <Typography variant="caption" color="text.secondary" component="div">{t("reward_risk")}</Typography>
          <span className="num scenario-rr">{ratio === null ? "—" : formatFixed(ratio, 2, lang)}</span>
        </Box>
      </Stack>
    </Paper>
  );
}

function Details({doc, result, t, lang}: {doc: Analysis; result: AnalysisResult; t: TFunction; lang: Lang}) {
  const usage = result.usage ?? {input_tokens: 0, output_tokens: 0, cost_usd: 0, latency_ms: 0, attempts: []};
  const rows: [string, string, ReactNode, Record<string, string>?][] = [
    ["source", t("source"), result.source === "replay" ? t("replay_source") : result.source || "—"],
    ...(doc.sources_tried.length ? [["fetched_from", t("fetched_from"), doc.sources_tried.join("; ")] as
      [string, string, ReactNode]] : []),
    ["provider", t("provider"), result.provider === "rule_based" ? t("rule_based_badge") : result.provider,
      {"data-provider": result.provider}],
    ["model", t("model"), result.model || "—"],
    ["prompt", t("prompt"), result.prompt_name ? `${result.prompt_name} v${result.prompt_version ?? "?"}` : "—"],
    ["language", t("analysis_language"), t(`lang_${pick(result.language)}`)],
    ["tokens", t("tokens"), t("tokens_value", {in: formatInteger(usage.input_tokens, lang),
      out: formatInteger(usage.output_tokens, lang)}),
    {"data-input": String(usage.input_tokens), "data-output": String(usage.output_tokens)}],
    ["cost", t("cost"), formatUsd(usage.cost_usd, lang), {"data-value": String(usage.cost_usd)}],
    ["latency", t("latency"), formatDuration(usage.latency_ms, lang), {"data-value": String(usage.latency_ms)}],
    ...((usage.attempts ?? []).length ? [["attempts", t("attempts"), usage.attempts.join(" → ")] as
      [string, string, ReactNode]] : []),
  ];
  return (
    <Box component="dl" sx={{display: "grid", gridTemplateColumns: "max-content 1fr", columnGap: 2,
      rowGap: 0.5, m: 0, fontSize: 14}}>
      {rows.map(([key, name, value, extra]) => (
        <Box key={key} sx={{display: "contents"}} data-key={key}>
          <Box component="dt" sx={{color: "text.secondary"}}>{name}</Box>
          <Box component="dd" sx={{m: 0, overflowWrap: "anywhere"}} data-testid={`detail-${key}`} {...extra}>{value}</Box>
        </Box>
      ))}
    </Box>
  );
}

export function ResultCard({doc}: {doc: Analysis}) {
  const result = doc.result;
  if (!result) return null;
  const lang = pick(result.language || doc.language);
  const t = fixedT(lang);
  const decimals = priceDecimals(result.price);
  const confidence = Math.round((isNumber(result.confidence) ? result.confidence : 0) * 100);
  const list = (items: string[], testid: string) => (
    <Box component="ul" data-testid={testid} sx={{m: 0, pl: 2.5}}>
      {items.map((item, i) => <li key={i}>{item}</li>)}</Box>
  );
  return (
    <Paper component="article" sx={{p: 2}} data-testid="result" data-analysis-id={doc.id} lang={lang}
      aria-labelledby="result-title">
      <Stack direction={{xs: "column", sm: "row"}} justifyContent="space-between" spacing={1}>
        <Box>
          <Typography variant="h1" component="h2" id="result-title" data-testid="result-title">
            {result.symbol} · {result.timeframe}</Typography>
          <Typography variant="body2" color="text.secondary">
            {t("price")} <span className="num" data-testid="price" data-value={String(result.price)}>
              {formatPrice(result.price, decimals, lang)}</span> {result.symbol.split("/")[1] ?? ""}
            {" · "}{t("as_of")} <time dateTime={result.as_of}>{formatUtc(result.as_of)}</time>
          </Typography>
        </Box>
        <Box sx={{textAlign: {sm: "right"}}}>
          <Typography variant="h1" component="p" data-testid="signal" data-signal={result.signal}
            className={result.signal.includes("buy") ? "up" : result.signal.includes("sell") ? "down" : undefined}>
            {SIGNALS.includes(result.signal) ? t(`sig_${result.signal}`) : humanize(result.signal)}</Typography>
          <Typography variant="body2" color="text.secondary">{t("confidence")}{" "}
            <span data-testid="confidence">{confidence}%</span></Typography>
          <LinearProgress variant="determinate" value={confidence} aria-label={t("confidence")}
            sx={{mt: 0.5, minWidth: 140}} />
        </Box>
      </Stack>
      <StaleBanner asOf={result.as_of} timeframe={result.timeframe} t={t} />
      <TrackRecordLine result={result} lang={lang} />
      <Context result={result} t={t} lang={lang} />
      {result.notes.length ? (
        <Alert severity="warning" sx={{mt: 2}} data-testid="notes">
          <strong>{t("notes_title")}</strong>{list(result.notes, "notes-list")}</Alert>
      ) : null}
      <Suspense fallback={<Typography sx={{mt: 2}} color="text.secondary">{t("chart_loading")}</Typography>}>
        <Chart doc={doc} lang={lang} />
      </Suspense>
      <Section title={t("report")}>
        {result.provider === "rule_based" ? <Chip size="small" data-testid="rule-based"
          label={t("rule_based_badge")} title={t("rule_based_hint")} sx={{mb: 1}} /> : null}
        <Typography data-testid="summary">{result.summary}</Typography>
        {result.key_points.length ? <><Typography variant="h3" sx={{mt: 1.5}}>{t("key_points")}</Typography>
          {list(result.key_points, "key-points")}</> : null}
        {result.risks.length ? <><Typography variant="h3" sx={{mt: 1.5}}>{t("risks")}</Typography>
          {list(result.risks, "risks")}</> : null}
      </Section>
      {result.bull_scenario || result.bear_scenario ? (
        <Section title={t("scenarios")}>
          <Stack direction={{xs: "column", md: "row"}} spacing={1.5}>
            {result.bull_scenario ? <ScenarioCard side="bull" scenario={result.bull_scenario}
              price={result.price} decimals={decimals} t={t} lang={lang} /> : null}
            {result.bear_scenario ? <ScenarioCard side="bear" scenario={result.bear_scenario}
              price={result.price} decimals={decimals} t={t} lang={lang} /> : null}
          </Stack>
        </Section>
      ) : null}
      <Section title={t("levels")}><Levels result={result} t={t} lang={lang} decimals={decimals} /></Section>
      <Section title={t("indicators")}>
        <Indicators result={result} t={t} lang={lang} decimals={decimals} />
        <Divider sx={{my: 2}} />
        <Votes votes={result.votes ?? {}} t={t} lang={lang} />
      </Section>
      <Section title={t("details")}><Details doc={doc} result={result} t={t} lang={lang} /></Section>
      <Typography variant="caption" color="text.secondary" component="p" sx={{mt: 2}}>
        {t("disclaimer")}</Typography>
    </Paper>
  );
}

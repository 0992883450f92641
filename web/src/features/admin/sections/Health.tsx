// System health: checks, pipeline counts and times, LLM and Telegram today, problems, and the
// market sources — all read from the store by the API, polled live.

import {Box, Chip, Grid, Stack, Typography} from "@mui/material";
import {useQuery} from "@tanstack/react-query";
import {useTranslation} from "react-i18next";
import {formatClock, formatInteger, formatUsd, formatUtc} from "../../../format";
import {admin, type Health as HealthData, type Window} from "../api";
import {Loaded, Panel, useLang} from "../parts";

const EVERY_S = 5;

function Figure({label, value, testid}: {label: string; value: string; testid?: string}) {
  return (
    <Box sx={{minWidth: 110}}>
      <Typography variant="caption" color="text.secondary">{label}</Typography>
      <Typography variant="body1" data-testid={testid}>{value}</Typography>
    </Box>
  );
}

function Pipeline({title, data, testid}: {title: string; data: Window; testid: string}) {
  const {t} = useTranslation("admin");
  const lang = useLang();
  const secs = (v: number | null) => v === null ? "—" : `${v.toLocaleString(lang)} s`;
  return (
    <Panel title={title} testid={testid}>
      <Stack direction="row" flexWrap="wrap" gap={2}>
        <Figure label={t("analyses")} value={formatInteger(data.total, lang)} />
        <Figure label={t("timeouts")} value={formatInteger(data.timeouts, lang)} />
        <Figure label={`${t("completion")} · ${t("median")}`} value={secs(data.completion_seconds.median)} />
        <Figure label={`${t("completion")} · ${t("p95")}`} value={secs(data.completion_seconds.p95)} />
      </Stack>
      <Stack direction="row" flexWrap="wrap" gap={1} sx={{mt: 1}} aria-label={t("by_status")}>
        {Object.entries(data.by_status).map(([status, n]) => (
          <Chip key={status} size="small" label={`${status}: ${n}`} />
        ))}
      </Stack>
    </Panel>
  );
}

function Body({data}: {data: HealthData}) {
  const {t} = useTranslation("admin");
  const lang = useLang();
  return (
    <>
      <Typography variant="body2" color="text.secondary" sx={{mb: 1}}>
        {t("live_every", {s: EVERY_S, time: formatClock(data.at)})}
      </Typography>
      <Stack direction="row" gap={1} sx={{mb: 2}} aria-label={t("checks")}>
        {Object.entries(data.checks).map(([name, state]) => (
          <Chip key={name} color={state === "ok" ? "success" : "error"} label={`${name}: ${state}`}
            data-testid={`check-${name}`} />
        ))}
        <Chip label={data.env} variant="outlined" />
      </Stack>
      <Grid container spacing={2}>
        <Grid size={{xs: 12, md: 6}}><Pipeline title={t("last_hour")} data={data.pipeline.last_hour} testid="pipeline-hour" /></Grid>
        <Grid size={{xs: 12, md: 6}}><Pipeline title={t("last_day")} data={data.pipeline.last_day} testid="pipeline-day" /></Grid>
        <Grid size={{xs: 12, md: 6}}>
          <Panel title={t("llm_today")} testid="llm-today">
            <Stack direction="row" flexWrap="wrap" gap={2}>
              <Figure label={t("tokens_in")} value={formatInteger(data.llm.input_tokens, lang)} />
              <Figure label={t("tokens_out")} value={formatInteger(data.llm.output_tokens, lang)} />
              <Figure label={t("cost")} value={formatUsd(data.llm.cost_usd, lang)} />
            </Stack>
          </Panel>
        </Grid>
        <Grid size={{xs: 12, md: 6}}>
          <Panel title={t("telegram_today")} testid="telegram-today">
            <Stack direction="row" flexWrap="wrap" gap={2}>
              <Figure label={t("sent")} value={formatInteger(data.telegram.sent, lang)} />
              <Figure label={t("errors")} value={formatInteger(data.telegram.errors, lang)} />
              <Figure label={t("rate_limited")} value={formatInteger(data.telegram.rate_limited, lang)} />
            </Stack>
          </Panel>
        </Grid>
      </Grid>
      <Panel title={t("s_sources")} testid="health-sources">
        <Stack direction="row" flexWrap="wrap" gap={1}>
          {data.market_sources.map((s) => (
            <Chip key={s.name} color={s.state === "closed" ? "success" : "warning"}
              label={`${s.name}: ${t(`st_${s.state}`)}${s.enabled ? "" : " (off)"}`} />
          ))}
        </Stack>
      </Panel>
      <Panel title={t("problems")} testid="problems">
        {data.problems.length === 0 ? <Typography>{t("no_problems")}</Typography> : (
          <Box component="ul" sx={{m: 0, pl: 2}}>
            {data.problems.map((p) => (
              <li key={`${p.kind}:${p.id}`}>
                <Typography variant="body2">
                  {formatUtc(p.at)} · {t(`kind_${p.kind}`)} · {p.function ?? "—"}{p.topic ? ` · ${p.topic}` : ""}: {p.reason}
                </Typography>
              </li>
            ))}
          </Box>
        )}
      </Panel>
    </>
  );
}

export function Health() {
  const query = useQuery({queryKey: ["admin", "health"], queryFn: admin.health,
    refetchInterval: EVERY_S * 1000});
  return <Loaded query={query}>{(data) => <Body data={data} />}</Loaded>;
}

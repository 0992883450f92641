// The progress card: status line (a live region), the bar, each stage with its time, cancel,
// and the failure reason with the sources tried.

import {Alert, Box, Button, LinearProgress, Paper, Stack, Typography} from "@mui/material";
import type {TFunction} from "i18next";
import {useState} from "react";
import {useTranslation} from "react-i18next";
import {api} from "../../api/endpoints";
import {FINAL, type Analysis} from "../../api/types";
import {formatClock, formatDuration, humanize} from "../../format";
import {explain} from "../../i18n/errors";
import {pick} from "../../i18n";
import {progressOf, stepStates, tookMs} from "./steps";

function statusText(doc: Analysis, t: TFunction, lang: "en" | "ru"): string {
  const name = t(`st_${doc.status}`, {defaultValue: humanize(doc.status)});
  if (!FINAL.has(doc.status)) return `${name}… ${progressOf(doc)}%`;
  const took = tookMs(doc);
  return took === null ? name : `${name}${t("took", {time: formatDuration(took, lang)})}`;
}

export function Progress({doc}: {doc: Analysis}) {
  const {t, i18n} = useTranslation();
  const lang = pick(i18n.language);
  const [cancelError, setCancelError] = useState("");
  const [cancelling, setCancelling] = useState(false);
  const progress = progressOf(doc);
  const final = FINAL.has(doc.status);

  async function cancel(): Promise<void> {
    setCancelling(true);
    setCancelError("");
    try {
      await api.cancel(doc.id);
    } catch (err) {
      setCancelError(explain(err, t));
    } finally {
      setCancelling(false);
    }
  }

  return (
    <Paper component="section" aria-label={t("progress_label")} sx={{p: 2}} id="progress-card"
      data-testid="progress" data-analysis-id={doc.id}>
      <Stack direction="row" justifyContent="space-between" alignItems="center" spacing={1}>
        <Typography variant="h2">{doc.symbol} · {doc.timeframe}</Typography>
        {!final ? <Button size="small" variant="outlined" color="inherit" onClick={cancel}
          disabled={cancelling} data-testid="cancel">
          {cancelling ? t("cancelling") : t("cancel")}</Button> : null}
      </Stack>
      <Typography role="status" aria-live="polite" data-testid="status" id="status"
        data-status={doc.status} sx={{my: 1}}>
        {statusText(doc, t, lang)}
        {doc.status === "failed" && doc.error
          ? <span className="visually-hidden">: {doc.error}</span> : null}
      </Typography>
      <LinearProgress variant="determinate" value={progress} data-testid="progress-bar"
        id="progress-bar" aria-label={t("progress_label")} aria-valuetext={`${progress}% — ${doc.status}`}
        color={doc.status === "failed" ? "error" : doc.status === "completed" ? "success" : "primary"} />
      <Box component="ol" id="steps" aria-label={t("stages")} sx={{display: "flex", gap: 1,
        listStyle: "none", p: 0, m: 0, mt: 1.5, flexWrap: "wrap"}}>
        {stepStates(doc).map((step) => (
          <Box component="li" key={step.step} data-step={step.step}
            className={step.reachedAt ? "reached" : undefined}
            aria-current={step.active ? "step" : undefined}
            sx={{flex: "1 1 0", minWidth: 70, px: 1, py: 0.5, borderRadius: 1,
              fontSize: {xs: 12, sm: 13}, overflowWrap: "anywhere",
              border: 1, borderColor: step.active ? "primary.main" : "divider",
              opacity: step.reachedAt ? 1 : 0.55}}>
            <Box component="span" sx={{display: "block", fontWeight: 600}}>
              {t(step.final ? `step_${step.final}` : `step_${step.step}`)}</Box>
            <Box component="time" dateTime={step.reachedAt ?? undefined} sx={{color: "text.secondary"}}>
              {step.reachedAt ? (step.step === "queued" ? formatClock(step.reachedAt)
                : `+${formatDuration(step.offsetMs, lang)}`) : "\u00a0"}
            </Box>
          </Box>
        ))}
      </Box>
      {cancelError ? <Alert severity="error" sx={{mt: 1}}>{cancelError}</Alert> : null}
      {doc.status === "failed" ? (
        <Alert severity="error" sx={{mt: 1.5}} data-testid="failure">
          <strong>{t("failure_title")}</strong>
          <Box data-testid="failure-reason">{doc.error || t("failure_none")}</Box>
          {doc.sources_tried.length ? <Box data-testid="failure-sources">
            {t("sources_tried", {list: doc.sources_tried.join("; ")})}</Box> : null}
        </Alert>
      ) : null}
    </Paper>
  );
}

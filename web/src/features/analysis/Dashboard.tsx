// The dashboard: request an analysis, follow it, read it; history and watchlist beside it.
// The analysis on screen is the route's (/analysis/:id), so a link or a reload reopens it.

import {Alert, Box, Paper, Typography} from "@mui/material";
import {useNavigate, useParams} from "react-router";
import {useTranslation} from "react-i18next";
import {ApiError} from "../../api/errors";
import {explain} from "../../i18n/errors";
import {History} from "../history/History";
import {Watchlist} from "../watchlist/Watchlist";
import {Progress} from "./Progress";
import {RequestForm} from "./RequestForm";
import {ResultCard} from "./ResultCard";
import {useFollowedAnalysis} from "./useAnalysis";

export function Dashboard() {
  const {t} = useTranslation();
  const {id} = useParams();
  const navigate = useNavigate();
  const followed = useFollowedAnalysis(id);
  const open = (next: string) => navigate(`/analysis/${encodeURIComponent(next)}`);
  const doc = followed.doc;
  const notFound = followed.error instanceof ApiError && followed.error.status === 404;
  return (
    <Box sx={{display: "grid", gap: 2, gridTemplateColumns: {xs: "minmax(0, 1fr)",
      lg: "minmax(0, 1fr) 380px"}, alignItems: "start"}}>
      <Box sx={{display: "grid", gap: 2, minWidth: 0, gridTemplateColumns: "minmax(0, 1fr)"}}>
        <RequestForm onRequested={open} />
        {!followed.connected ? <Alert severity="warning" data-testid="live-down">{t("live_down")}</Alert> : null}
        {followed.error ? <Alert severity="error" data-testid="live-error">
          {notFound ? t("not_found") : t("live_stopped", {reason: explain(followed.error, t)})}</Alert> : null}
        {doc ? <Progress doc={doc} /> : id && !followed.error ? (
          <Paper sx={{p: 2}}><Typography role="status">{t("loading_analysis")}</Typography></Paper>
        ) : !id ? (
          <Paper sx={{p: 2}}><Typography color="text.secondary" data-testid="idle">
            {t("idle_before")}<strong>{t("analyze")}</strong>{t("idle_after")}</Typography></Paper>
        ) : null}
        {doc?.status === "completed" ? <ResultCard doc={doc} /> : null}
      </Box>
      <Box sx={{display: "grid", gap: 2, minWidth: 0, gridTemplateColumns: "minmax(0, 1fr)"}}>
        <History currentId={id} onOpen={open} />
        <Watchlist />
      </Box>
    </Box>
  );
}

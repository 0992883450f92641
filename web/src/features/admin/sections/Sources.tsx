// Market sources: the fallback order (up/down), enable/disable, and each source's health
// (breaker, last error and when, latency p50, success rate, ban). A change is saved at once
// and applies to the next analysis.

import {Alert, Box, Button, Chip, Stack, Switch, Typography} from "@mui/material";
import {useMutation, useQuery, useQueryClient} from "@tanstack/react-query";
import {useTranslation} from "react-i18next";
import {formatInteger, formatPercent, formatUtc} from "../../../format";
import {admin, type Source} from "../api";
import {Loaded, message, Panel, useLang} from "../parts";

function moved(list: Source[], index: number, by: number): Source[] {
  const next = [...list];
  const [item] = next.splice(index, 1);
  if (item) next.splice(index + by, 0, item);
  return next;
}

function Card({source, index, count, onChange}: {source: Source; index: number; count: number;
  onChange(by: number | "toggle"): void}) {
  const {t} = useTranslation("admin");
  const lang = useLang();
  return (
    <Box data-testid={`source-${source.name}`} sx={{border: 1, borderColor: "divider", borderRadius: 1, p: 1, mb: 1}}>
      <Stack direction="row" alignItems="center" gap={1} flexWrap="wrap">
        <Typography sx={{fontWeight: 600, minWidth: 90}}>{index + 1}. {source.name}</Typography>
        <Chip size="small" data-testid="breaker" color={source.state === "closed" ? "success" : "warning"}
          label={`${t("breaker")}: ${t(`st_${source.state}`)}`} />
        {source.configured ? null : <Chip size="small" variant="outlined" label={t("not_configured")} />}
        <Box sx={{flex: 1}} />
        <Button size="small" disabled={index === 0} onClick={() => onChange(-1)}
          aria-label={`${t("up")} ${source.name}`}>↑ {t("up")}</Button>
        <Button size="small" disabled={index === count - 1} onClick={() => onChange(1)}
          aria-label={`${t("down")} ${source.name}`}>↓ {t("down")}</Button>
        <Switch checked={source.enabled} onChange={() => onChange("toggle")}
          slotProps={{input: {"aria-label": `${t("enabled")} ${source.name}`}}} />
      </Stack>
      <Typography variant="body2" color="text.secondary">
        {t("latency")}: {source.latency_p50_ms === null ? "—" : `${formatInteger(source.latency_p50_ms, lang)} ms`}
        {" · "}{t("success")}: {formatPercent(source.success_rate, 0, lang)}
        {" · "}{t("calls")}: {formatInteger(source.calls, lang)}
        {source.banned_until ? ` · ${t("ban_until")}: ${formatUtc(source.banned_until)}` : ""}
      </Typography>
      {source.last_error ? <Typography variant="body2" color="warning.main">
        {t("last_error")} ({formatUtc(source.last_error_at)}): {source.last_error}</Typography> : null}
    </Box>
  );
}

export function Sources() {
  const {t} = useTranslation("admin");
  const client = useQueryClient();
  const query = useQuery({queryKey: ["admin", "sources"], queryFn: admin.sources});
  const save = useMutation({
    mutationFn: (list: Source[]) => admin.setSources(list.map((s) => ({name: s.name, enabled: s.enabled}))),
    onSuccess: (data) => client.setQueryData(["admin", "sources"], data),
  });
  return (
    <Panel title={t("s_sources")}>
      <Typography variant="body2" color="text.secondary" sx={{mb: 1}}>{t("applies_next")}</Typography>
      {save.error ? <Alert severity="error">{message(save.error)}</Alert> : null}
      <Loaded query={query}>{({sources}) => sources.map((source, index) => (
        <Card key={source.name} source={source} index={index} count={sources.length}
          onChange={(by) => save.mutate(by === "toggle"
            ? sources.map((s) => s.name === source.name ? {...s, enabled: !s.enabled} : s)
            : moved(sources, index, by))} />
      ))}</Loaded>
    </Panel>
  );
}

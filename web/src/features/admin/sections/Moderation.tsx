// Moderation: hide or unhide an analysis, the hidden analyses, banned users (unban), and the
// moderation log. Open to moderators; the API refuses what a moderator may not do.

import {Alert, Box, Button, Stack, TextField, Typography} from "@mui/material";
import {useMutation, useQuery, useQueryClient} from "@tanstack/react-query";
import {useState} from "react";
import {useTranslation} from "react-i18next";
import {formatUtc} from "../../../format";
import {admin} from "../api";
import {Loaded, message, Panel} from "../parts";

export function Moderation() {
  const {t} = useTranslation("admin");
  const client = useQueryClient();
  const [id, setId] = useState("");
  const [reason, setReason] = useState("");
  const hidden = useQuery({queryKey: ["admin", "hidden"], queryFn: admin.hidden});
  const banned = useQuery({queryKey: ["admin", "banned"], queryFn: admin.banned});
  const log = useQuery({queryKey: ["admin", "log"], queryFn: admin.log});
  const refresh = () => client.invalidateQueries({queryKey: ["admin"]});
  const mark = useMutation({
    mutationFn: ({target, action}: {target: string; action: string}) => admin.moderate(target, action, reason),
    onSuccess: refresh,
  });
  const unban = useMutation({mutationFn: (user: string) => admin.unban(user, reason), onSuccess: refresh});
  const error = mark.error ?? unban.error;
  return (
    <>
      <Panel title={t("s_moderation")}>
        <Stack direction={{xs: "column", sm: "row"}} gap={1}>
          <TextField size="small" label={t("analysis_id")} value={id} onChange={(e) => setId(e.target.value.trim())}
            slotProps={{htmlInput: {maxLength: 64, "data-testid": "mod-analysis"}}} />
          <TextField size="small" label={t("reason")} value={reason} onChange={(e) => setReason(e.target.value)}
            slotProps={{htmlInput: {maxLength: 500}}} />
          <Button variant="outlined" disabled={!id} onClick={() => mark.mutate({target: id, action: "hide"})}>{t("hide")}</Button>
          <Button disabled={!id} onClick={() => mark.mutate({target: id, action: "unhide"})}>{t("unhide")}</Button>
        </Stack>
        {error ? <Alert severity="error" sx={{mt: 1}}>{message(error)}</Alert> : null}
      </Panel>
      <Panel title={t("hidden")} testid="hidden">
        <Loaded query={hidden}>{({items}) => items.length === 0 ? <Typography>{t("none")}</Typography> : items.map((a) => (
          <Stack key={String(a.id)} direction="row" alignItems="center" gap={1}>
            <Typography variant="body2">{String(a.id)} · {String(a.symbol)} {String(a.timeframe ?? "")} · {String((a.moderation as {reason?: string} | null)?.reason ?? "")}</Typography>
            <Button size="small" onClick={() => mark.mutate({target: String(a.id), action: "unhide"})}>{t("unhide")}</Button>
          </Stack>
        ))}</Loaded>
      </Panel>
      <Panel title={t("banned_users")} testid="banned">
        <Loaded query={banned}>{({items}) => items.length === 0 ? <Typography>{t("none")}</Typography> : items.map((u) => (
          <Stack key={String(u.id)} direction="row" alignItems="center" gap={1}>
            <Typography variant="body2">{String(u.id)} · {formatUtc(u.banned_at as string)} · {String(u.banned_reason ?? "")}</Typography>
            <Button size="small" onClick={() => unban.mutate(String(u.id))}>{t("unban")}</Button>
          </Stack>
        ))}</Loaded>
      </Panel>
      <Panel title={t("log")} testid="mod-log">
        <Loaded query={log}>{({items}) => (
          <Box component="ul" sx={{m: 0, pl: 2}}>{items.map((e) => (
            <li key={e.id}><Typography variant="body2">
              {formatUtc(e.at)} · {t("actor")} {e.actor_id} · {e.action} · {e.target}{e.reason ? ` · ${e.reason}` : ""}
            </Typography></li>
          ))}</Box>
        )}</Loaded>
      </Panel>
    </>
  );
}

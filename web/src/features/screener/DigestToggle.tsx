// The daily digest toggle: on/off, the local hour and the UTC offset (PUT /api/digest; the
// bot's /digest sets the same preference).

import {Alert, FormControlLabel, MenuItem, Paper, Stack, Switch, TextField, Typography} from "@mui/material";
import {useMutation, useQuery, useQueryClient} from "@tanstack/react-query";
import {useTranslation} from "react-i18next";
import {explain} from "../../i18n/errors";
import {screenerApi, type DigestPrefs} from "./api";
import {offsetLabel, offsets} from "./sorting";
import "./texts";

const HOURS = Array.from({length: 24}, (_, hour) => hour);

export function DigestToggle() {
  const {t} = useTranslation();
  const client = useQueryClient();
  const prefs = useQuery({queryKey: ["digest"], queryFn: screenerApi.digest});
  const save = useMutation({
    mutationFn: screenerApi.setDigest,
    onSuccess: (saved) => client.setQueryData(["digest"], saved),
  });
  const current: DigestPrefs = prefs.data ?? {enabled: false, hour: 9,
    utc_offset_minutes: -new Date().getTimezoneOffset()};
  const change = (update: Partial<DigestPrefs>) => save.mutate({...current, ...update});

  return (
    <Paper component="section" aria-labelledby="digest-title" sx={{p: 2}} data-testid="digest">
      <Typography variant="h2" id="digest-title" gutterBottom>{t("digest_title")}</Typography>
      <Stack direction={{xs: "column", sm: "row"}} spacing={2} alignItems={{sm: "center"}}>
        <FormControlLabel label={t("digest_on")} control={
          <Switch checked={current.enabled} disabled={!prefs.isSuccess || save.isPending}
            onChange={(event) => change({enabled: event.target.checked})}
            slotProps={{input: {"aria-label": t("digest_on")}}} data-testid="digest-switch" />} />
        <TextField select size="small" label={t("digest_hour")} value={current.hour}
          disabled={!prefs.isSuccess} onChange={(event) => change({hour: Number(event.target.value)})}>
          {HOURS.map((hour) => <MenuItem key={hour} value={hour}>{`${hour}:00`}</MenuItem>)}
        </TextField>
        <TextField select size="small" label={t("digest_offset")} value={current.utc_offset_minutes}
          disabled={!prefs.isSuccess}
          onChange={(event) => change({utc_offset_minutes: Number(event.target.value)})}>
          {offsets().map((minutes) => (
            <MenuItem key={minutes} value={minutes}>{offsetLabel(minutes)}</MenuItem>))}
        </TextField>
      </Stack>
      {save.isSuccess ? <Typography role="status" color="text.secondary">{t("digest_saved")}</Typography> : null}
      {prefs.error || save.error
        ? <Alert severity="error" sx={{mt: 1}}>{explain(prefs.error ?? save.error, t)}</Alert> : null}
    </Paper>
  );
}

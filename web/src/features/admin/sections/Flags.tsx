// Feature flags: each FEATURE_* flag with what it switches, its value and where the value
// comes from; a switch saves at once.

import {Alert, Box, Stack, Switch, Typography} from "@mui/material";
import {useMutation, useQuery, useQueryClient} from "@tanstack/react-query";
import {useTranslation} from "react-i18next";
import {admin} from "../api";
import {Loaded, message, Panel} from "../parts";

export function Flags() {
  const {t} = useTranslation("admin");
  const client = useQueryClient();
  const query = useQuery({queryKey: ["admin", "flags"], queryFn: admin.flags});
  const set = useMutation({
    mutationFn: ({name, enabled}: {name: string; enabled: boolean}) => admin.setFlag(name, enabled),
    onSuccess: (data) => client.setQueryData(["admin", "flags"], data),
  });
  return (
    <Panel title={t("s_flags")}>
      {set.error ? <Alert severity="error">{message(set.error)}</Alert> : null}
      <Loaded query={query}>{({flags}) => flags.map((flag) => (
        <Stack key={flag.name} direction="row" alignItems="flex-start" gap={1} sx={{mb: 1}}
          data-testid={`flag-${flag.name}`}>
          <Switch checked={flag.enabled} disabled={set.isPending}
            onChange={() => set.mutate({name: flag.name, enabled: !flag.enabled})}
            slotProps={{input: {"aria-label": flag.name}}} />
          <Box>
            <Typography sx={{fontFamily: "monospace", wordBreak: "break-all"}}>{flag.name}</Typography>
            <Typography variant="body2" color="text.secondary">{t(`flag_${flag.name}`, {defaultValue: flag.description})}</Typography>
            <Typography variant="caption" color="text.secondary">
              {t("from_source", {source: flag.source})} · {t("default_is", {value: flag.default ? t("yes") : t("no")})}
            </Typography>
          </Box>
        </Stack>
      ))}</Loaded>
    </Panel>
  );
}

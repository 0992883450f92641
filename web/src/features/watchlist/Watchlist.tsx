// The watchlist panel: my watch items with their rules; add, edit, pause/resume, delete.

import {Alert, Box, Button, Chip, Divider, List, ListItem, Paper, Stack, Typography} from "@mui/material";
import {useQuery, useQueryClient} from "@tanstack/react-query";
import {useState} from "react";
import {useTranslation} from "react-i18next";
import {api} from "../../api/endpoints";
import type {WatchItem} from "../../api/types";
import {explain} from "../../i18n/errors";
import {pick} from "../../i18n";
import {describeRule} from "./rules";
import {WatchForm} from "./WatchForm";

const body = ({id: _id, ...rest}: WatchItem): Omit<WatchItem, "id"> => {
  const {symbol, timeframe, rules, note, enabled} = rest;
  return {symbol, timeframe, rules, ...(note ? {note} : {}), enabled: enabled ?? true};
};

export function Watchlist() {
  const {t, i18n} = useTranslation();
  const lang = pick(i18n.language);
  const client = useQueryClient();
  const items = useQuery({queryKey: ["watch"], queryFn: api.watchList});
  const [editing, setEditing] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const refresh = () => client.invalidateQueries({queryKey: ["watch"]});

  async function act(run: () => Promise<unknown>): Promise<void> {
    setError(null);
    try {
      await run();
      await refresh();
    } catch (err) {
      setError(err);
    }
  }

  return (
    <Paper component="section" aria-labelledby="watch-title" sx={{p: 2}} data-testid="watchlist">
      <Typography variant="h2" id="watch-title" gutterBottom>{t("watchlist")}</Typography>
      {items.isSuccess && !items.data.length ? <Typography color="text.secondary">{t("no_watch")}</Typography> : null}
      {error ? <Alert severity="error" sx={{mb: 1}}>{explain(error, t)}</Alert> : null}
      <List disablePadding>
        {(items.data ?? []).map((item) => editing === item.id ? (
          <ListItem key={item.id} disableGutters divider>
            <WatchForm item={item} onCancel={() => setEditing(null)} onSave={async (value) => {
              await api.watchReplace(item.id, value);
              setEditing(null);
              await refresh();
            }} />
          </ListItem>
        ) : (
          <ListItem key={item.id} disableGutters divider data-testid="watch-item" data-id={item.id}
            data-enabled={String(item.enabled ?? true)} sx={{display: "block"}}>
            <Stack direction="row" spacing={1} alignItems="center" useFlexGap flexWrap="wrap">
              <Typography component="span" sx={{fontWeight: 600}}>{item.symbol} · {item.timeframe}</Typography>
              {item.enabled === false ? <Chip size="small" label={t("paused")} data-testid="watch-paused" /> : null}
              <Box sx={{flex: 1}} />
              <Button size="small" data-testid="watch-edit" onClick={() => setEditing(item.id)}>{t("edit")}</Button>
              <Button size="small" data-testid="watch-pause" onClick={() => void act(() =>
                api.watchReplace(item.id, {...body(item), enabled: item.enabled === false}))}>
                {item.enabled === false ? t("resume") : t("pause")}</Button>
              <Button size="small" color="error" data-testid="watch-delete"
                aria-label={t("watch_delete_label", {subject: `${item.symbol} · ${item.timeframe}`})}
                onClick={() => void act(() => api.watchDelete(item.id))}>{t("delete")}</Button>
            </Stack>
            {item.rules.length ? (
              <Box component="ul" sx={{m: 0, pl: 2.5}}>
                {item.rules.map((rule, i) => <li key={i}>{describeRule(rule, t, lang)}</li>)}
              </Box>
            ) : <Typography variant="body2" color="text.secondary">{t("no_rules")}</Typography>}
            {item.note ? <Typography variant="body2" color="text.secondary">{item.note}</Typography> : null}
          </ListItem>
        ))}
      </List>
      <Divider sx={{my: 2}} />
      <WatchForm onSave={async (value) => {
        await api.watchAdd(value);
        await refresh();
      }} />
    </Paper>
  );
}

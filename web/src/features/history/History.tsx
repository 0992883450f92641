// My analyses from the server, newest first, a page at a time, filtered by pair; the same
// list in every browser the user signs in from.

import {Box, Button, List, ListItemButton, ListItemText, Paper, TextField, Typography} from "@mui/material";
import {useInfiniteQuery} from "@tanstack/react-query";
import {useState} from "react";
import {useTranslation} from "react-i18next";
import {api} from "../../api/endpoints";
import {formatUtc} from "../../format";

export function History({currentId, onOpen}: {currentId?: string; onOpen(id: string): void}) {
  const {t} = useTranslation();
  const [filter, setFilter] = useState("");
  const symbol = /^[A-Za-z0-9]{2,}[/-]?[A-Za-z0-9]{2,}$/.test(filter.trim()) ? filter.trim() : "";
  const pages = useInfiniteQuery({
    queryKey: ["history", symbol],
    queryFn: ({pageParam}) => api.history(pageParam, symbol),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
  });
  const items = pages.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Paper component="section" aria-labelledby="history-title" sx={{p: 2}} data-testid="history">
      <Typography variant="h2" id="history-title" gutterBottom>{t("history")}</Typography>
      <TextField size="small" fullWidth label={t("history_filter")} value={filter}
        onChange={(event) => setFilter(event.target.value)} placeholder={t("all_pairs")}
        slotProps={{htmlInput: {"data-testid": "history-filter", autoComplete: "off"}}} />
      {pages.isError ? <Typography color="error" sx={{mt: 1}}>{(pages.error as Error).message}</Typography> : null}
      {pages.isSuccess && !items.length ? (
        <Typography color="text.secondary" sx={{mt: 1}} data-testid="history-empty">
          {symbol ? t("no_history_for", {symbol}) : t("no_recent")}</Typography>
      ) : null}
      <List dense disablePadding sx={{mt: 1}}>
        {items.map((doc) => (
          <ListItemButton key={doc.id} data-testid="recent-item" data-id={doc.id}
            selected={doc.id === currentId} onClick={() => onOpen(doc.id)}
            aria-current={doc.id === currentId ? "true" : undefined}>
            <ListItemText primary={`${doc.symbol} · ${doc.timeframe}`}
              secondary={`${t(`st_${doc.status}`)} · ${formatUtc(doc.created_at)}`}
              slotProps={{secondary: {className: doc.status === "failed" ? "down" : undefined}}} />
          </ListItemButton>
        ))}
      </List>
      {pages.hasNextPage ? (
        <Box sx={{mt: 1}}><Button size="small" onClick={() => void pages.fetchNextPage()}
          disabled={pages.isFetchingNextPage} data-testid="history-more">{t("load_more")}</Button></Box>
      ) : null}
    </Paper>
  );
}

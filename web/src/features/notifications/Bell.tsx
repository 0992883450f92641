// The bell in the top bar (live unread count) and its panel: my notifications, newest first.
// An analysis notification opens that analysis; an alert shows the alert's text.

import {Badge, Box, Button, IconButton, List, ListItem, Popover, Stack, Typography} from "@mui/material";
import {useRef, useState} from "react";
import {useTranslation} from "react-i18next";
import type {Notification} from "../../api/types";
import type {Inbox} from "./useInbox";

function when(iso: string): string {
  const moment = new Date(iso);
  if (Number.isNaN(moment.getTime())) return "";
  const clock = moment.toTimeString().slice(0, 5);
  return new Date().toDateString() === moment.toDateString() ? clock
    : `${moment.toISOString().slice(0, 10)} ${clock}`;
}

function BellIcon() {
  return (
    <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false">
      <path d="M6 16V11a6 6 0 0 1 12 0v5l2 2H4z M10 20a2 2 0 0 0 4 0" fill="none"
        stroke="currentColor" strokeWidth="1.8" strokeLinejoin="round" />
    </svg>
  );
}

export function Bell({inbox, onOpen}: {inbox: Inbox; onOpen(analysisId: string): void}) {
  const {t} = useTranslation();
  const anchor = useRef<HTMLButtonElement>(null);
  const [open, setOpen] = useState(false);

  function item(n: Notification) {
    const content = (
      <Stack spacing={0.25} sx={{textAlign: "left"}}>
        <Typography variant="caption" color="text.secondary">
          {n.kind === "alert.triggered" ? t("kind_alert") : n.analysis_id ? t("kind_analysis") : ""}
          {" · "}<time dateTime={n.created_at}>{when(n.created_at)}</time></Typography>
        <Typography variant="body2" component="strong" className="notification-title"
          sx={{fontWeight: n.read ? 400 : 700}}>{n.title}</Typography>
        <Typography variant="body2" className="notification-body" color="text.secondary">{n.body}</Typography>
      </Stack>
    );
    return (
      <ListItem key={n.id} data-testid="notification" data-id={n.id} data-kind={n.kind}
        data-read={String(n.read)} divider sx={{alignItems: "flex-start", gap: 1}}>
        {n.analysis_id ? (
          <Button color="inherit" data-testid="notification-open" title={t("open_analysis")}
            sx={{flex: 1, justifyContent: "flex-start", textTransform: "none", p: 0.5}}
            onClick={() => {
              void inbox.markRead(n);
              setOpen(false);
              onOpen(n.analysis_id as string);
            }}>{content}</Button>
        ) : <Box sx={{flex: 1, p: 0.5}}>{content}</Box>}
        {n.read ? null : <Button size="small" data-testid="notification-read"
          onClick={() => void inbox.markRead(n)}>{t("mark_read")}</Button>}
      </ListItem>
    );
  }

  return (
    <>
      <IconButton ref={anchor} data-testid="bell" aria-haspopup="true" aria-expanded={open}
        aria-controls="notifications-panel" aria-label={t("bell_label", {n: inbox.unread})}
        onClick={() => setOpen((was) => !was)} color="inherit">
        <Badge color="error" badgeContent={inbox.unread > 99 ? "99+" : inbox.unread}
          invisible={inbox.unread === 0} slotProps={{badge: {"data-testid": "unread-count"} as object}}>
          <BellIcon />
        </Badge>
      </IconButton>
      <Popover open={open} anchorEl={anchor.current} onClose={() => setOpen(false)}
        anchorOrigin={{vertical: "bottom", horizontal: "right"}}
        transformOrigin={{vertical: "top", horizontal: "right"}}
        slotProps={{paper: {id: "notifications-panel", "data-testid": "notifications-panel",
          role: "dialog", "aria-label": t("notifications"),
          sx: {width: "min(420px, calc(100vw - 16px))", maxHeight: "70vh"}} as object}}>
        <Stack direction="row" justifyContent="space-between" alignItems="center" sx={{px: 2, py: 1}}>
          <Typography variant="h2">{t("notifications")}</Typography>
          <Button size="small" data-testid="mark-all-read" disabled={inbox.unread === 0}
            onClick={() => void inbox.markAll()}>{t("mark_all_read")}</Button>
        </Stack>
        {inbox.error ? <Typography color="error" sx={{px: 2}}>{(inbox.error as Error).message}</Typography> : null}
        {inbox.items.length ? <List dense disablePadding>{inbox.items.map(item)}</List>
          : <Typography color="text.secondary" sx={{px: 2, pb: 2}}>{t("no_notifications")}</Typography>}
      </Popover>
    </>
  );
}

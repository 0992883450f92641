// Users: search by id or name, page through (the API's `next`), role, plan, use today, cost,
// last seen, ban state; change role and daily limit; ban and unban with a reason (logged).

import {Alert, Box, Button, MenuItem, Stack, Table, TableBody, TableCell, TableHead, TableRow,
  TextField} from "@mui/material";
import {useInfiniteQuery, useMutation, useQueryClient} from "@tanstack/react-query";
import {useState} from "react";
import {useTranslation} from "react-i18next";
import {formatUsd, formatUtc} from "../../../format";
import {admin, type AdminUser} from "../api";
import {Failure, message, Panel, useLang} from "../parts";

const ROLES = ["user", "premium", "vip", "admin"];

function Editor({user, onDone}: {user: AdminUser; onDone(): void}) {
  const {t} = useTranslation("admin");
  const client = useQueryClient();
  const [role, setRole] = useState(user.role);
  const [quota, setQuota] = useState(user.daily_quota === null ? "" : String(user.daily_quota));
  const [reason, setReason] = useState("");
  const [note, setNote] = useState<string | null>(null);
  const done = async () => {
    setNote(t("user_saved"));
    await client.invalidateQueries({queryKey: ["admin", "users"]});
  };
  const change = useMutation({
    mutationFn: () => admin.changeUser(user.id, {role, reason: reason || null,
      daily_quota: quota.trim() === "" ? -1 : Number(quota)}),
    onSuccess: done,
  });
  const ban = useMutation({
    mutationFn: () => user.banned ? admin.unban(user.id, reason) : admin.ban(user.id, reason),
    onSuccess: done,
  });
  const error = change.error ?? ban.error;
  return (
    <Stack direction={{xs: "column", sm: "row"}} gap={1} sx={{py: 1}} data-testid={`edit-${user.id}`}>
      <TextField select size="small" label={t("role")} value={role} onChange={(e) => setRole(e.target.value)}
        slotProps={{htmlInput: {"data-testid": "edit-role"}}}>
        {ROLES.map((r) => <MenuItem key={r} value={r}>{r}</MenuItem>)}
      </TextField>
      <TextField size="small" label={t("quota_override")} value={quota} type="number"
        onChange={(e) => setQuota(e.target.value)} />
      <TextField size="small" label={t("reason")} value={reason} onChange={(e) => setReason(e.target.value)}
        slotProps={{htmlInput: {"data-testid": "edit-reason", maxLength: 500}}} />
      <Button variant="contained" onClick={() => change.mutate()} disabled={change.isPending}>{t("save")}</Button>
      <Button color={user.banned ? "success" : "error"} variant="outlined" onClick={() => ban.mutate()}
        disabled={ban.isPending} data-testid="ban-toggle">{user.banned ? t("unban") : t("ban")}</Button>
      <Button onClick={onDone}>{t("cancel")}</Button>
      {error ? <Alert severity="error">{message(error)}</Alert> : note ? <Alert severity="success">{note}</Alert> : null}
    </Stack>
  );
}

function Row({user}: {user: AdminUser}) {
  const {t} = useTranslation("admin");
  const lang = useLang();
  const [editing, setEditing] = useState(false);
  const name = [user.username ? `@${user.username}` : null, user.first_name].filter(Boolean).join(" ");
  return (
    <>
      <TableRow data-testid={`user-${user.id}`}>
        <TableCell>{user.id}{name ? ` · ${name}` : ""}</TableCell>
        <TableCell>{user.role}{user.moderator ? ` · ${t("moderator")}` : ""}</TableCell>
        <TableCell>{user.used_today} / {user.daily_limit ?? "∞"}</TableCell>
        <TableCell>{formatUsd(user.cost_today_usd, lang)}</TableCell>
        <TableCell>{user.last_seen_at ? formatUtc(user.last_seen_at) : t("never")}</TableCell>
        <TableCell>{user.banned ? `${t("banned")}${user.banned_reason ? `: ${user.banned_reason}` : ""}` : t("active")}</TableCell>
        <TableCell><Button size="small" onClick={() => setEditing(!editing)}>{t("change")}</Button></TableCell>
      </TableRow>
      {editing ? <TableRow><TableCell colSpan={7}><Editor user={user} onDone={() => setEditing(false)} /></TableCell></TableRow> : null}
    </>
  );
}

export function Users() {
  const {t} = useTranslation("admin");
  const [text, setText] = useState("");
  const [role, setRole] = useState("");
  const pages = useInfiniteQuery({
    queryKey: ["admin", "users", text, role],
    queryFn: ({pageParam}) => admin.users(text, role, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next,
  });
  const users = pages.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Panel title={t("s_users")}>
      <Stack direction={{xs: "column", sm: "row"}} gap={1} sx={{mb: 1}}>
        <TextField size="small" label={t("search")} value={text} onChange={(e) => setText(e.target.value)}
          slotProps={{htmlInput: {"data-testid": "user-search", maxLength: 64}}} />
        <TextField select size="small" label={t("role")} value={role} onChange={(e) => setRole(e.target.value)}
          sx={{minWidth: 140}}>
          <MenuItem value="">{t("all_roles")}</MenuItem>
          {ROLES.map((r) => <MenuItem key={r} value={r}>{r}</MenuItem>)}
        </TextField>
      </Stack>
      {pages.error ? <Failure error={pages.error} /> : null}
      <Box sx={{overflowX: "auto"}}>
        <Table size="small" sx={{minWidth: 720}}>
          <TableHead><TableRow>
            <TableCell>Id</TableCell><TableCell>{t("role")} / {t("plan")}</TableCell>
            <TableCell>{t("used_today")}</TableCell><TableCell>{t("cost_today")}</TableCell>
            <TableCell>{t("last_seen")}</TableCell><TableCell>{t("ban_state")}</TableCell><TableCell />
          </TableRow></TableHead>
          <TableBody>{users.map((u) => <Row key={u.id} user={u} />)}</TableBody>
        </Table>
      </Box>
      {pages.isSuccess && users.length === 0 ? <Alert severity="info">{t("no_users")}</Alert> : null}
      {pages.hasNextPage ? <Button onClick={() => void pages.fetchNextPage()} disabled={pages.isFetchingNextPage}
        data-testid="users-more">{t("more")}</Button> : null}
    </Panel>
  );
}

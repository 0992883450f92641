// Messages: a system_alert to everyone or a user_message to one user, in English and/or
// Russian (each user gets their language when both are written); it arrives in the web bell
// and, for users with a chat, in Telegram.

import {Alert, Box, Button, MenuItem, Stack, TextField, Typography} from "@mui/material";
import {useMutation, useQuery, useQueryClient} from "@tanstack/react-query";
import {useState} from "react";
import {useTranslation} from "react-i18next";
import {formatUtc} from "../../../format";
import {admin} from "../api";
import {Loaded, message, Panel} from "../parts";

const texts = (en: string, ru: string): Record<string, string> =>
  Object.fromEntries(Object.entries({en, ru}).filter(([, v]) => v.trim()));

export function Messages() {
  const {t} = useTranslation("admin");
  const client = useQueryClient();
  const [kind, setKind] = useState("system_alert");
  const [user, setUser] = useState("");
  const [form, setForm] = useState({title_en: "", body_en: "", title_ru: "", body_ru: ""});
  const sent = useQuery({queryKey: ["admin", "messages"], queryFn: admin.messages});
  const send = useMutation({
    mutationFn: () => admin.sendMessage({kind, user_id: kind === "user_message" ? user.trim() : null,
      title: texts(form.title_en, form.title_ru), body: texts(form.body_en, form.body_ru)}),
    onSuccess: async () => {
      setForm({title_en: "", body_en: "", title_ru: "", body_ru: ""});
      await client.invalidateQueries({queryKey: ["admin", "messages"]});
    },
  });
  const field = (name: keyof typeof form, multiline = false) => (
    <TextField size="small" label={t(name)} value={form[name]} multiline={multiline} minRows={multiline ? 2 : undefined}
      onChange={(e) => setForm({...form, [name]: e.target.value})}
      slotProps={{htmlInput: {"data-testid": `msg-${name}`, maxLength: multiline ? 2000 : 120}}} />
  );
  return (
    <>
      <Panel title={t("s_messages")}>
        <Stack gap={1} component="form" onSubmit={(e) => { e.preventDefault(); send.mutate(); }}>
          <Stack direction={{xs: "column", sm: "row"}} gap={1}>
            <TextField select size="small" label={t("kind")} value={kind} onChange={(e) => setKind(e.target.value)}
              sx={{minWidth: 240}}>
              <MenuItem value="system_alert">{t("system_alert")}</MenuItem>
              <MenuItem value="user_message">{t("user_message")}</MenuItem>
            </TextField>
            {kind === "user_message" ? <TextField size="small" label={t("recipient")} value={user}
              onChange={(e) => setUser(e.target.value)} slotProps={{htmlInput: {maxLength: 24}}} /> : null}
          </Stack>
          <Stack direction={{xs: "column", md: "row"}} gap={1}>
            <Stack gap={1} sx={{flex: 1}}>{field("title_en")}{field("body_en", true)}</Stack>
            <Stack gap={1} sx={{flex: 1}}>{field("title_ru")}{field("body_ru", true)}</Stack>
          </Stack>
          <Box><Button type="submit" variant="contained" disabled={send.isPending} data-testid="msg-send">{t("send")}</Button></Box>
          {send.error ? <Alert severity="error">{message(send.error)}</Alert> : null}
          {send.isSuccess ? <Alert severity="success" data-testid="msg-sent">{t("message_sent")}</Alert> : null}
        </Stack>
      </Panel>
      <Panel title={t("sent_messages")} testid="sent-messages">
        <Loaded query={sent}>{({items}) => items.length === 0 ? <Typography>{t("none")}</Typography> : (
          <Box component="ul" sx={{m: 0, pl: 2}}>{items.map((m) => (
            <li key={m.id}><Typography variant="body2">
              {formatUtc(m.at)} · {m.kind} · {m.user_id ?? t("everyone")} · {m.title.en ?? m.title.ru}
            </Typography></li>
          ))}</Box>
        )}</Loaded>
      </Panel>
    </>
  );
}

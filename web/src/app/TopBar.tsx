// The top bar: brand, the features' nav entries, language, who is signed in, the bell and
// sign-out.

import {AppBar, Box, Button, Stack, TextField, Toolbar, Typography} from "@mui/material";
import {useQueryClient} from "@tanstack/react-query";
import {NavLink, useNavigate} from "react-router";
import {useTranslation} from "react-i18next";
import {session, useSession} from "../auth/session";
import {config} from "../config";
import {Bell} from "../features/notifications/Bell";
import type {Inbox} from "../features/notifications/useInbox";
import {LANGUAGES, type Lang} from "../i18n";
import {FEATURES} from "./features";

interface Props {
  language: Lang;
  onLanguage(lang: Lang): void;
  inbox: Inbox | null;
}

export function TopBar({language, onLanguage, inbox}: Props) {
  const {t} = useTranslation();
  const {user, token} = useSession();
  const navigate = useNavigate();
  const client = useQueryClient();
  const entries = FEATURES.filter((f) => f.nav && (!f.shownTo || f.shownTo(user)));
  return (
    <AppBar position="static" color="default" sx={{bgcolor: "background.paper"}}>
      <Toolbar variant="dense" sx={{gap: 1, flexWrap: "wrap", py: 0.5}}>
        <Stack direction="row" spacing={1} alignItems="center" sx={{mr: 1}}>
          <img src="/favicon.svg" alt="" width={24} height={24} />
          <Typography variant="h1" component="span">ChartGenius</Typography>
        </Stack>
        <Box component="nav" aria-label={t("nav")} sx={{display: "flex", gap: 0.5}}>
          {entries.length > 1 ? entries.map((f) => (
            <Button key={f.path} component={NavLink} to={f.path.replace(/\/\*$/, "")} size="small"
              color="inherit">{t(f.nav as string)}</Button>
          )) : null}
        </Box>
        <Box sx={{flex: 1}} />
        <TextField select size="small" label={t("language")} value={language}
          onChange={(event) => onLanguage(event.target.value as Lang)} sx={{width: 118}}
          slotProps={{select: {native: true}, htmlInput: {"data-testid": "language"}}}>
          {LANGUAGES.map((lang) => <option key={lang} value={lang}>{t(`lang_${lang}`)}</option>)}
        </TextField>
        <Typography variant="body2" color="text.secondary" data-testid="session"
          sx={{display: {xs: "none", sm: "block"}}}>
          {user ? [config().devLogin ? t("dev_login") : null, user.username ? `@${user.username}`
            : t("user_n", {id: user.telegram_id ?? user.id}), user.role].filter(Boolean).join(" · ")
            : t("not_signed_in")}
        </Typography>
        {inbox && token ? <Bell inbox={inbox} onOpen={(id) => navigate(`/analysis/${encodeURIComponent(id)}`)} /> : null}
        {token && !config().devLogin ? <Button size="small" color="inherit" data-testid="sign-out"
          onClick={() => {
            session.forget();
            client.clear();
            navigate("/signin");
          }}>{t("sign_out")}</Button> : null}
      </Toolbar>
    </AppBar>
  );
}

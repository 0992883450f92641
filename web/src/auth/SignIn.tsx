// The sign-in page: the Telegram Login Widget (bot from the runtime config). The widget's
// script comes from telegram.org; if it cannot load, the page says so and points to the bot
// instead of leaving a dead end.

import {Alert, Box, Button, Link, Paper, Stack, Typography} from "@mui/material";
import {useEffect, useRef, useState} from "react";
import {useTranslation} from "react-i18next";
import {useNavigate, useSearchParams} from "react-router";
import {send} from "../api/client";
import {config} from "../config";
import {explain} from "../i18n/errors";
import {pick} from "../i18n";
import {safeNext} from "./gate";
import {useSession} from "./session";
import {widgetSignIn} from "./signin";
import {mountLoginWidget} from "./telegram";

type WidgetState = "loading" | "shown" | "failed" | "unconfigured";

export function SignIn() {
  const {t, i18n} = useTranslation();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const {token} = useSession();
  const slot = useRef<HTMLDivElement>(null);
  const bot = config().telegramBotUsername;
  const [widget, setWidget] = useState<WidgetState>(bot ? "loading" : "unconfigured");
  const [error, setError] = useState("");
  const next = safeNext(params.get("next"));

  useEffect(() => {
    if (token) navigate(next, {replace: true});
  }, [token, next, navigate]);

  useEffect(() => {
    const parent = slot.current;
    if (!bot || !parent) return undefined;
    parent.replaceChildren();
    let live = true;
    mountLoginWidget(parent, bot, pick(i18n.language), (user) => {
      widgetSignIn(send, user).catch((err: unknown) => setError(explain(err, t)));
    }).then(() => live && setWidget("shown"), () => live && setWidget("failed"));
    return () => {
      live = false;
    };
  }, [bot, i18n.language, t]);

  return (
    <Box sx={{display: "grid", placeItems: "center", minHeight: "60vh"}}>
      <Paper component="section" aria-labelledby="signin-title" sx={{p: 3, maxWidth: 460, width: "100%"}}
        data-testid="sign-in" data-widget={widget}>
        <Typography variant="h1" id="signin-title" gutterBottom>{t("sign_in_title")}</Typography>
        {params.get("expired") ? <Alert severity="info" sx={{mb: 2}} data-testid="sign-in-expired">
          {t("sign_in_expired")}</Alert> : null}
        <Typography color="text.secondary" sx={{mb: 2}}>{t("sign_in_text")}</Typography>
        <Stack spacing={2} alignItems="flex-start">
          <div ref={slot} data-testid="telegram-widget" aria-busy={widget === "loading"} />
          {widget === "loading" ? <Typography role="status">{t("signing_in")}</Typography> : null}
          {widget === "failed" ? <Alert severity="warning" data-testid="widget-failed">
            {t("sign_in_widget_failed")}</Alert> : null}
          {widget === "unconfigured" ? <Alert severity="warning">{t("sign_in_unconfigured")}</Alert> : null}
          {bot ? <Button component={Link} href={`https://t.me/${encodeURIComponent(bot)}`} variant="outlined"
            data-testid="open-bot" rel="noopener" target="_blank">{t("sign_in_bot", {bot})}</Button> : null}
          {error ? <Alert severity="error" role="alert" data-testid="sign-in-error">{error}</Alert> : null}
        </Stack>
      </Paper>
    </Box>
  );
}

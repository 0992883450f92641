// Inside Telegram (Mini App): follow Telegram's theme and show its back button away from home.

import {useEffect, useState} from "react";
import {useLocation, useNavigate} from "react-router";
import {miniApp, type WebApp} from "../auth/telegram";
import type {TelegramTheme} from "./theme";

export function useMiniApp(): {app: WebApp | null; theme: TelegramTheme | null} {
  const [app, setApp] = useState<WebApp | null>(null);
  const location = useLocation();
  const navigate = useNavigate();

  useEffect(() => {
    let live = true;
    void miniApp().then((found) => {
      if (!live || !found) return;
      found.expand?.();
      document.documentElement.dataset.telegram = "true";
      setApp(found);
    });
    return () => {
      live = false;
    };
  }, []);

  useEffect(() => {
    const back = app?.BackButton;
    if (!back) return undefined;
    const home = location.pathname === "/";
    const goBack = () => navigate(-1);
    if (home) back.hide();
    else back.show();
    back.onClick(goBack);
    return () => back.offClick(goBack);
  }, [app, location.pathname, navigate]);

  return {app, theme: app ? app.themeParams as TelegramTheme : null};
}

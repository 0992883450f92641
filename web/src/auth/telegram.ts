// Telegram: the Mini App (opened inside Telegram, initData in the URL fragment and on
// window.Telegram.WebApp) and the Login Widget (production sign-in in a browser). Both
// scripts come from telegram.org and load only when needed; a failed load is not an error of
// the page (the sign-in panel says what to do instead).

export interface WidgetUser {
  id: number;
  auth_date: number;
  hash: string;
  first_name?: string;
  last_name?: string;
  username?: string;
  photo_url?: string;
}

interface BackButton {
  show(): void;
  hide(): void;
  onClick(callback: () => void): void;
  offClick(callback: () => void): void;
}

export interface WebApp {
  initData: string;
  colorScheme?: "light" | "dark";
  themeParams: Record<string, string | undefined>;
  BackButton?: BackButton;
  ready(): void;
  expand?(): void;
}

declare global {
  interface Window {
    Telegram?: {WebApp?: WebApp};
    onTelegramAuth?: (user: WidgetUser) => void;
  }
}

const MINI_APP_SCRIPT = "https://telegram.org/js/telegram-web-app.js";
const WIDGET_SCRIPT = "https://telegram.org/js/telegram-widget.js?22";

/** initData when the page runs as a Mini App: from the SDK, or from the launch fragment. */
export function miniAppInitData(): string | null {
  const fromSdk = window.Telegram?.WebApp?.initData;
  if (fromSdk) return fromSdk;
  const fragment = new URLSearchParams(window.location.hash.replace(/^#/, ""));
  return fragment.get("tgWebAppData");
}

export function loadScript(src: string, attributes: Record<string, string> = {},
  parent: HTMLElement = document.head): Promise<void> {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = src;
    script.async = true;
    for (const [name, value] of Object.entries(attributes)) script.setAttribute(name, value);
    script.addEventListener("load", () => resolve(), {once: true});
    script.addEventListener("error", () => reject(new Error(`${src} did not load`)), {once: true});
    parent.append(script);
  });
}

/** The Mini App SDK (theme, back button), loaded only inside Telegram. */
export async function miniApp(): Promise<WebApp | null> {
  if (window.Telegram?.WebApp?.initData) return window.Telegram.WebApp;
  if (!miniAppInitData()) return null;
  try {
    await loadScript(MINI_APP_SCRIPT);
  } catch {
    return null;  // signs in from the fragment anyway; only theme and back button are lost
  }
  const app = window.Telegram?.WebApp ?? null;
  app?.ready();
  return app;
}

/** Mounts the Login Widget into `parent`; `onUser` gets the signed fields Telegram hands back. */
export function mountLoginWidget(parent: HTMLElement, bot: string, lang: string,
  onUser: (user: WidgetUser) => void): Promise<void> {
  window.onTelegramAuth = onUser;
  return loadScript(WIDGET_SCRIPT, {
    "data-telegram-login": bot, "data-size": "large", "data-radius": "8",
    "data-onauth": "onTelegramAuth(user)", "data-request-access": "write", "data-lang": lang,
  }, parent);
}

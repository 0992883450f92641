// The app shell: theme (Telegram's inside the Mini App), top bar, the features' routes, and
// the sign-in gate — without a way to sign in automatically, a missing or expired token
// sends the user to /signin and back to where they were.

import {Box, Container} from "@mui/material";
import {ThemeProvider} from "@mui/material/styles";
import {Suspense, useEffect, useMemo, useState} from "react";
import {Navigate, Route, Routes, useLocation, useMatch} from "react-router";
import {useTranslation} from "react-i18next";
import {signInPath, signsInAutomatically} from "../auth/gate";
import {SignIn} from "../auth/SignIn";
import {useSession} from "../auth/session";
import {useInbox} from "../features/notifications/useInbox";
import {i18n, saveLanguage, savedLanguage, type Lang} from "../i18n";
import {FEATURES} from "./features";
import {useMiniApp} from "./miniapp";
import {appTheme} from "./theme";
import {TopBar} from "./TopBar";

function useLanguage(): [Lang, (lang: Lang) => void] {
  const [language, setLanguage] = useState<Lang>(savedLanguage);
  useEffect(() => {
    void i18n.changeLanguage(language);
    document.documentElement.lang = language;
    saveLanguage(language);
  }, [language]);
  return [language, setLanguage];
}

function Gate({children}: {children: React.ReactNode}) {
  const {token} = useSession();
  const location = useLocation();
  const [hadToken] = useState(Boolean(token));
  if (!token && !signsInAutomatically()) {
    return <Navigate to={signInPath(location.pathname + location.search, hadToken)} replace />;
  }
  return <>{children}</>;
}

export function App() {
  const [language, setLanguage] = useLanguage();
  const {theme: telegram, app} = useMiniApp();
  const theme = useMemo(() => appTheme(telegram, app?.colorScheme === "light"), [telegram, app]);
  const {token} = useSession();
  const {t} = useTranslation();
  const watching = useMatch("/analysis/:id")?.params.id;
  const inbox = useInbox(watching, Boolean(token) || signsInAutomatically());

  useEffect(() => {
    document.documentElement.dataset.ready = "true";
  }, []);

  return (
    <ThemeProvider theme={theme}>
      <a className="skip-link" href="#main">{t("skip")}</a>
      <TopBar language={language} onLanguage={setLanguage} inbox={inbox} />
      <Container component="main" id="main" maxWidth="xl" sx={{py: 2, px: {xs: 1, sm: 2}}}>
        <Suspense fallback={<Box role="status">{t("loading")}</Box>}>
          <Routes>
            <Route path="/signin" element={<SignIn />} />
            {FEATURES.map(({path, page: Page}) => (
              <Route key={path} path={path} element={<Gate><Page /></Gate>} />
            ))}
            <Route path="*" element={<Navigate to="/" replace />} />
          </Routes>
        </Suspense>
      </Container>
    </ThemeProvider>
  );
}

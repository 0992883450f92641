// The web app's entry: runtime config, styles without inline CSS, query cache, i18n, router.

import {CacheProvider} from "@emotion/react";
import {QueryClient, QueryClientProvider} from "@tanstack/react-query";
import {StrictMode} from "react";
import {createRoot} from "react-dom/client";
import {BrowserRouter} from "react-router";
import {I18nextProvider} from "react-i18next";
import {App} from "./app/App";
import {styleCache} from "./app/style_sheet";
import {ApiError} from "./api/errors";
import {i18n} from "./i18n";
import "./app/page.css";

const queries = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      refetchOnWindowFocus: false,
      // a refusal (4xx) is an answer; only transient failures are retried
      retry: (count, error) => count < 2 && !(error instanceof ApiError && error.status < 500),
    },
  },
});

const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      <CacheProvider value={styleCache()}>
        <QueryClientProvider client={queries}>
          <I18nextProvider i18n={i18n}>
            <BrowserRouter>
              <App />
            </BrowserRouter>
          </I18nextProvider>
        </QueryClientProvider>
      </CacheProvider>
    </StrictMode>,
  );
}

// Small pieces every admin section uses: query state, errors as sentences, the language.

import {Alert, Box, Paper, Typography} from "@mui/material";
import type {UseQueryResult} from "@tanstack/react-query";
import type {ReactNode} from "react";
import {useTranslation} from "react-i18next";
import {pick, type Lang} from "../../i18n";

export function useLang(): Lang {
  const {i18n} = useTranslation();
  return pick(i18n.language);
}

export function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function Failure({error}: {error: unknown}) {
  const {t} = useTranslation("admin");
  return <Alert severity="error" role="alert">{t("error", {message: message(error)})}</Alert>;
}

/** The query's data, or its loading line, or its error. */
export function Loaded<T>({query, children}: {query: UseQueryResult<T>; children(data: T): ReactNode}) {
  const {t} = useTranslation("admin");
  if (query.error) return <Failure error={query.error} />;
  if (query.data === undefined) return <Box role="status">{t("loading")}</Box>;
  return <>{children(query.data)}</>;
}

export function Panel({title, children, testid}: {title: string; children: ReactNode; testid?: string}) {
  return (
    <Paper variant="outlined" sx={{p: {xs: 1, sm: 2}, mb: 2, overflowX: "auto"}} data-testid={testid}>
      <Typography variant="h6" component="h2" sx={{mb: 1, fontSize: "1.05rem"}}>{title}</Typography>
      {children}
    </Paper>
  );
}

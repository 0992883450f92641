// Request an analysis: the pair (with the pairs the sources have as suggestions), the
// timeframe and the language; the quota line; Analyze disabled with the reason when the
// day's analyses are used up. A refusal shows the server's reason under the form.

import {Alert, Box, Button, Paper, Stack, TextField, Typography} from "@mui/material";
import {useQuery, useQueryClient} from "@tanstack/react-query";
import {useState, type FormEvent} from "react";
import {useTranslation} from "react-i18next";
import {api} from "../../api/endpoints";
import {TIMEFRAMES} from "../../api/types";
import {explain} from "../../i18n/errors";
import {pick} from "../../i18n";
import {QuotaLine, useQuota} from "./QuotaLine";

interface Props {
  onRequested(id: string): void;
}

export function RequestForm({onRequested}: Props) {
  const {t, i18n} = useTranslation();
  const [symbol, setSymbol] = useState("BTC/USDT");
  const [timeframe, setTimeframe] = useState("4h");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const pairs = useQuery({queryKey: ["pairs"], queryFn: api.pairs, staleTime: 300_000,
    retry: false});
  const quota = useQuota();
  const client = useQueryClient();

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault();
    setError("");
    setBusy(true);
    try {
      const doc = await api.create({symbol: symbol.trim(), timeframe,
        language: pick(i18n.language)});
      client.setQueryData(["analysis", doc.id], doc);
      void client.invalidateQueries({queryKey: ["history"]});
      onRequested(doc.id);
    } catch (err) {
      setError(explain(err, t));
    } finally {
      setBusy(false);
      void quota.refetch();
    }
  }

  const usedUp = quota.usedUp;
  return (
    <Paper component="section" aria-labelledby="request-title" sx={{p: 2}}>
      <Typography variant="h2" id="request-title" gutterBottom>{t("request_title")}</Typography>
      <Box component="form" onSubmit={submit} noValidate data-testid="request-form">
        <Stack direction={{xs: "column", sm: "row"}} spacing={1.5} alignItems={{sm: "flex-start"}}>
          <TextField label={t("pair")} value={symbol} size="small" required
            onChange={(event) => setSymbol(event.target.value)} error={Boolean(error)}
            slotProps={{htmlInput: {"data-testid": "symbol", list: "pair-suggestions",
              autoComplete: "off", spellCheck: false, "aria-invalid": Boolean(error),
              "aria-describedby": error ? "form-error" : undefined}}} sx={{minWidth: 160}} />
          <datalist id="pair-suggestions" aria-label={t("suggestions")}>
            {(pairs.data ?? []).map((pair) => <option key={pair.symbol} value={pair.symbol} />)}
          </datalist>
          <TextField select label={t("timeframe")} value={timeframe} size="small"
            onChange={(event) => setTimeframe(event.target.value)}
            slotProps={{select: {native: true}, htmlInput: {"data-testid": "timeframe"}}}
            sx={{minWidth: 120}}>
            {TIMEFRAMES.map((tf) => <option key={tf} value={tf}>{tf}</option>)}
          </TextField>
          <Button type="submit" variant="contained" data-testid="analyze"
            disabled={busy || usedUp} aria-describedby={usedUp ? "quota-line" : undefined}
            sx={{minWidth: 120, height: 40}}>
            {busy ? t("requesting") : t("analyze")}
          </Button>
        </Stack>
        <QuotaLine quota={quota} />
        {error ? <Alert severity="error" id="form-error" data-testid="form-error" role="alert"
          sx={{mt: 1.5}}>{error}</Alert> : null}
      </Box>
    </Paper>
  );
}


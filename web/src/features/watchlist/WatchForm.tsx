// Add or edit a watch item: pair, timeframe, rules, note. A refusal reads as sentences in the
// user's language; after success the form clears (or closes, when editing).

import {Alert, Box, Button, IconButton, Stack, TextField, Typography} from "@mui/material";
import {useState, type FormEvent} from "react";
import {useTranslation} from "react-i18next";
import {TIMEFRAMES, type WatchItem} from "../../api/types";
import {explain} from "../../i18n/errors";
import {describeRule, DIRECTIONS, draft, editable, RULE_FIELDS, ruleOf, TRENDS, type DraftRule} from "./rules";
import {pick} from "../../i18n";

interface Props {
  item?: WatchItem;
  onSave(value: Omit<WatchItem, "id">): Promise<void>;
  onCancel?(): void;
}

function RuleRow({row, onChange, onRemove}: {row: DraftRule; onChange(row: DraftRule): void;
  onRemove(): void}) {
  const {t, i18n} = useTranslation();
  const id = `rule-${row.key}`;
  if (!editable(row.kind) && row.original) {  // an AND rule: kept as it is, or removed
    return (
      <Stack component="li" direction="row" spacing={1} alignItems="center" data-testid="rule-row">
        <Typography variant="body2" sx={{flex: 1}}>{describeRule(row.original, t, pick(i18n.language))}</Typography>
        <IconButton aria-label={t("remove_rule")} data-testid="rule-remove" onClick={onRemove}>×</IconButton>
      </Stack>
    );
  }
  return (
    <Stack component="li" direction="row" spacing={1} useFlexGap flexWrap="wrap"
      alignItems="flex-start" data-testid="rule-row">
      <TextField select size="small" label={t("rule_kind")} value={row.kind} id={`${id}-kind`}
        onChange={(event) => onChange({...draft(event.target.value), key: row.key})}
        slotProps={{select: {native: true}, htmlInput: {"data-testid": "rule-kind"}}}>
        {Object.keys(RULE_FIELDS).map((kind) => <option key={kind} value={kind}>{t(`rk_${kind}`)}</option>)}
      </TextField>
      {(RULE_FIELDS[row.kind] ?? []).map(([name, type]) => type === "direction" || type === "trend" ? (
        <TextField key={name} select size="small" label={t(`rf_${name}`)} value={row.values[name]}
          onChange={(event) => onChange({...row, values: {...row.values, [name]: event.target.value}})}
          slotProps={{select: {native: true}, htmlInput: {"data-testid": `rule-${name}`}}}>
          {type === "trend" ? TRENDS.map((d) => <option key={d} value={d}>{t(`dir_${d}`)}</option>)
            : DIRECTIONS.map((d) => <option key={d} value={d}>{t(`macd_${d}`)}</option>)}
        </TextField>
      ) : (
        <TextField key={name} size="small" label={t(`rf_${name}`)} value={row.values[name]}
          sx={{width: 150}} id={`${id}-${name}`}
          onChange={(event) => onChange({...row, values: {...row.values, [name]: event.target.value}})}
          slotProps={{htmlInput: {"data-testid": `rule-${name}`, inputMode: type === "int" ? "numeric" : "decimal",
            autoComplete: "off"}}} />
      ))}
      <IconButton aria-label={t("remove_rule")} data-testid="rule-remove" onClick={onRemove}>×</IconButton>
    </Stack>
  );
}

export function WatchForm({item, onSave, onCancel}: Props) {
  const {t} = useTranslation();
  const fresh = () => item ? item.rules.map((rule) => draft(rule.kind, rule)) : [draft()];
  const [symbol, setSymbol] = useState(item?.symbol ?? "");
  const [timeframe, setTimeframe] = useState(item?.timeframe ?? "4h");
  const [note, setNote] = useState(item?.note ?? "");
  const [rows, setRows] = useState<DraftRule[]>(fresh);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault();
    setError(null);
    setBusy(true);
    try {
      await onSave({symbol: symbol.trim(), timeframe, rules: rows.map(ruleOf),
        ...(note.trim() ? {note: note.trim()} : {}), enabled: item?.enabled ?? true});
      if (!item) {
        setSymbol("");
        setNote("");
        setRows([draft()]);
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const title = item ? t("watch_edit_title", {subject: `${item.symbol} · ${item.timeframe}`}) : t("watch_add_title");
  return (
    <Box component="form" onSubmit={submit} noValidate data-testid="watch-form" aria-label={title}>
      <Typography variant="h3" gutterBottom>{title}</Typography>
      <Stack direction="row" spacing={1} useFlexGap flexWrap="wrap">
        <TextField size="small" label={t("watch_symbol")} value={symbol} required
          onChange={(event) => setSymbol(event.target.value)}
          slotProps={{htmlInput: {"data-testid": "watch-symbol", list: "pair-suggestions", autoComplete: "off"}}} />
        <TextField select size="small" label={t("timeframe")} value={timeframe}
          onChange={(event) => setTimeframe(event.target.value)}
          slotProps={{select: {native: true}, htmlInput: {"data-testid": "watch-timeframe"}}}
          sx={{minWidth: 120}}>
          {TIMEFRAMES.map((tf) => <option key={tf} value={tf}>{tf}</option>)}
        </TextField>
      </Stack>
      <Typography variant="body2" color="text.secondary" sx={{mt: 1.5, mb: 1}}>{t("rules")}</Typography>
      <Stack component="ol" spacing={1} sx={{listStyle: "none", p: 0, m: 0}}>
        {rows.map((row, i) => (
          <RuleRow key={row.key} row={row}
            onChange={(next) => setRows(rows.map((r, j) => j === i ? next : r))}
            onRemove={() => setRows(rows.filter((_, j) => j !== i))} />
        ))}
      </Stack>
      <Button size="small" sx={{mt: 1}} data-testid="watch-add-rule"
        onClick={() => setRows([...rows, draft()])}>{t("add_rule")}</Button>
      <TextField size="small" fullWidth label={t("note")} value={note} sx={{mt: 1}}
        onChange={(event) => setNote(event.target.value)}
        slotProps={{htmlInput: {"data-testid": "watch-note", maxLength: 200}}} />
      {error ? <Alert severity="error" role="alert" data-testid="watch-error" sx={{mt: 1}}>
        {explain(error, t)}</Alert> : null}
      <Stack direction="row" spacing={1} sx={{mt: 1.5}}>
        <Button type="submit" variant="contained" disabled={busy} data-testid="watch-submit">
          {item ? t("save") : t("watch_add")}</Button>
        {onCancel ? <Button onClick={onCancel} data-testid="watch-cancel">{t("cancel_edit")}</Button> : null}
      </Stack>
    </Box>
  );
}


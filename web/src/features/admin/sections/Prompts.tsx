// Prompts: for each template (EN, RU) its versions with author and time, a side-by-side diff
// of any two, an editor with highlighting, a preview over a real pair's current indicators
// before saving, activate and roll back. A 412 is shown as a stale edit, never overwritten.

import {Alert, Box, Button, MenuItem, Radio, Stack, Table, TableBody, TableCell, TableHead,
  TableRow, TextField, Typography} from "@mui/material";
import {useMutation, useQuery, useQueryClient} from "@tanstack/react-query";
import {useEffect, useState} from "react";
import {useTranslation} from "react-i18next";
import {ApiError} from "../../../api/errors";
import {formatUtc} from "../../../format";
import {admin, type PromptHistory, type PromptVersion} from "../api";
import {Loaded, message, Panel} from "../parts";
import {Editor} from "./Editor";
import {SideBySide} from "./SideBySide";

function Refusal({error, onReload}: {error: unknown; onReload(): void}) {
  const {t} = useTranslation("admin");
  if (error instanceof ApiError && error.status === 412) {
    return <Alert severity="warning" data-testid="stale" action={<Button onClick={onReload}>{t("reload")}</Button>}>
      {t("stale")}</Alert>;
  }
  return <Alert severity="error" data-testid="refused">{t("refused", {message: message(error)})}</Alert>;
}

function Versions({data, pair, onPair, onEdit}: {data: PromptHistory; pair: [number, number];
  onPair(p: [number, number]): void; onEdit(v: PromptVersion): void}) {
  const {t} = useTranslation("admin");
  return (
    <Box sx={{overflowX: "auto"}}>
      <Table size="small" aria-label={t("versions")} sx={{minWidth: 640}}>
        <TableHead><TableRow>
          <TableCell>A</TableCell><TableCell>B</TableCell><TableCell>#</TableCell>
          <TableCell>{t("author")}</TableCell><TableCell>{t("created")}</TableCell><TableCell>{t("note")}</TableCell><TableCell />
        </TableRow></TableHead>
        <TableBody>{data.versions.map((v) => (
          <TableRow key={v.version} data-testid={`version-${v.version}`}>
            <TableCell padding="checkbox"><Radio size="small" checked={pair[0] === v.version}
              onChange={() => onPair([v.version, pair[1]])} slotProps={{input: {"aria-label": `A ${v.version}`}}} /></TableCell>
            <TableCell padding="checkbox"><Radio size="small" checked={pair[1] === v.version}
              onChange={() => onPair([pair[0], v.version])} slotProps={{input: {"aria-label": `B ${v.version}`}}} /></TableCell>
            <TableCell>{v.version}{data.active?.version === v.version ? ` · ${t("active_v")}` : ""}</TableCell>
            <TableCell>{v.author}</TableCell><TableCell>{formatUtc(v.created_at)}</TableCell>
            <TableCell>{v.note}</TableCell>
            <TableCell><Button size="small" onClick={() => onEdit(v)}>{t("edit_from", {v: v.version})}</Button></TableCell>
          </TableRow>
        ))}</TableBody>
      </Table>
    </Box>
  );
}

function Workbench({name, data, newest}: {name: string; data: PromptHistory; newest: PromptVersion}) {
  const {t} = useTranslation("admin");
  const client = useQueryClient();
  const [pair, setPair] = useState<[number, number]>([data.versions[1]?.version ?? newest.version, newest.version]);
  const [draft, setDraft] = useState({system: newest.system, template: newest.template, note: ""});
  const [symbol, setSymbol] = useState("BTC/USDT");
  const [timeframe, setTimeframe] = useState("4h");
  const [done, setDone] = useState<string | null>(null);
  const reload = () => client.invalidateQueries({queryKey: ["admin", "prompt", name]});
  const byNumber = (n: number) => data.versions.find((v) => v.version === n) ?? newest;
  const preview = useMutation({mutationFn: () => admin.preview({template: draft.template, language: newest.language,
    symbol: symbol.trim().toUpperCase() || undefined, timeframe})});
  const save = useMutation({
    mutationFn: () => admin.createVersion(name, {...draft, language: newest.language}),
    onSuccess: async (v) => { setDone(t("saved_version", {v: v.version})); await reload(); },
  });
  const activate = useMutation({
    mutationFn: (version: number) => admin.activate(name, version, data.active?.generation),
    onSuccess: async (_, version) => { setDone(t("activated", {v: version})); await reload(); },
  });
  const rollback = useMutation({
    mutationFn: () => admin.rollback(name, data.active?.generation),
    onSuccess: async () => { setDone(null); await reload(); },
  });
  const failure = save.error ?? activate.error ?? rollback.error;
  const context = preview.data?.context as {sample?: boolean; symbol?: string; timeframe?: string; as_of?: string} | undefined;
  return (
    <>
      <Panel title={t("versions")} testid="prompt-versions">
        <Versions data={data} pair={pair} onPair={setPair} onEdit={(v) => setDraft({system: v.system, template: v.template, note: ""})} />
        <Stack direction="row" gap={1} sx={{mt: 1}} flexWrap="wrap">
          <Button variant="outlined" onClick={() => activate.mutate(newest.version)}
            disabled={data.active?.version === newest.version} data-testid="activate-newest">
            {t("activate")} #{newest.version}</Button>
          <Button onClick={() => rollback.mutate()} disabled={!data.active?.previous?.length} data-testid="rollback">
            {t("rollback")}</Button>
        </Stack>
        {failure ? <Refusal error={failure} onReload={() => { save.reset(); activate.reset(); rollback.reset(); void reload(); }} /> : null}
        {done && !failure ? <Alert severity="success" data-testid="prompt-done">{done}</Alert> : null}
      </Panel>
      <Panel title={t("diff_of", {a: pair[0], b: pair[1]})}>
        <SideBySide before={byNumber(pair[0]).template} after={byNumber(pair[1]).template} />
      </Panel>
      <Panel title={t("editor")}>
        <Stack gap={1}>
          <TextField size="small" label={t("system")} value={draft.system} multiline minRows={2}
            onChange={(e) => setDraft({...draft, system: e.target.value})} />
          <Editor value={draft.template} label={t("editor")} onChange={(template) => setDraft((d) => ({...d, template}))} />
          <TextField size="small" label={t("note")} value={draft.note}
            onChange={(e) => setDraft({...draft, note: e.target.value})} slotProps={{htmlInput: {maxLength: 500, "data-testid": "prompt-note"}}} />
          <Stack direction={{xs: "column", sm: "row"}} gap={1} alignItems={{sm: "center"}}>
            <Typography variant="body2">{t("preview_pair")}</Typography>
            <TextField size="small" label={t("pair")} value={symbol} onChange={(e) => setSymbol(e.target.value)} />
            <TextField select size="small" label="TF" value={timeframe} onChange={(e) => setTimeframe(e.target.value)}>
              {["1h", "4h", "1d"].map((tf) => <MenuItem key={tf} value={tf}>{tf}</MenuItem>)}
            </TextField>
            <Button variant="outlined" onClick={() => preview.mutate()} data-testid="preview">{t("preview")}</Button>
            <Button variant="contained" onClick={() => save.mutate()} disabled={save.isPending} data-testid="save-version">
              {t("save_version")}</Button>
          </Stack>
          {preview.error ? <Refusal error={preview.error} onReload={() => preview.reset()} /> : null}
          {preview.data ? (
            <Box data-testid="preview-output">
              <Typography variant="caption" color="text.secondary">
                {context?.sample ? t("preview_sample") : t("preview_over", {symbol: context?.symbol, tf: context?.timeframe, as_of: formatUtc(context?.as_of)})}
              </Typography>
              <Box component="pre" sx={{whiteSpace: "pre-wrap", fontSize: 12, m: 0, maxHeight: 300, overflow: "auto"}}>{preview.data.rendered}</Box>
            </Box>
          ) : null}
        </Stack>
      </Panel>
    </>
  );
}

export default function Prompts() {
  const {t} = useTranslation("admin");
  const list = useQuery({queryKey: ["admin", "prompts"], queryFn: admin.prompts});
  const [name, setName] = useState<string | null>(null);
  const names = list.data?.items.map((p) => p.name) ?? [];
  useEffect(() => {
    if (name === null && names[0]) setName(names[0]);
  }, [name, names]);
  const history = useQuery({queryKey: ["admin", "prompt", name], queryFn: () => admin.history(name as string),
    enabled: name !== null});
  return (
    <>
      <Panel title={t("s_prompts")}>
        <Loaded query={list}>{({items}) => (
          <Stack direction="row" gap={1} flexWrap="wrap">{items.map((p) => (
            <Button key={p.name} variant={p.name === name ? "contained" : "outlined"} onClick={() => setName(p.name)}
              data-testid={`prompt-${p.name}`}>
              {p.name} · {p.versions.length} · #{p.active?.version ?? "—"}
            </Button>
          ))}</Stack>
        )}</Loaded>
      </Panel>
      {name ? <Loaded query={history}>{(data) => data.versions[0]
        ? <Workbench key={`${name}:${data.versions[0].version}`} name={name} data={data} newest={data.versions[0]} />
        : null}</Loaded> : null}
    </>
  );
}

// Tasks: analyses in progress / failed / timed out with filters, retry one or many (each a
// new attempt), dead letters with their payload and a replay, and the scheduled scans.

import {Alert, Box, Button, Checkbox, MenuItem, Stack, Table, TableBody, TableCell, TableHead,
  TableRow, TextField, Typography} from "@mui/material";
import {useMutation, useQuery, useQueryClient} from "@tanstack/react-query";
import {useState} from "react";
import {useTranslation} from "react-i18next";
import {formatUtc} from "../../../format";
import {admin, type Problem, type Task} from "../api";
import {Loaded, message, Panel} from "../parts";

const STATES = ["in_progress", "failed", "timed_out", "completed", "all"];

function TaskRows({tasks, chosen, onChoose, onRetry}: {tasks: Task[]; chosen: Set<string>;
  onChoose(id: string): void; onRetry(id: string): void}) {
  const {t} = useTranslation("admin");
  if (tasks.length === 0) return <Typography>{t("no_tasks")}</Typography>;
  return (
    <Box sx={{overflowX: "auto"}}>
      <Table size="small" sx={{minWidth: 680}}>
        <TableHead><TableRow>
          <TableCell padding="checkbox" /><TableCell>{t("pair")}</TableCell><TableCell>{t("state")}</TableCell>
          <TableCell>{t("created")}</TableCell><TableCell>{t("reason")}</TableCell><TableCell />
        </TableRow></TableHead>
        <TableBody>{tasks.map((task) => (
          <TableRow key={task.id} data-testid={`task-${task.id}`}>
            <TableCell padding="checkbox">
              {task.status === "failed" ? <Checkbox size="small" checked={chosen.has(task.id)}
                onChange={() => onChoose(task.id)} slotProps={{input: {"aria-label": `${t("select")} ${task.id}`}}} /> : null}
            </TableCell>
            <TableCell>{task.symbol} {task.timeframe}</TableCell>
            <TableCell>{task.status}{task.attempt ? ` · ${t("attempt", {n: task.attempt})}` : ""}</TableCell>
            <TableCell>{formatUtc(task.created_at)}</TableCell>
            <TableCell sx={{maxWidth: 320}}>{task.error ?? ""}</TableCell>
            <TableCell>{task.status === "failed" ? <Button size="small" onClick={() => onRetry(task.id)}
              data-testid="retry">{t("retry")}</Button> : null}</TableCell>
          </TableRow>
        ))}</TableBody>
      </Table>
    </Box>
  );
}

function DeadLetter({item, onReplay}: {item: Problem; onReplay(): void}) {
  const {t} = useTranslation("admin");
  return (
    <Box data-testid={`dead-${item.id}`} sx={{border: 1, borderColor: "divider", borderRadius: 1, p: 1, mb: 1}}>
      <Typography variant="body2">{formatUtc(item.at)} · {item.function} · {item.topic} · {item.attempts}× · {item.reason}
        {item.replays ? ` · ${t("replayed", {n: item.replays})}` : ""}</Typography>
      <details><summary>{t("payload")}</summary>
        <Box component="pre" sx={{fontSize: 12, overflowX: "auto", m: 0}}>{JSON.stringify(item.payload, null, 2)}</Box>
      </details>
      <Button size="small" onClick={onReplay}>{t("replay")}</Button>
    </Box>
  );
}

export function Tasks() {
  const {t} = useTranslation("admin");
  const client = useQueryClient();
  const [state, setState] = useState("failed");
  const [symbol, setSymbol] = useState("");
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [note, setNote] = useState<string | null>(null);
  const pair = /^[A-Z0-9]{1,12}\/[A-Z0-9]{1,12}$/.test(symbol.trim().toUpperCase()) ? symbol.trim().toUpperCase() : "";
  const tasks = useQuery({queryKey: ["admin", "tasks", state, pair], queryFn: () => admin.tasks(state, pair)});
  const dead = useQuery({queryKey: ["admin", "dead"], queryFn: admin.deadLetters});
  const refresh = () => client.invalidateQueries({queryKey: ["admin"]});
  const retry = useMutation({
    mutationFn: (ids: string[]) => admin.retryMany(ids),
    onSuccess: async (answer) => {
      setNote(answer.items.map((i) => i.retried_as ? t("retried_as", {id: i.retried_as}) : `${i.id}: ${i.error}`).join(" · "));
      setChosen(new Set());
      await refresh();
    },
  });
  const replay = useMutation({mutationFn: admin.replay, onSuccess: refresh});
  const choose = (id: string) => setChosen((was) => {
    const next = new Set(was);
    if (next.has(id)) next.delete(id); else next.add(id);
    return next;
  });
  const error = retry.error ?? replay.error;
  return (
    <>
      <Panel title={t("s_tasks")}>
        <Stack direction={{xs: "column", sm: "row"}} gap={1} sx={{mb: 1}}>
          <TextField select size="small" label={t("state")} value={state} onChange={(e) => setState(e.target.value)}
            sx={{minWidth: 160}} slotProps={{htmlInput: {"data-testid": "task-state"}}}>
            {STATES.map((s) => <MenuItem key={s} value={s}>{t(s)}</MenuItem>)}
          </TextField>
          <TextField size="small" label={t("pair")} value={symbol} placeholder="BTC/USDT"
            onChange={(e) => setSymbol(e.target.value)} slotProps={{htmlInput: {maxLength: 25}}} />
          <Button variant="outlined" disabled={chosen.size === 0 || retry.isPending}
            onClick={() => retry.mutate([...chosen])}>{t("retry_selected", {n: chosen.size})}</Button>
        </Stack>
        {error ? <Alert severity="error">{message(error)}</Alert> : null}
        {note ? <Alert severity="success" data-testid="retry-note">{note}</Alert> : null}
        <Loaded query={tasks}>{(data) => <TaskRows tasks={data.analyses} chosen={chosen}
          onChoose={choose} onRetry={(id) => retry.mutate([id])} />}</Loaded>
      </Panel>
      <Panel title={t("dead_letters")} testid="dead-letters">
        <Loaded query={dead}>{(data) => data.items.length === 0 ? <Typography>{t("no_problems")}</Typography>
          : data.items.map((item) => <DeadLetter key={item.id} item={item} onReplay={() => replay.mutate(item.id)} />)}</Loaded>
      </Panel>
      <Panel title={t("scans")} testid="scans">
        <Loaded query={tasks}>{(data) => data.scans.length === 0 ? <Typography>{t("no_scans")}</Typography> : (
          <Box component="ul" sx={{m: 0, pl: 2}}>{data.scans.map((scan) => (
            <li key={scan.id}><Typography variant="body2">
              {t("last_run")}: {formatUtc(scan.finished_at)} · {scan.timeframe} · {t("alerts_fired")}: {scan.alerts_fired ?? 0}
              {" · "}{Object.keys(scan.pairs ?? {}).join(", ")}
            </Typography></li>
          ))}</Box>
        )}</Loaded>
      </Panel>
    </>
  );
}

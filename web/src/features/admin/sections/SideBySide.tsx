// A side-by-side diff of two template versions (computed here, with jsdiff's line diff):
// unchanged lines on both sides, removed lines on the left, added ones on the right.

import {Box} from "@mui/material";
import {diffLines} from "diff";
import {useMemo} from "react";

interface Row {
  left: string | null;
  right: string | null;
  kind: "same" | "changed";
}

export function rows(before: string, after: string): Row[] {
  const out: Row[] = [];
  let removed: string[] = [];
  const flush = (added: string[]) => {
    const n = Math.max(removed.length, added.length);
    for (let i = 0; i < n; i += 1) out.push({left: removed[i] ?? null, right: added[i] ?? null, kind: "changed"});
    removed = [];
  };
  for (const part of diffLines(before, after)) {
    const lines = part.value.replace(/\n$/, "").split("\n");
    if (part.removed) removed.push(...lines);
    else if (part.added) flush(lines);
    else {
      flush([]);
      for (const line of lines) out.push({left: line, right: line, kind: "same"});
    }
  }
  flush([]);
  return out;
}

const cell = {fontFamily: "ui-monospace, monospace", fontSize: 12, whiteSpace: "pre-wrap",
  wordBreak: "break-word", px: 0.5, verticalAlign: "top", width: "50%"} as const;

export function SideBySide({before, after}: {before: string; after: string}) {
  const table = useMemo(() => rows(before, after), [before, after]);
  return (
    <Box sx={{overflowX: "auto"}} data-testid="prompt-diff">
      <Box component="table" sx={{width: "100%", borderCollapse: "collapse", tableLayout: "fixed"}}>
        <tbody>{table.map((row, i) => (
          <tr key={i}>
            <Box component="td" sx={{...cell, bgcolor: row.kind === "changed" && row.left !== null ? "rgba(244,67,54,0.18)" : undefined}}
              data-side="left">{row.left ?? ""}</Box>
            <Box component="td" sx={{...cell, bgcolor: row.kind === "changed" && row.right !== null ? "rgba(76,175,80,0.18)" : undefined}}
              data-side="right">{row.right ?? ""}</Box>
          </tr>
        ))}</tbody>
      </Box>
    </Box>
  );
}

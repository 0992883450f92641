// The stages an analysis goes through, with the time each was reached (from its history).

import type {Analysis} from "../../api/types";
import {FINAL} from "../../api/types";

export const STEPS = ["queued", "fetching", "analyzing", "done"] as const;
export type Step = (typeof STEPS)[number];

export interface StepState {
  step: Step;
  reachedAt: string | null;
  /** ms since the analysis was created (null for the first stage and unreached ones) */
  offsetMs: number | null;
  active: boolean;
  final: "completed" | "failed" | null;
}

export function progressOf(doc: Analysis): number {
  return doc.status === "completed" ? 100 : Math.max(0, Math.min(100, doc.progress || 0));
}

export function stepStates(doc: Analysis): StepState[] {
  const reached = new Map((doc.history ?? []).map((change) => [change.status, change.at]));
  const final = FINAL.has(doc.status) ? doc.status as "completed" | "failed" : null;
  const start = new Date(doc.created_at).getTime();
  return STEPS.map((step) => {
    const key = step === "done" ? final : step;
    const at = key ? reached.get(key) ?? null : null;
    return {
      step,
      reachedAt: at,
      offsetMs: at && step !== "queued" ? new Date(at).getTime() - start : null,
      active: step === doc.status || (step === "done" && final !== null),
      final: step === "done" ? final : null,
    };
  });
}

export function tookMs(doc: Analysis): number | null {
  if (!FINAL.has(doc.status) || !doc.updated_at) return null;
  return new Date(doc.updated_at).getTime() - new Date(doc.created_at).getTime();
}

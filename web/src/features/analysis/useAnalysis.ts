// The analysis on screen: loaded by id (the route), followed live until it is final. The
// query cache holds each document under ["analysis", id], so the history, the result card
// and the chart read the same copy.

import {useQueryClient} from "@tanstack/react-query";
import {useEffect, useState} from "react";
import {flushSync} from "react-dom";
import {api} from "../../api/endpoints";
import {FINAL, type Analysis} from "../../api/types";
import {liveSource} from "../../live";

export interface Followed {
  doc: Analysis | null;
  error: unknown;
  connected: boolean;
}

export function useFollowedAnalysis(id: string | undefined): Followed {
  const client = useQueryClient();
  const [state, setState] = useState<Followed>({doc: null, error: null, connected: true});

  useEffect(() => {
    if (!id) {
      setState({doc: null, error: null, connected: true});
      return undefined;
    }
    const controller = new AbortController();
    const cached = client.getQueryData<Analysis>(["analysis", id]) ?? null;
    setState({doc: cached, error: null, connected: true});
    const show = (doc: Analysis): void => {
      client.setQueryData(["analysis", id], doc);
      setState((prev) => ({...prev, doc, error: null}));
    };
    // Each live state is drawn as it arrives, even when a stream delivers several at once.
    const showLive = (doc: Analysis): void => flushSync(() => show(doc));
    const connection = (up: boolean): void => setState((prev) =>
      prev.connected === up ? prev : {...prev, connected: up});
    (async () => {
      // a fresh request's own answer (cached by the form) goes straight to the live source,
      // whose stream starts with the current state
      const first = cached ?? await api.get(id, controller.signal);
      show(first);
      if (FINAL.has(first.status)) return;
      const source = await liveSource();
      const final = await source.followAnalysis(id, showLive, controller.signal, connection);
      show(final);
      void client.invalidateQueries({queryKey: ["history"]});
      void client.invalidateQueries({queryKey: ["me"]});
    })().catch((error: unknown) => {
      if (controller.signal.aborted) return;
      setState((prev) => ({...prev, error}));
    });
    return () => controller.abort();
  }, [id, client]);

  return state;
}

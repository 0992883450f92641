// The live inbox: the unread count and the newest notifications. A notification about the
// analysis the user is looking at is marked read as it arrives, so your own completed
// analysis never raises the count while it is on screen.

import {useQuery, useQueryClient} from "@tanstack/react-query";
import {useCallback, useEffect, useRef, useState} from "react";
import {api} from "../../api/endpoints";
import type {Notification} from "../../api/types";
import {liveSource} from "../../live";

const KEEP = 50;

export interface Inbox {
  items: Notification[];
  unread: number;
  connected: boolean;
  error: unknown;
  markRead(item: Notification): Promise<void>;
  markAll(): Promise<void>;
}

export function useInbox(watching: string | undefined, enabled: boolean): Inbox {
  const client = useQueryClient();
  const list = useQuery({queryKey: ["notifications"], queryFn: () => api.notifications(20), enabled});
  const [unread, setUnread] = useState<number | null>(null);
  const [extra, setExtra] = useState<Notification[]>([]);
  const [connected, setConnected] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [autoRead, setAutoRead] = useState<ReadonlySet<string>>(new Set());
  const autoReadRef = useRef(new Set<string>());
  const watchingRef = useRef(watching);
  watchingRef.current = watching;

  const markRead = useCallback(async (item: Notification) => {
    if (item.read) return;
    try {
      const answer = await api.markRead(item.id);
      setUnread(answer.unread);
      setExtra((known) => known.map((n) => n.id === item.id ? {...n, read: true} : n));
      client.setQueryData<{items: Notification[]; unread: number}>(["notifications"], (page) =>
        page && {...page, unread: answer.unread, items: page.items.map((n) => n.id === item.id ? {...n, read: true} : n)});
    } catch (err) {
      setError(err);
    }
  }, [client]);

  // What is on screen is read: counted as read at once, so the bell never blinks up for it.
  const readOnSight = useCallback((item: Notification) => {
    if (item.read || autoReadRef.current.has(item.id)) return;
    autoReadRef.current.add(item.id);
    setAutoRead(new Set(autoReadRef.current));
    void markRead(item).finally(() => {
      autoReadRef.current.delete(item.id);
      setAutoRead(new Set(autoReadRef.current));
    });
  }, [markRead]);
  const readOnSightRef = useRef(readOnSight);
  readOnSightRef.current = readOnSight;

  useEffect(() => {
    if (!enabled) return undefined;
    const controller = new AbortController();
    void liveSource().then((source) => source.followInbox({
      connected: () => void client.invalidateQueries({queryKey: ["notifications"]}),
      unread: (count) => setUnread(count),
      added: (item) => {
        if (item.analysis_id && item.analysis_id === watchingRef.current) readOnSightRef.current(item);
        setExtra((known) => known.some((n) => n.id === item.id) ? known : [item, ...known].slice(0, KEEP));
      },
    }, controller.signal, setConnected)).catch((err: unknown) => setError(err));
    return () => controller.abort();
  }, [enabled, client]);

  const listed = list.data?.items ?? [];
  const ids = new Set(listed.map((n) => n.id));
  const items = [...extra.filter((n) => !ids.has(n.id)), ...listed]
    .sort((a, b) => b.created_at.localeCompare(a.created_at)).slice(0, KEEP);

  // …also when it came with a reload of the list (a reconnect), or the user opened it later
  useEffect(() => {
    for (const item of items) {
      if (!item.read && item.analysis_id && item.analysis_id === watching) readOnSight(item);
    }
  }, [items, watching, readOnSight]);

  const markAll = useCallback(async () => {
    try {
      const answer = await api.markAllRead();
      setUnread(answer.unread);
      setExtra((known) => known.map((n) => ({...n, read: true})));
      await client.invalidateQueries({queryKey: ["notifications"]});
    } catch (err) {
      setError(err);
    }
  }, [client]);

  const raw = unread ?? list.data?.unread ?? 0;
  return {items, unread: Math.max(0, raw - autoRead.size), connected, error: error ?? list.error,
    markRead, markAll};
}

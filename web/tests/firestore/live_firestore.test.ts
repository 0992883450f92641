// The "firestore" live source against the Firestore emulator, driven by a Python writer
// (tests/contract/test_web_live_firestore.py starts both; the writer is the production one). The two talk through a handshake
// file: this side appends one JSON line per thing it saw; the writer waits for a line before
// it makes the next change, so every state is seen in order and nothing depends on timing.

import {appendFileSync} from "node:fs";
import {describe, expect, it} from "vitest";
import type {Analysis, Notification} from "../../src/api/types";
import {firestoreSource} from "../../src/live/firestore";

const env = process.env;
const port = Number(env.FIRESTORE_EMULATOR_PORT);
const handshake = env.LIVE_HANDSHAKE ?? "";
const say = (line: object): void => appendFileSync(handshake, `${JSON.stringify(line)}\n`);

describe("the Firestore live source", () => {
  const source = firestoreSource({
    firebase: {apiKey: "emulator", projectId: env.FIRESTORE_PROJECT ?? "chartgenius-web-test"},
    userId: env.LIVE_USER ?? "",
    emulator: {host: "127.0.0.1", port},
    appPerListener: true,  // the emulator answers only the first target of a Listen stream
  });

  it("follows an analysis through every state and the user's own inbox only", async () => {
    expect(port).toBeGreaterThan(0);
    const controller = new AbortController();
    const added: Notification[] = [];
    const unread: number[] = [];
    let inboxReady!: () => void;
    const connected = new Promise<void>((resolve) => { inboxReady = resolve; });
    const inbox = source.followInbox({
      connected: () => inboxReady(),
      unread: (count) => {
        unread.push(count);
        say({unread: count});
      },
      added: (item) => {
        added.push(item);
        say({notification: item.id});
      },
    }, controller.signal);
    await connected;
    say({inbox: "connected"});

    const seen: Analysis[] = [];
    const final = await source.followAnalysis(env.LIVE_ANALYSIS ?? "", (doc) => {
      seen.push(doc);
      say({status: doc.status});
    }, controller.signal);

    expect(seen.map((doc) => doc.status)).toEqual(["queued", "fetching", "analyzing", "completed"]);
    expect(seen.map((doc) => doc.progress)).toEqual([0, 20, 60, 100]);
    expect(seen.every((doc) => doc.id === env.LIVE_ANALYSIS)).toBe(true);
    expect(final.status).toBe("completed");
    expect(final).not.toHaveProperty("chat_id");
    expect(final).not.toHaveProperty("user_id");
    say({final: {id: final.id, signal: final.result?.signal, summary: final.result?.summary}});

    // the writer adds the other user's notification first, then ours: only ours arrives
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (added.length && unread.at(-1) === 1) {
          clearInterval(poll);
          resolve();
        }
      }, 20);
    });
    controller.abort();
    await inbox;
    expect(added.map((item) => item.id)).toEqual([env.LIVE_NOTIFICATION]);
    expect(added[0]).toMatchObject({kind: "analysis.completed", read: false,
      analysis_id: env.LIVE_ANALYSIS});
    expect(unread.at(-1)).toBe(1);
    say({done: true});
  }, 30_000);
});

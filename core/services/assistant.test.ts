/**
 * The assistant API on a real core over WebSocket: settings and the no-provider explanation,
 * the cloud disclosure, the chat stream (snapshots, saved conversation), Stop (unsubscribing
 * aborts the provider request), and Retry after a provider error.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { TurnSnapshot } from "../../common/api/assistant.ts";
import type { ApiClient } from "../../common/api/client.ts";
import type { ParamsIn } from "../../common/api/index.ts";
import { type RunningCore, startCore } from "../app.ts";
import { type FakeProvider, startFakeProvider } from "../assistant/testing/fake-provider.ts";
import { connectApi } from "../cli/core-client.ts";
import { silentLogger } from "../log.ts";

let core: RunningCore;
let client: ApiClient;
let fake: FakeProvider | null = null;
let dataDir = "";

beforeEach(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ws-assistant-"));
  core = await startCore({ dataDir, log: silentLogger(), port: 0 });
  client = await connectApi(core.port, core.token);
});

afterEach(async () => {
  client.close();
  await core.stop();
  await fake?.close();
  fake = null;
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Subscribes and resolves with every snapshot once one has a final status. */
function chat(params: ParamsIn<"assistant.chat">): Promise<TurnSnapshot[]> {
  return new Promise((resolve, reject) => {
    const seen: TurnSnapshot[] = [];
    const stop = client.subscribe("assistant.chat", params, {
      onEvent: (s) => {
        seen.push(s);
        if (s.status !== "running" && s.status !== "retrying") {
          stop();
          resolve(seen);
        }
      },
      onEnd: (err) => reject(err ?? new Error("stream ended")),
    });
  });
}

async function configureFake(script: Parameters<typeof startFakeProvider>[0]): Promise<void> {
  fake = await startFakeProvider(script);
  const view = await client.call("assistant.configure", { provider: "openai-compatible", baseUrl: fake.baseUrl, model: "fake-model" });
  expect(view).toMatchObject({ configured: true, cloud: false, consentNeeded: false, problem: null });
}

describe("assistant API", () => {
  it("explains how to add a provider when none is configured, and the chat says so without breaking", async () => {
    const view = await client.call("assistant.settings", {});
    expect(view).toMatchObject({ configured: false, provider: "openai-compatible", maxToolRounds: 12 });
    expect(view.problem).toMatch(/local model.*Ollama.*127\.0\.0\.1:11434\/v1/);
    const [only] = await chat({ text: "hi" });
    expect(only).toMatchObject({ status: "error", error: { kind: "config" } });
    expect(await client.call("core.ping", {})).toMatchObject({ echo: null });
  });

  it("streams a turn, saves the conversation and continues it", async () => {
    await configureFake([{ text: "Hello from the fake model, streamed in small pieces." }, { text: "Second answer." }]);
    const snapshots = await chat({ text: "hello" });
    const last = snapshots.at(-1)!;
    expect(last.status).toBe("done");
    expect(last.conversationId).toBeGreaterThan(0);
    expect(last.entries.map((e) => e.role)).toEqual(["user", "assistant"]);
    expect(snapshots.length).toBeGreaterThan(1);
    const list = await client.call("assistant.conversations", {});
    expect(list).toEqual([expect.objectContaining({ id: last.conversationId, title: "hello" })]);
    const next = (await chat({ conversationId: last.conversationId!, text: "again" })).at(-1)!;
    expect(next.status).toBe("done");
    const history = (fake!.requests[1]!.body.messages as { role: string }[]).map((m) => m.role);
    expect(history).toEqual(["system", "user", "assistant", "user"]);
    const saved = await client.call("assistant.conversation", { id: last.conversationId! });
    expect(saved.entries.map((e) => e.role)).toEqual(["user", "assistant", "user", "assistant"]);
    expect(await client.call("assistant.deleteConversation", { id: last.conversationId! })).toEqual({ deleted: true });
    expect(await client.call("assistant.conversations", {})).toEqual([]);
  });

  it("stops generation when the client unsubscribes", async () => {
    await configureFake([{ kind: "hang", when: "stream", text: "Thinking about it" }]);
    await new Promise<void>((resolve) => {
      const stop = client.subscribe("assistant.chat", { text: "go" }, {
        onEvent: (s) => {
          const a = s.entries.find((e) => e.role === "assistant");
          if (a && a.text === "Thinking about it") {
            stop();
            resolve();
          }
        },
      });
    });
    // The provider saw its one streaming request dropped mid-answer.
    expect(await fake!.waitForAbandoned()).toBe(1);
    expect(fake!.requests).toHaveLength(1);
  });

  it("shows a provider error and retries the same message", async () => {
    await configureFake([{ kind: "error", status: 401, body: { error: { message: "bad key" } } }, { text: "Now it works." }]);
    const failed = (await chat({ text: "hello" })).at(-1)!;
    expect(failed).toMatchObject({ status: "error", error: { kind: "auth", status: 401 } });
    const retried = (await chat({ conversationId: failed.conversationId!, retry: true })).at(-1)!;
    expect(retried.status).toBe("done");
    const saved = await client.call("assistant.conversation", { id: failed.conversationId! });
    expect(saved.entries.map((e) => (e.role === "tool" ? "tool" : `${e.role}:${e.text}`))).toEqual(["user:hello", "assistant:Now it works."]);
  });

  it("asks before the first use of a cloud provider and says what will be sent", async () => {
    const view = await client.call("assistant.configure", { provider: "openai-compatible", baseUrl: "https://10.255.255.1/v1", model: "some-model" });
    expect(view).toMatchObject({ configured: true, cloud: true, consentNeeded: true });
    expect(view.disclosure).toMatch(/sent to https:\/\/10\.255\.255\.1\/v1.*never sent/);
    const [refused] = await chat({ text: "hi" });
    expect(refused).toMatchObject({ status: "error", error: { kind: "consent" } });
    expect(await client.call("assistant.consent", {})).toMatchObject({ consentNeeded: false });
  });
});

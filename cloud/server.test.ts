/** The cloud service API on SQLite and on a throwaway PostgreSQL cluster: accounts, tokens, records, limits, attacks. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_BODY_BYTES, MAX_RECORD_BYTES, type SessionResponse } from "../common/cloud/protocol.ts";
import { buildServer } from "./server.ts";
import { openPostgresStorage } from "./storage/postgres.ts";
import { openSqliteStorage } from "./storage/sqlite.ts";
import type { CloudStorage } from "./storage/storage.ts";
import { findPostgresBin, startPostgres, type PostgresCluster } from "./testing/postgres-cluster.ts";

const KDF = { algorithm: "argon2id", memory: 19_456, passes: 2, parallelism: 1 };
const secret = (c: string): string => c.repeat(64);
const wrapped = { keyId: "k1", byPassword: "aaaa.bbbb", byRecovery: "cccc.dddd" };
const signupBody = (email: string, s = secret("a")) => ({ email, salt: "c2FsdHNhbHRzYWx0", kdf: KDF, loginSecret: s, recoverySecret: secret("f"), wrappedKeys: wrapped, deviceName: "laptop" });

const hasPostgres = findPostgresBin() !== null;
if (!hasPostgres && process.env.CI === "true") throw new Error("PostgreSQL is missing in CI: install Debian's postgresql (.ci/run does)");

const backends: { name: string; open: () => Promise<{ storage: CloudStorage; done: () => void }> }[] = [
  {
    name: "SQLite",
    open: async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cloud-api-"));
      return { storage: openSqliteStorage(dir), done: () => fs.rmSync(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: "PostgreSQL",
    open: async () => {
      const cluster: PostgresCluster = await startPostgres();
      return { storage: await openPostgresStorage(cluster.url), done: () => cluster.stop() };
    },
  },
];

describe.each(backends)("the cloud service API on $name", (backend) => {
  const skip = backend.name === "PostgreSQL" && !hasPostgres;
  let app: FastifyInstance;
  let storage: CloudStorage;
  let done: () => void;
  let clock = Date.now();

  beforeAll(async () => {
    if (skip) return;
    ({ storage, done } = await backend.open());
    app = await buildServer({ storage, now: () => clock, limits: { loginPerIpAndAccount: 3, signupPerIp: 1000 } });
  }, 60_000);
  afterAll(async () => {
    if (skip) return;
    await app.close();
    await storage.close();
    done();
  });

  const post = (url: string, payload: unknown, token?: string, ip = "10.0.0.1"): Promise<LightMyRequestResponse> =>
    app.inject({ method: "POST", url, payload: payload as object, remoteAddress: ip, headers: token ? { authorization: `Bearer ${token}` } : {} });
  const get = (url: string, token: string): Promise<LightMyRequestResponse> => app.inject({ method: "GET", url, headers: { authorization: `Bearer ${token}` } });
  const signup = async (email: string): Promise<SessionResponse> => {
    const res = await post("/v1/signup", signupBody(email));
    expect(res.statusCode).toBe(201);
    return res.json<SessionResponse>();
  };

  it.skipIf(skip)("signs up once per email and says so on a second sign-up", async () => {
    const s = await signup("Ann@Example.org");
    expect(s.wrappedKeys).toEqual(wrapped);
    const again = await post("/v1/signup", signupBody("ANN@example.org"));
    expect(again.statusCode).toBe(409);
    expect(again.json()).toEqual({ error: "an account with this email already exists" });
  });

  it.skipIf(skip)("pre-login and login do not reveal whether an account exists", async () => {
    await signup("bob@example.org");
    const real = (await post("/v1/prelogin", { email: "bob@example.org" })).json();
    const fake1 = (await post("/v1/prelogin", { email: "nobody@example.org" })).json();
    const fake2 = (await post("/v1/prelogin", { email: "nobody@example.org" })).json();
    expect(Object.keys(fake1).sort()).toEqual(Object.keys(real).sort());
    expect(fake1).toEqual(fake2);
    expect(fake1.salt).not.toEqual((await post("/v1/prelogin", { email: "other@example.org" })).json().salt);
    const wrong = await post("/v1/login", { email: "bob@example.org", loginSecret: secret("b"), deviceName: "x" }, undefined, "10.0.0.2");
    const unknown = await post("/v1/login", { email: "nobody@example.org", loginSecret: secret("b"), deviceName: "x" }, undefined, "10.0.0.2");
    expect([wrong.statusCode, unknown.statusCode]).toEqual([401, 401]);
    expect(wrong.body).toBe(unknown.body);
  });

  it.skipIf(skip)("checks access tokens: expired, forged and wrong-audience tokens get 401", async () => {
    const s = await signup("carol@example.org");
    expect((await get("/v1/account", s.accessToken)).statusCode).toBe(200);
    const forged = await new SignJWT({ did: s.deviceId }).setProtectedHeader({ alg: "HS256" }).setSubject(s.accountId).setAudience("workstation-sync").setIssuer("workstation-cloud").setExpirationTime("5m").sign(new Uint8Array(32));
    expect((await get("/v1/account", forged)).statusCode).toBe(401);
    const [h, p] = s.accessToken.split(".");
    const none = `${Buffer.from(JSON.stringify({ alg: "none" })).toString("base64url")}.${p}.`;
    expect((await get("/v1/account", none)).statusCode).toBe(401);
    expect((await get("/v1/account", `${h}.${p}.AAAA`)).statusCode).toBe(401);
    clock += 16 * 60_000;
    expect((await get("/v1/account", s.accessToken)).statusCode).toBe(401);
  });

  it.skipIf(skip)("rotates refresh tokens; reusing one revokes the whole family", async () => {
    const s = await signup("dave@example.org");
    const first = await post("/v1/token", { refreshToken: s.refreshToken });
    expect(first.statusCode).toBe(200);
    const next = first.json<SessionResponse>();
    const reuse = await post("/v1/token", { refreshToken: s.refreshToken });
    expect(reuse.statusCode).toBe(401);
    expect((await post("/v1/token", { refreshToken: next.refreshToken })).statusCode).toBe(401);
    expect((await get("/v1/account", next.accessToken)).statusCode).toBe(401);
  });

  it.skipIf(skip)("stores records by version, reports conflicts, and pages the feed with no gap or duplicate", async () => {
    const s = await signup("erin@example.org");
    const push = (records: { id: string; version: number; body: string }[]) => post("/v1/records", { records }, s.accessToken);
    const first = (await push([{ id: "r1", version: 1, body: "x1" }, { id: "r2", version: 1, body: "y1" }, { id: "r3", version: 1, body: "z1" }])).json();
    expect(first.accepted.map((a: { id: string }) => a.id)).toEqual(["r1", "r2", "r3"]);
    const stale = (await push([{ id: "r1", version: 1, body: "x1'" }, { id: "r2", version: 2, body: "y2" }])).json();
    expect(stale.conflicts).toEqual([{ id: "r1", version: 1 }]);
    const seen: string[] = [];
    let cursor = 0;
    for (;;) {
      const page = (await get(`/v1/records?since=${cursor}&limit=1`, s.accessToken)).json();
      seen.push(...page.records.map((r: { id: string; version: number }) => `${r.id}@${r.version}`));
      cursor = page.cursor;
      if (!page.more) break;
    }
    expect(seen).toEqual(["r1@1", "r3@1", "r2@2"]);
  });

  it.skipIf(skip)("refuses oversized records and bodies with 413", async () => {
    const s = await signup("fay@example.org");
    const big = await post("/v1/records", { records: [{ id: "r", version: 1, body: "x".repeat(MAX_RECORD_BYTES + 1) }] }, s.accessToken);
    expect(big.statusCode).toBe(413);
    const huge = await post("/v1/records", { records: [{ id: "r", version: 1, body: "x".repeat(MAX_BODY_BYTES) }] }, s.accessToken);
    expect(huge.statusCode).toBe(413);
  });

  it.skipIf(skip)("lists and revokes devices, logs out, changes the password and deletes the account", async () => {
    const a = await signup("gus@example.org");
    const b = (await post("/v1/login", { email: "gus@example.org", loginSecret: secret("a"), deviceName: "desk" }, undefined, "10.0.0.3")).json<SessionResponse>();
    const devices = (await get("/v1/devices", a.accessToken)).json();
    expect(devices.map((d: { name: string; current: boolean }) => [d.name, d.current])).toEqual([["laptop", true], ["desk", false]]);
    expect((await app.inject({ method: "DELETE", url: `/v1/devices/${b.deviceId}`, headers: { authorization: `Bearer ${a.accessToken}` } })).statusCode).toBe(204);
    expect((await get("/v1/account", b.accessToken)).statusCode).toBe(401);
    const change = await post("/v1/password", { loginSecret: secret("a"), newLoginSecret: secret("c"), newSalt: "bmV3c2FsdA", kdf: KDF, byPassword: "new.wrap" }, a.accessToken, "10.0.0.3");
    expect(change.statusCode).toBe(204);
    expect((await post("/v1/login", { email: "gus@example.org", loginSecret: secret("a"), deviceName: "x" }, undefined, "10.0.0.4")).statusCode).toBe(401);
    const c = (await post("/v1/login", { email: "gus@example.org", loginSecret: secret("c"), deviceName: "x" }, undefined, "10.0.0.4")).json<SessionResponse>();
    expect(c.wrappedKeys).toEqual({ ...wrapped, byPassword: "new.wrap" });
    expect((await post("/v1/logout", {}, c.accessToken)).statusCode).toBe(204);
    expect((await get("/v1/account", c.accessToken)).statusCode).toBe(401);
    const del = await app.inject({ method: "DELETE", url: "/v1/account", payload: { loginSecret: secret("c") }, headers: { authorization: `Bearer ${a.accessToken}` } });
    expect(del.statusCode).toBe(204);
    expect((await post("/v1/login", { email: "gus@example.org", loginSecret: secret("c"), deviceName: "x" }, undefined, "10.0.0.5")).statusCode).toBe(401);
    expect(await storage.accountByEmail("gus@example.org")).toBeNull();
  });

  it.skipIf(skip)("recovers with the recovery secret: a new password, every other device signed out", async () => {
    const a = await signup("jo@example.org");
    const keys = await post("/v1/recover/keys", { email: "jo@example.org", recoverySecret: secret("f") }, undefined, "10.1.1.1");
    expect(keys.json()).toEqual({ keyId: "k1", byRecovery: "cccc.dddd" });
    const wrong = await post("/v1/recover/keys", { email: "jo@example.org", recoverySecret: secret("a") }, undefined, "10.1.1.1");
    const unknown = await post("/v1/recover/keys", { email: "nobody@example.org", recoverySecret: secret("f") }, undefined, "10.1.1.1");
    expect([wrong.statusCode, unknown.statusCode]).toEqual([401, 401]);
    expect(wrong.body).toBe(unknown.body);
    const body = { email: "jo@example.org", recoverySecret: secret("f"), newSalt: "bmV3c2FsdA", kdf: KDF, newLoginSecret: secret("d"), byPassword: "re.wrap", deviceName: "new" };
    const res = await post("/v1/recover", body, undefined, "10.1.1.2");
    expect(res.statusCode).toBe(200);
    expect(res.json<SessionResponse>().wrappedKeys).toEqual({ ...wrapped, byPassword: "re.wrap" });
    expect((await get("/v1/account", a.accessToken)).statusCode).toBe(401);
    expect((await post("/v1/token", { refreshToken: a.refreshToken })).statusCode).toBe(401);
    expect((await post("/v1/login", { email: "jo@example.org", loginSecret: secret("d"), deviceName: "x" }, undefined, "10.1.1.3")).statusCode).toBe(200);
  });

  it.skipIf(skip)("rate-limits an account's authenticated requests, whoever's address they come from", async () => {
    const limited = await buildServer({ storage, now: () => clock, limits: { perAccount: 2 } });
    try {
      const s = (await limited.inject({ method: "POST", url: "/v1/signup", payload: signupBody("kim@example.org") })).json<SessionResponse>();
      const call = (ip: string) => limited.inject({ method: "GET", url: "/v1/account", remoteAddress: ip, headers: { authorization: `Bearer ${s.accessToken}` } });
      expect((await call("10.2.0.1")).statusCode).toBe(200);
      expect((await call("10.2.0.2")).statusCode).toBe(200);
      expect((await call("10.2.0.3")).statusCode).toBe(429);
      expect((await limited.inject({ method: "GET", url: "/v1/account", headers: { authorization: "Bearer junk" } })).statusCode).toBe(401);
    } finally {
      await limited.close();
    }
  });

  it.skipIf(skip)("rate-limits logins per address and account, without locking the account out elsewhere", async () => {
    await signup("hal@example.org");
    const attempt = (ip: string, email = "hal@example.org") => post("/v1/login", { email, loginSecret: secret("e"), deviceName: "x" }, undefined, ip);
    for (let i = 0; i < 3; i++) expect((await attempt("10.9.9.9")).statusCode).toBe(401);
    expect((await attempt("10.9.9.9")).statusCode).toBe(429);
    expect((await attempt("10.9.9.9", "ida@example.org")).statusCode).toBe(401);
    const owner = await post("/v1/login", { email: "hal@example.org", loginSecret: secret("a"), deviceName: "x" }, undefined, "10.7.7.7");
    expect(owner.statusCode).toBe(200);
  });
});

/** Record encryption and key wrapping: round trips, and every kind of tampering refused. */
import { describe, expect, it } from "vitest";
import { decryptRecord, encryptRecord, formatRecoveryKey, IntegrityError, newKey, parseRecoveryKey, recordId, unwrapKey, WrongKeyError, wrapKey, type RecordBinding } from "./crypto.ts";

const binding: RecordBinding = { id: "rec1", collection: "strategy", version: 3, keyId: "k1", schema: 1 };

describe("record encryption", () => {
  it("round-trips a value and hides it", async () => {
    const key = newKey();
    const body = await encryptRecord(key, binding, { name: "Momentum", source: "buy()" });
    expect(body).not.toContain("Momentum");
    expect(await decryptRecord(key, "k1", "rec1", 3, body)).toEqual({ collection: "strategy", schema: 1, value: { name: "Momentum", source: "buy()" } });
  });

  it("refuses a flipped byte, another record's id, another version and another key", async () => {
    const key = newKey();
    const body = await encryptRecord(key, binding, { a: 1 });
    const env = JSON.parse(body) as { d: string; c: string };
    const flipped = JSON.stringify({ ...env, d: (env.d[0] === "A" ? "B" : "A") + env.d.slice(1) });
    await expect(decryptRecord(key, "k1", "rec1", 3, flipped)).rejects.toThrow(IntegrityError);
    await expect(decryptRecord(key, "k1", "rec2", 3, body)).rejects.toThrow(IntegrityError);
    await expect(decryptRecord(key, "k1", "rec1", 4, body)).rejects.toThrow(IntegrityError);
    await expect(decryptRecord(key, "k1", "rec1", 3, JSON.stringify({ ...env, c: "settings" }))).rejects.toThrow(IntegrityError);
    await expect(decryptRecord(newKey(), "k1", "rec1", 3, body)).rejects.toThrow(IntegrityError);
    await expect(decryptRecord(key, "k1", "rec1", 3, "not json")).rejects.toThrow(IntegrityError);
  });
});

describe("key wrapping", () => {
  it("opens only with the right key and label", async () => {
    const dataKey = newKey();
    const kek = newKey();
    const wrapped = await wrapKey(dataKey, kek, "data-key/password");
    expect(await unwrapKey(wrapped, kek, "data-key/password")).toEqual(dataKey);
    await expect(unwrapKey(wrapped, newKey(), "data-key/password")).rejects.toThrow(WrongKeyError);
    await expect(unwrapKey(wrapped, kek, "data-key/recovery")).rejects.toThrow(WrongKeyError);
  });

  it("formats and parses recovery keys", () => {
    const key = newKey();
    const text = formatRecoveryKey(key);
    expect(text).toMatch(/^([0-9a-f]{8}-){7}[0-9a-f]{8}$/);
    expect(parseRecoveryKey(` ${text.toUpperCase()} `)).toEqual(key);
    expect(() => parseRecoveryKey("1234")).toThrow(RangeError);
  });

  it("derives stable opaque record ids per key", async () => {
    const k = newKey();
    expect(await recordId(k, "settings\0ui")).toBe(await recordId(k, "settings\0ui"));
    expect(await recordId(k, "settings\0ui")).not.toBe(await recordId(newKey(), "settings\0ui"));
  });
});

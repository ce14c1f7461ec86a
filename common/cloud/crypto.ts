/**
 * End-to-end encryption of synced records with WebCrypto, the same on the desktop and in tests.
 * Each record is AES-256-GCM encrypted under the account's data key with associated data binding
 * its record id, collection, version, key id and schema version, so a service that swaps records
 * between ids, replays an old version under a new one or edits a byte is caught on decryption.
 * The data key itself travels only wrapped (AES-GCM) by a password-derived key or the recovery key.
 */
import { fromBase64Url, randomBytes, toBase64Url, toHex, utf8 } from "./bytes.ts";

/** A record failed its integrity check: tampered, swapped, replayed or rolled back. */
export class IntegrityError extends Error {
  override name = "IntegrityError";
}

/** A wrapped key did not open: the password (or recovery key) is wrong. */
export class WrongKeyError extends Error {
  override name = "WrongKeyError";
}

/** What binds a record's ciphertext to its place. */
export interface RecordBinding {
  id: string;
  collection: string;
  version: number;
  keyId: string;
  schema: number;
}

interface Envelope {
  v: 1;
  c: string;
  k: string;
  s: number;
  n: string;
  d: string;
}

type Subtle = typeof globalThis.crypto.subtle;
type Key = Awaited<ReturnType<Subtle["importKey"]>>;
const subtle = (): Subtle => globalThis.crypto.subtle;

async function aesKey(raw: Uint8Array<ArrayBuffer>): Promise<Key> {
  if (raw.length !== 32) throw new RangeError("an AES-256 key is 32 bytes");
  return subtle().importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
}

/** HKDF-SHA256 of `ikm` with a context label: 32 independent key bytes per label. */
export async function hkdf(ikm: Uint8Array<ArrayBuffer>, label: string): Promise<Uint8Array<ArrayBuffer>> {
  const key = await subtle().importKey("raw", ikm, "HKDF", false, ["deriveBits"]);
  const bits = await subtle().deriveBits({ name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: utf8(`workstation/${label}`) }, key, 256);
  return new Uint8Array(bits);
}

function associatedData(b: RecordBinding): Uint8Array<ArrayBuffer> {
  return utf8(JSON.stringify(["workstation-record", b.id, b.collection, b.version, b.keyId, b.schema]));
}

/** Encrypts a record's value; returns the envelope text the service stores. */
export async function encryptRecord(dataKey: Uint8Array<ArrayBuffer>, binding: RecordBinding, value: unknown): Promise<string> {
  const iv = randomBytes(12);
  const ct = await subtle().encrypt({ name: "AES-GCM", iv, additionalData: associatedData(binding) }, await aesKey(dataKey), utf8(JSON.stringify(value)));
  const env: Envelope = { v: 1, c: binding.collection, k: binding.keyId, s: binding.schema, n: toBase64Url(iv), d: toBase64Url(new Uint8Array(ct)) };
  return JSON.stringify(env);
}

function parseEnvelope(body: string): Envelope {
  let env: Partial<Envelope>;
  try {
    env = JSON.parse(body) as Partial<Envelope>;
  } catch {
    throw new IntegrityError("record is not an encrypted envelope");
  }
  if (env.v !== 1 || typeof env.c !== "string" || typeof env.k !== "string" || !Number.isInteger(env.s) || typeof env.n !== "string" || typeof env.d !== "string") {
    throw new IntegrityError("record is not an encrypted envelope");
  }
  return env as Envelope;
}

/** A decrypted record: where it belongs and its value. */
export interface OpenedRecord {
  collection: string;
  schema: number;
  value: unknown;
}

/** Decrypts a record fetched as (id, version); throws {@link IntegrityError} on any mismatch or tampering. */
export async function decryptRecord(dataKey: Uint8Array<ArrayBuffer>, expectedKeyId: string, id: string, version: number, body: string): Promise<OpenedRecord> {
  const env = parseEnvelope(body);
  if (env.k !== expectedKeyId) throw new IntegrityError(`record ${id} is under an unknown key`);
  const binding: RecordBinding = { id, collection: env.c, version, keyId: env.k, schema: env.s };
  let plain: ArrayBuffer;
  try {
    plain = await subtle().decrypt({ name: "AES-GCM", iv: fromBase64Url(env.n), additionalData: associatedData(binding) }, await aesKey(dataKey), fromBase64Url(env.d));
  } catch {
    throw new IntegrityError(`record ${id} v${version} failed its integrity check (tampered, swapped or replayed)`);
  }
  return { collection: env.c, schema: env.s, value: JSON.parse(new TextDecoder().decode(plain)) as unknown };
}

/** Wraps a 32-byte key under a key-encryption key; `label` binds the wrap to its purpose. */
export async function wrapKey(key: Uint8Array<ArrayBuffer>, kek: Uint8Array<ArrayBuffer>, label: string): Promise<string> {
  const iv = randomBytes(12);
  const ct = await subtle().encrypt({ name: "AES-GCM", iv, additionalData: utf8(label) }, await aesKey(kek), key);
  return `${toBase64Url(iv)}.${toBase64Url(new Uint8Array(ct))}`;
}

/** Opens a key from {@link wrapKey}; throws {@link WrongKeyError} when the key-encryption key is wrong. */
export async function unwrapKey(wrapped: string, kek: Uint8Array<ArrayBuffer>, label: string): Promise<Uint8Array<ArrayBuffer>> {
  const [iv, ct] = wrapped.split(".");
  try {
    const raw = await subtle().decrypt({ name: "AES-GCM", iv: fromBase64Url(iv ?? ""), additionalData: utf8(label) }, await aesKey(kek), fromBase64Url(ct ?? ""));
    return new Uint8Array(raw);
  } catch {
    throw new WrongKeyError("wrong password or recovery key");
  }
}

/** An opaque record id: a keyed hash of the record's natural key, so the service learns nothing from it. */
export async function recordId(idKey: Uint8Array<ArrayBuffer>, naturalKey: string): Promise<string> {
  const key = await subtle().importKey("raw", idKey, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return toBase64Url(new Uint8Array(await subtle().sign("HMAC", key, utf8(naturalKey))).slice(0, 24));
}

/** SHA-256 (hex) of a JSON value: the content hash of an immutable strategy version. */
export async function contentHash(value: unknown): Promise<string> {
  return toHex(new Uint8Array(await subtle().digest("SHA-256", utf8(JSON.stringify(value)))));
}

/** A new random 32-byte key. */
export function newKey(): Uint8Array<ArrayBuffer> {
  return randomBytes(32);
}

/** A recovery key as the trader writes it down: 64 hex digits in groups of eight. */
export function formatRecoveryKey(key: Uint8Array): string {
  return toHex(key).match(/.{8}/g)!.join("-");
}

/** Parses a recovery key typed back in (dashes and spaces ignored); throws a RangeError when malformed. */
export function parseRecoveryKey(text: string): Uint8Array<ArrayBuffer> {
  const hex = text.replace(/[\s-]/g, "").toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new RangeError("a recovery key is 64 hex digits");
  return new Uint8Array(hex.match(/../g)!.map((h) => parseInt(h, 16)));
}

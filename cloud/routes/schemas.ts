/** JSON schemas of the service's request bodies: Fastify rejects anything else with a 400. */
import { MAX_PULL_RECORDS, MAX_PUSH_RECORDS } from "../../common/cloud/protocol.ts";

const email = { type: "string", minLength: 3, maxLength: 254, pattern: "^[^\\s@]+@[^\\s@]+$" } as const;
const b64 = (max: number) => ({ type: "string", minLength: 1, maxLength: max, pattern: "^[A-Za-z0-9_.-]+$" }) as const;
const secret = { type: "string", pattern: "^[0-9a-f]{64}$" } as const;
const deviceName = { type: "string", minLength: 1, maxLength: 64 } as const;
const kdf = {
  type: "object",
  additionalProperties: false,
  required: ["algorithm", "memory", "passes", "parallelism"],
  properties: {
    algorithm: { const: "argon2id" },
    memory: { type: "integer", minimum: 19_456, maximum: 1_048_576 },
    passes: { type: "integer", minimum: 2, maximum: 10 },
    parallelism: { type: "integer", minimum: 1, maximum: 8 },
  },
} as const;
const wrappedKeys = {
  type: "object",
  additionalProperties: false,
  required: ["keyId", "byPassword", "byRecovery"],
  properties: { keyId: b64(64), byPassword: b64(256), byRecovery: b64(256) },
} as const;

/** Body schemas by route. */
export const schemas = {
  signup: {
    type: "object",
    additionalProperties: false,
    required: ["email", "salt", "kdf", "loginSecret", "recoverySecret", "wrappedKeys", "deviceName"],
    properties: { email, salt: b64(64), kdf, loginSecret: secret, recoverySecret: secret, wrappedKeys, deviceName },
  },
  recoverKeys: { type: "object", additionalProperties: false, required: ["email", "recoverySecret"], properties: { email, recoverySecret: secret } },
  recover: {
    type: "object",
    additionalProperties: false,
    required: ["email", "recoverySecret", "newSalt", "kdf", "newLoginSecret", "byPassword", "deviceName"],
    properties: { email, recoverySecret: secret, newSalt: b64(64), kdf, newLoginSecret: secret, byPassword: b64(256), deviceName },
  },
  prelogin: { type: "object", additionalProperties: false, required: ["email"], properties: { email } },
  login: { type: "object", additionalProperties: false, required: ["email", "loginSecret", "deviceName"], properties: { email, loginSecret: secret, deviceName } },
  refresh: { type: "object", additionalProperties: false, required: ["refreshToken"], properties: { refreshToken: b64(128) } },
  password: {
    type: "object",
    additionalProperties: false,
    required: ["loginSecret", "newLoginSecret", "newSalt", "kdf", "byPassword"],
    properties: { loginSecret: secret, newLoginSecret: secret, newSalt: b64(64), kdf, byPassword: b64(256) },
  },
  deleteAccount: { type: "object", additionalProperties: false, required: ["loginSecret"], properties: { loginSecret: secret } },
  push: {
    type: "object",
    additionalProperties: false,
    required: ["records"],
    properties: {
      records: {
        type: "array",
        maxItems: MAX_PUSH_RECORDS,
        items: {
          type: "object",
          additionalProperties: false,
          required: ["id", "version", "body"],
          properties: { id: b64(64), version: { type: "integer", minimum: 1, maximum: 2_147_483_647 }, body: { type: "string" } },
        },
      },
    },
  },
  pull: {
    type: "object",
    additionalProperties: false,
    properties: { since: { type: "integer", minimum: 0 }, limit: { type: "integer", minimum: 1, maximum: MAX_PULL_RECORDS } },
  },
} as const;

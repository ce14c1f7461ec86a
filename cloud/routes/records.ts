/** Record routes: push encrypted records with per-record versions, pull the change feed by cursor. */
import type { FastifyInstance } from "fastify";
import { MAX_PULL_RECORDS, MAX_RECORD_BYTES, type PushRequest } from "../../common/cloud/protocol.ts";
import { authenticate, claims, fail, type CloudContext } from "../context.ts";
import { schemas } from "./schemas.ts";

/** Registers the record routes. */
export function recordRoutes(app: FastifyInstance, ctx: CloudContext): void {
  const auth = authenticate(ctx);

  app.post<{ Body: PushRequest }>("/v1/records", { schema: { body: schemas.push }, preHandler: auth }, async (req, reply) => {
    const big = req.body.records.find((r) => Buffer.byteLength(r.body) > MAX_RECORD_BYTES);
    if (big) return fail(reply, 413, `record ${big.id} is larger than ${MAX_RECORD_BYTES} bytes`);
    return ctx.storage.pushRecords(claims(req).accountId, req.body.records, ctx.now());
  });

  app.get<{ Querystring: { since?: number; limit?: number } }>("/v1/records", { schema: { querystring: schemas.pull }, preHandler: auth }, async (req) => {
    return ctx.storage.pullRecords(claims(req).accountId, req.query.since ?? 0, req.query.limit ?? MAX_PULL_RECORDS);
  });
}

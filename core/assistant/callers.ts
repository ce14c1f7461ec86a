/**
 * {@link ApiCaller}s: over core's own handler map (params validated and defaulted by the API
 * schema, exactly as a client's call would be), and over an API client of a running core.
 */
import type { z } from "zod";
import type { ApiClient } from "../../common/api/client.ts";
import { ApiError, lookupSpec, type MethodName, type ParamsIn, type Progress, type ResultOf } from "../../common/api/index.ts";
import type { ApiHandlers, CallContext } from "../api/handlers.ts";
import type { ApiCaller } from "./backend.ts";

type AnyMethod = (params: unknown, ctx: CallContext) => unknown;

/** Calls handlers in-process (core's own services, or the CLI's store handlers). */
export function handlerCaller(handlers: () => Partial<ApiHandlers>, clientId = "assistant"): ApiCaller {
  return {
    has: (method) => Object.hasOwn(handlers(), method) && lookupSpec(method)?.kind === "method",
    async call<K extends MethodName>(method: K, params: ParamsIn<K>, options: { signal?: AbortSignal; onProgress?: (p: Progress) => void } = {}): Promise<ResultOf<K>> {
      const spec = lookupSpec(method);
      const handler = handlers()[method] as AnyMethod | undefined;
      if (!spec || spec.kind !== "method" || !handler) throw new ApiError("unknown_method", `unknown method "${method}"`);
      const parsed = (spec.params as z.ZodType).safeParse(params ?? {});
      if (!parsed.success) throw new ApiError("bad_request", `invalid params for ${method}: ${parsed.error.issues[0]?.message ?? "invalid"}`);
      const ctx: CallContext = {
        signal: options.signal ?? new AbortController().signal,
        progress: (p) => options.onProgress?.(p),
        clientId,
      };
      return (await handler(parsed.data, ctx)) as ResultOf<K>;
    },
  };
}

/** Calls a running core through its API client. */
export function clientCaller(client: ApiClient, methods: ReadonlySet<string> | null = null): ApiCaller {
  return {
    has: (method) => lookupSpec(method)?.kind === "method" && (methods === null || methods.has(method)),
    call: (method, params, options = {}) => client.call(method, params, options),
  };
}

/**
 * The one contract between core and every client: request name → params schema and result type,
 * stream name → params schema, delivery policy and event type. Each feature adds its own map in a
 * file beside this one and spreads it in here; the server and the clients are generic over it.
 */
import type { z } from "zod";
import type { MethodSpec, StreamSpec } from "./define.ts";
import { alertsApi } from "./alerts.ts";
import { assistantApi } from "./assistant.ts";
import { cloudApi } from "./cloud.ts";
import { computeApi } from "./compute.ts";
import { liveApi } from "./live.ts";
import { marketApi } from "./market.ts";
import { screenerApi } from "./screener.ts";
import { storeApi } from "./store.ts";
import { robustnessApi } from "./robustness.ts";
import { strategyApi } from "./strategy.ts";
import { systemApi } from "./system.ts";
import { tradingApi } from "./trading.ts";
import { uiApi } from "./ui.ts";
import { uiChartApi } from "./ui-chart.ts";

export * from "./define.ts";
export * from "./errors.ts";
export * from "./protocol.ts";
export type { CoreInfo, CoreStatus } from "./system.ts";

/** The whole API map. */
export const apiSpec = {
  ...systemApi,
  ...storeApi,
  ...uiApi,
  ...uiChartApi,
  ...assistantApi,
  ...marketApi,
  ...strategyApi,
  ...robustnessApi,
  ...alertsApi,
  ...screenerApi,
  ...tradingApi,
  ...liveApi,
  ...cloudApi,
  ...computeApi,
};

/** The type of the whole API map. */
export type ApiSpec = typeof apiSpec;

/** Names of request entries. */
export type MethodName = {
  [K in keyof ApiSpec]: ApiSpec[K] extends MethodSpec<z.ZodType, unknown> ? K : never;
}[keyof ApiSpec];

/** Names of stream entries. */
export type StreamName = {
  [K in keyof ApiSpec]: ApiSpec[K] extends StreamSpec<z.ZodType, unknown> ? K : never;
}[keyof ApiSpec];

/** What a client passes (schema input: defaults may be omitted). */
export type ParamsIn<K extends keyof ApiSpec> = z.input<ApiSpec[K]["params"]>;

/** What a handler receives (schema output: defaults applied). */
export type ParamsOut<K extends keyof ApiSpec> = z.output<ApiSpec[K]["params"]>;

/** What a request resolves to. */
export type ResultOf<K extends MethodName> = ApiSpec[K] extends MethodSpec<z.ZodType, infer R> ? R : never;

/** What a stream emits. */
export type EventOf<K extends StreamName> = ApiSpec[K] extends StreamSpec<z.ZodType, infer E> ? E : never;

/** Looks up an entry by a name that came from the wire. */
export function lookupSpec(name: string): ApiSpec[keyof ApiSpec] | undefined {
  return Object.hasOwn(apiSpec, name) ? apiSpec[name as keyof ApiSpec] : undefined;
}

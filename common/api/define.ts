/**
 * Building blocks of the typed API map: a request is a params schema plus a phantom result type,
 * a stream is a params schema, a delivery policy and a phantom event type. The map itself lives in
 * `api/index.ts`; core's server and every client are generic over it.
 */
import type { z } from "zod";

/** How a stream's events reach a slow client. */
export type StreamDelivery =
  /** Only the newest event matters (tickers, status): older undelivered ones are replaced and counted as dropped. */
  | "latest"
  /** Every event is queued up to a cap, then the oldest are dropped and counted (trade tapes). */
  | "batch";

/** A request: validated params in, one result out. */
export interface MethodSpec<P extends z.ZodType, R> {
  readonly kind: "method";
  readonly params: P;
  /** Phantom field carrying the result type; never set at run time. */
  readonly result?: R;
}

/** A subscription: validated params in, a stream of events out. */
export interface StreamSpec<P extends z.ZodType, E> {
  readonly kind: "stream";
  readonly params: P;
  readonly delivery: StreamDelivery;
  /** Phantom field carrying the event type; never set at run time. */
  readonly event?: E;
}

/** Declares a request with the given params schema; call `.returns<Result>()` to finish it. */
export function method<P extends z.ZodType>(params: P): { returns<R>(): MethodSpec<P, R> } {
  return { returns: <R>() => ({ kind: "method", params }) as MethodSpec<P, R> };
}

/** Declares a stream with the given params schema and delivery; call `.emits<Event>()` to finish it. */
export function stream<P extends z.ZodType>(
  params: P,
  delivery: StreamDelivery,
): { emits<E>(): StreamSpec<P, E> } {
  return { emits: <E>() => ({ kind: "stream", params, delivery }) as StreamSpec<P, E> };
}

/** Any entry of an API map. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- variance hole for generic constraints only
export type AnySpec = MethodSpec<z.ZodType, any> | StreamSpec<z.ZodType, any>;

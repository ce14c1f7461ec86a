/** The handler side of the API map: what a feature must provide for each request and stream. */
import type { ApiError, EventOf, MethodName, ParamsOut, Progress, ResultOf, StreamName } from "../../common/api/index.ts";

/** Passed to every request handler. */
export interface CallContext {
  /** Aborted when the client cancels the call or disconnects. */
  signal: AbortSignal;
  /** Reports progress of long work to the caller. */
  progress(progress: Progress): void;
  /** Identifies the connection, for logs. */
  clientId: string;
}

/** Where a stream handler delivers its events. */
export interface StreamSink<E> {
  emit(event: E): void;
  /** Ends the stream from core's side. */
  end(error?: ApiError): void;
  /** Aborted when the client unsubscribes or disconnects. */
  signal: AbortSignal;
  /** True while the client is not keeping up (its socket is backed up or this stream has events waiting). */
  congested(): boolean;
}

/** Handles one request. */
export type MethodHandler<K extends MethodName> = (
  params: ParamsOut<K>,
  ctx: CallContext,
) => Promise<ResultOf<K>> | ResultOf<K>;

/** Starts one subscription; returns its cleanup (also reachable through `sink.signal`). */
export type StreamHandler<K extends StreamName> = (
  params: ParamsOut<K>,
  sink: StreamSink<EventOf<K>>,
) => (() => void) | void;

/** The complete handler map: the compiler checks that every entry of the API map is served. */
export type ApiHandlers = { [K in MethodName]: MethodHandler<K> } & { [K in StreamName]: StreamHandler<K> };

/** A part of the handler map, as one service publishes it. */
export type PartialHandlers<K extends MethodName | StreamName> = Pick<ApiHandlers, K>;

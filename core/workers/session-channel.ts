/**
 * Core's end of a strategy host's session channel (see common/worker/protocol.ts): the pipe on the
 * child's fd {@link SESSION_CHANNEL_FD}, read by the worker's session thread. Requests made in one
 * turn (every pinned session's bar when a trade closes it) leave in one write at the end of the
 * turn; each answer arrives as its own frame and is handed on as soon as it is read.
 */
import type { Duplex } from "node:stream";
import { encodeFrames, frameListener } from "../../common/worker/frames.ts";
import type { FromWorker, WorkerRequestMessage } from "../../common/worker/protocol.ts";
import { TurnBatch } from "./turn-batch.ts";
import { SESSION_CHANNEL_FD } from "../../common/worker/protocol.ts";

/** The environment variable that tells a worker its session channel is open. */
export const SESSION_CHANNEL_ENV = { WS_SESSION_CHANNEL: "1" } as const;

/** The `stdio` of a worker with a session channel (stdin ignored, stdout/stderr inherited, IPC, the channel). */
export const SESSION_CHANNEL_STDIO = ["ignore", "inherit", "inherit", "ipc", "pipe"] as const;

/** True for a method that goes over the session channel. */
export function isSessionMethod(method: string): boolean {
  return method.startsWith("session.");
}

/** Core's end of one worker's session channel. */
export class SessionChannel {
  private readonly stream: Duplex;
  private readonly outbox: TurnBatch;

  /**
   * `stream`: the child's stdio[{@link SESSION_CHANNEL_FD}]; `onAnswer` gets every response frame.
   * A frame that is not a JSON object (or a corrupt length) stops the reading and goes to
   * `onCorrupt` once: the channel is then unusable and the worker must be replaced.
   */
  constructor(stream: Duplex, onAnswer: (msg: FromWorker) => void, onCorrupt: (err: Error) => void) {
    this.stream = stream;
    this.outbox = new TurnBatch((batch) => {
      if (this.stream.writable) this.stream.write(encodeFrames(batch.map((r) => JSON.stringify(r))));
    });
    stream.on(
      "data",
      frameListener(parseAnswer, onAnswer, (err) => {
        stream.destroy();
        onCorrupt(err);
      }),
    );
    // A worker that dies closes the pipe; its exit is what fails the requests in flight.
    stream.on("error", () => undefined);
  }

  /** Queues a request; the turn's requests leave together when it ends. */
  send(req: WorkerRequestMessage): void {
    this.outbox.push(req);
  }

  /** Drops a request that has not left yet (cancelled in the same turn; one already sent is answered and ignored). */
  drop(id: number): void {
    this.outbox.drop(id);
  }
}

/** One answer frame's message; throws when it is not JSON or not an object with a `type`. */
function parseAnswer(text: string): FromWorker {
  const msg: unknown = JSON.parse(text);
  if (typeof msg !== "object" || msg === null || typeof (msg as { type?: unknown }).type !== "string") {
    throw new Error(`a session frame that is not a message: ${text.slice(0, 80)}`);
  }
  return msg as FromWorker;
}

/** The channel's stream of a forked child (null when it has none). */
export function channelStream(stdio: readonly unknown[]): Duplex | null {
  return (stdio[SESSION_CHANNEL_FD] as Duplex | null | undefined) ?? null;
}

import { sessionOf } from './call-session';
import type { ServerCall } from './contract';

/** The HTTP/2 window of each stream on a widened connection: what a sender may have in flight on it. */
export const STREAM_WINDOW_BYTES = 8 * 1024 * 1024;
/** The HTTP/2 window of a widened connection, all its streams together. */
export const CONNECTION_WINDOW_BYTES = 32 * 1024 * 1024;

const widened = new WeakSet<object>();

/**
 * Widens the HTTP/2 flow-control windows of the connection under `call`, a call of a trusted peer that
 * sends a lot (a manager replicating its log). With HTTP/2's default 64 KiB, a sender may send 64 KiB,
 * then waits for the receiver's window update, which its own event loop takes in only between two pieces
 * of work: a leader whose loop is busy 10 ms at a time replicates at about 6 MB/s, whatever the link.
 * grpc-js has no server option for it, so this goes through its internal objects (`sessionOf`).
 * @returns false when the connection could not be found (another grpc-js, a test double)
 */
export function widenFlowControl(call: ServerCall): boolean {
  const session = sessionOf(call);
  if (!session || session.destroyed) return false;
  if (widened.has(session)) return true;
  widened.add(session);
  session.settings({ initialWindowSize: STREAM_WINDOW_BYTES });
  session.setLocalWindowSize(CONNECTION_WINDOW_BYTES);
  return true;
}

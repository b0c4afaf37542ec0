import type { ReplicaMessage } from '../store/replica-messages';

/** What the control thread starts with. */
export interface ControlThreadData {
  /** The control socket the thread serves (mode 0600). */
  readonly socket: string;
  /** The consensus thread's own control socket, where the thread passes every call it does not serve. */
  readonly upstream: string;
  /** A SharedReadState's buffer. */
  readonly shared: SharedArrayBuffer;
}

/** Messages from the daemon's main thread to its control thread. */
export type ToControlThread =
  | ReplicaMessage
  /** The lease renewal asked for is done (or failed): another may be asked for. */
  | { readonly kind: 'renewed' }
  /** Stop serving (calls under way finish first, for a while). */
  | { readonly kind: 'stop' };

/** Messages from the control thread to the daemon's main thread. */
export type FromControlThread =
  /** Serving; `priority` says why the thread runs at its process's priority, when it could not raise its own. */
  | { readonly kind: 'listening'; readonly priority?: string }
  | { readonly kind: 'failed'; readonly message: string }
  /** Renew the read lease (readBarrier). */
  | { readonly kind: 'renew' }
  /** A read failed unexpectedly: for the daemon's log. */
  | { readonly kind: 'error'; readonly method: string; readonly stack: string }
  | { readonly kind: 'stopped' };

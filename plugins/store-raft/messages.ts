import type { Entry, Snapshot } from './types';

/** Fields every Raft message has. */
interface Envelope {
  readonly from: string;
  readonly to: string;
  /** The sender's term (for a pre-vote request: the term it would campaign in). */
  readonly term: number;
}

/** Asks for a vote (`vote`) or for a trial vote that changes no state (`prevote`). */
export interface VoteRequest extends Envelope {
  readonly type: 'prevote' | 'vote';
  readonly lastLogIndex: number;
  readonly lastLogTerm: number;
  /** Set when the leader handed over leadership (TimeoutNow): voters grant it despite their leader's lease. */
  readonly transfer?: boolean;
}

export interface VoteResponse extends Envelope {
  readonly type: 'prevote-response' | 'vote-response';
  readonly granted: boolean;
}

/** AppendEntries: `entries` follow the entry at `prevLogIndex`, which must have `prevLogTerm`. */
export interface AppendRequest extends Envelope {
  readonly type: 'append';
  readonly prevLogIndex: number;
  readonly prevLogTerm: number;
  readonly entries: readonly Entry[];
  /** The leader's commit index. */
  readonly commit: number;
}

/**
 * Answer to `append` or `snapshot`. On success `index` is the last index now known to match the
 * leader's log; on failure it is the `prevLogIndex` that did not match, and `lastIndex` (the
 * follower's last index) tells the leader where to retry.
 */
export interface AppendResponse extends Envelope {
  readonly type: 'append-response';
  readonly success: boolean;
  readonly index: number;
  readonly lastIndex: number;
}

/**
 * Leader liveness; `commit` is at most what the follower is known to hold. `read` is the newest
 * read-index round the leader has opened; the answer echoes it, confirming leadership for that round.
 */
export interface Heartbeat extends Envelope {
  readonly type: 'heartbeat';
  readonly commit: number;
  readonly read: number;
}

export interface HeartbeatResponse extends Envelope {
  readonly type: 'heartbeat-response';
  readonly read: number;
}

/** InstallSnapshot: sent when the entries a follower needs were compacted away. */
export interface SnapshotRequest extends Envelope {
  readonly type: 'snapshot';
  readonly snapshot: Snapshot;
}

/** Leader transfer: the leader tells an up-to-date member to campaign at once. */
export interface TimeoutNow extends Envelope {
  readonly type: 'timeout-now';
}

/** A follower asks the leader for a read index on behalf of a reader; `ctx` identifies the read. */
export interface ReadIndexRequest extends Envelope {
  readonly type: 'read-index';
  readonly ctx: string;
}

/** The leader's answer: once the asker has applied `index`, it may serve the read `ctx`. */
export interface ReadIndexResponse extends Envelope {
  readonly type: 'read-index-response';
  readonly ctx: string;
  readonly index: number;
}

/** A follower forwards proposals (identified by `ctx`) for the leader to append. */
export interface ProposeRequest extends Envelope {
  readonly type: 'propose';
  readonly ctx: string;
  readonly data: readonly Uint8Array[];
}

/**
 * Where the leader appended forwarded proposals: from `index` on, in `term` (each proposal's outcome is
 * whatever applying that index yields, if the entry there still has that term). `refused` says why not.
 */
export interface ProposeResponse extends Envelope {
  readonly type: 'propose-response';
  readonly ctx: string;
  readonly index: number;
  readonly refused?: string;
}

/** Everything Raft members send each other. */
export type Message =
  | VoteRequest
  | VoteResponse
  | AppendRequest
  | AppendResponse
  | Heartbeat
  | HeartbeatResponse
  | SnapshotRequest
  | TimeoutNow
  | ReadIndexRequest
  | ReadIndexResponse
  | ProposeRequest
  | ProposeResponse;

/** `M` without the fields the sender fills in, taken member by member of a union. */
type WithoutSender<M> = M extends Message ? Omit<M, 'from' | 'term'> : never;

/** A message before the sender fills in `from` and `term`. */
export type MessageBody = WithoutSender<Message>;

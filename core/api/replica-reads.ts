import type { ReadReplica } from '../store/read-replica';
import type { SharedReadState } from '../store/shared-read-state';

/** What a thread serving reads from a replica knows of the consensus thread. */
export interface ReplicaReadDeps {
  readonly replica: Pick<ReadReplica, 'ready' | 'reached'>;
  readonly shared: Pick<SharedReadState, 'applied' | 'leased'>;
  /** Asks the consensus thread to renew its read lease ahead of time (a no-op while a request is under way). */
  readonly renew: () => void;
}

/**
 * The barrier of a linearizable read from a replica, or undefined when the replica cannot serve one now
 * (it is still being filled, or this member holds no read lease: a follower, or a leader not confirmed
 * lately), and the read must go to the consensus thread. Under the lease, every write acknowledged so far
 * was handed to the consensus thread's state at or below the index it published, so the read waits until
 * the replica applied that index (usually at once: the feed sends entries as they are applied). Each
 * read also asks for the lease to be renewed, so that a steady stream of reads keeps finding one.
 */
export function replicaReadBarrier(d: ReplicaReadDeps): Promise<void> | undefined {
  if (!d.replica.ready) return undefined;
  // The index first, then the lease: a lease still held after the index was read covers that moment.
  const index = d.shared.applied();
  if (!d.shared.leased()) return undefined;
  d.renew();
  return d.replica.reached(index);
}

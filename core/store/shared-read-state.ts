import { monotonicMs } from '../util/monotonic';

/** Slots of the shared array. */
const LEASE_UNTIL_US = 0;
const APPLIED = 1;

/**
 * What a thread serving reads from a copy of the store (a ReadReplica) must know of the thread that runs
 * consensus, in memory both share, so that it learns it without waiting for that thread's event loop:
 * the read lease (see ReplicatedLog.watchReadLease) and the index of the last entry the state machine
 * was handed. The consensus thread writes; any thread reads.
 */
export class SharedReadState {
  private readonly slots: BigInt64Array;

  /** @param buffer the memory to share (a new one by default; pass the other thread's to read it). */
  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(2 * BigInt64Array.BYTES_PER_ELEMENT)) {
    this.slots = new BigInt64Array(buffer);
  }

  /** Records the read lease: until when (monotonicMs), 0 for none. */
  setLease(until: number): void {
    Atomics.store(this.slots, LEASE_UNTIL_US, BigInt(Math.floor(until * 1000)));
  }

  /** Records that the state machine was handed the entry at `index`. */
  setApplied(index: number): void {
    Atomics.store(this.slots, APPLIED, BigInt(index));
  }

  /** The index of the last entry the state machine was handed. */
  applied(): number {
    return Number(Atomics.load(this.slots, APPLIED));
  }

  /** True while the read lease holds. */
  leased(now = monotonicMs()): boolean {
    return Number(Atomics.load(this.slots, LEASE_UNTIL_US)) / 1000 > now;
  }
}

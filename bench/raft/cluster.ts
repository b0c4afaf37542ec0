/** What the workloads need of a three-member replicated store, orch's managers or etcd alike. */

/** How long one write may take before the client gives up on it. */
export const WRITE_TIMEOUT_MS = 10_000;

/** A client that sends one write at a time; each write resolves once the cluster has committed it. */
export interface Writer {
  write(): Promise<void>;
  close(): void;
}

/** Three members on loopback, numbered 0 to 2, each a real server process with its own data dir. */
export interface RaftCluster {
  /** Name shown in the results. */
  readonly name: string;
  /** Starts the three members and resolves once they are healthy with one leader. */
  start(): Promise<void>;
  /** The number of the member that leads now. */
  leader(): Promise<number>;
  /**
   * A new client sending its writes to `members[0]`; after a failed write it moves on to the next
   * member of the list (round robin). `tag` keeps what it writes apart from every other writer's.
   */
  writer(members: readonly number[], tag: string): Writer;
  /** SIGKILLs member `member`. */
  kill(member: number): void;
  /** Restarts killed member `member` and resolves once all three are healthy with one leader. */
  restart(member: number): Promise<void>;
  /** Stops every member and removes its data. Never throws; safe to call more than once. */
  destroy(): Promise<void>;
}

/**
 * A Writer over one connection per member: write number `seq` goes through `send(member index, seq)`,
 * to the current member, and a failed write moves the writer on to the next member.
 */
export function rotatingWriter(members: number, send: (index: number, seq: number) => Promise<void>, close: () => void): Writer {
  let at = 0;
  let seq = 0;
  return {
    async write() {
      try {
        await send(at, seq++);
      } catch (err) {
        at = (at + 1) % members;
        throw err;
      }
    },
    close,
  };
}

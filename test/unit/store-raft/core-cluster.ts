import type { Message } from '../../../plugins/store-raft/messages';
import { RaftCore, type PersistedState, type RaftConfig } from '../../../plugins/store-raft/raft-core';
import { seededRandom } from '../../../plugins/store-raft/random';
import type { Entry, Member, Snapshot } from '../../../plugins/store-raft/types';

/**
 * Raft cores wired together in memory for tests: every Ready is "persisted" at once, messages are
 * delivered by hand in send order, and links can be cut to make partitions.
 */
export class CoreCluster {
  readonly cores = new Map<string, RaftCore>();
  /** Entries each member applied, in order. */
  readonly applied = new Map<string, Entry[]>();
  /** Snapshots each member installed from its leader. */
  readonly installed = new Map<string, Snapshot[]>();
  private readonly isolated = new Set<string>();
  /** Members whose messages are neither sent nor received, without being isolated by a partition. */
  private readonly paused = new Set<string>();

  constructor(
    readonly ids: readonly string[],
    options: Partial<RaftConfig> = {},
    persisted: Record<string, PersistedState> = {},
  ) {
    ids.forEach((id, i) => {
      const config: RaftConfig = { id, bootstrap: membersOf(ids), electionTicks: 10, heartbeatTicks: 1, random: seededRandom(i + 1), ...options };
      this.cores.set(id, new RaftCore(config, persisted[id] && withMembers(persisted[id], ids)));
      this.applied.set(id, []);
      this.installed.set(id, []);
    });
  }

  core(id: string): RaftCore {
    return this.cores.get(id)!;
  }

  /** Cuts `id` off from everyone else. */
  isolate(id: string): void {
    this.isolated.add(id);
  }

  /** Stops `id` entirely: it neither ticks, works off its Ready, nor receives (a frozen process). */
  pause(id: string): void {
    this.paused.add(id);
  }

  heal(): void {
    this.isolated.clear();
    this.paused.clear();
  }

  /** Works off every Ready and delivers messages until nothing moves. */
  settle(): void {
    for (let round = 0; round < 10_000; round++) {
      const messages: Message[] = [];
      for (const [id, core] of this.cores) {
        if (this.paused.has(id)) continue;
        while (core.hasReady()) {
          const rd = core.ready();
          if (rd.snapshot) this.installed.get(id)!.push(rd.snapshot);
          this.applied.get(id)!.push(...rd.committed);
          messages.push(...rd.messages);
          core.advance(rd);
        }
      }
      if (messages.length === 0) return;
      for (const m of messages) this.deliver(m);
    }
    throw new Error('cluster did not settle');
  }

  /** Ticks every running member `n` times, settling after each tick. */
  tick(n = 1, only: readonly string[] = this.ids): void {
    for (let i = 0; i < n; i++) {
      for (const id of only) if (!this.paused.has(id)) this.core(id).tick();
      this.settle();
    }
  }

  /** Ticks until some member leads; returns it. */
  elect(): RaftCore {
    for (let i = 0; i < 100; i++) {
      const leaders = this.leaders();
      if (leaders.length > 0) return leaders[0];
      this.tick();
    }
    throw new Error('no leader elected');
  }

  leaders(): RaftCore[] {
    return [...this.cores.values()].filter((c) => c.isLeader);
  }

  /** Data of the `data` entries `id` applied, as strings. */
  appliedData(id: string): string[] {
    return this.applied
      .get(id)!
      .filter((e) => e.kind === 'data')
      .map((e) => Buffer.from(e.data).toString());
  }

  private deliver(m: Message): void {
    if (this.paused.has(m.to) || this.isolated.has(m.to) || this.isolated.has(m.from)) return;
    this.core(m.to).step(m);
  }
}

/** Encodes strings as proposals. */
export const bytes = (...s: string[]): Uint8Array[] => s.map((x) => Buffer.from(x));

/** A log entry for building persisted state. */
export const entry = (index: number, term: number, data = `e${index}`): Entry => ({
  index,
  term,
  kind: 'data',
  data: Buffer.from(data),
});

/** Members with these ids (no addresses: nothing dials them). */
export const membersOf = (ids: readonly string[]): Member[] => ids.map((id) => ({ id, addr: '' }));

/** `state` with the member list `ids` in force from the start (an empty snapshot at index 0), unless it has a snapshot. */
export const withMembers = (state: PersistedState, ids: readonly string[]): PersistedState =>
  state.snapshot ? state : { ...state, snapshot: { index: 0, term: 0, members: membersOf(ids), data: new Uint8Array(0) } };

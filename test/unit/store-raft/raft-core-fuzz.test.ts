import type { Message } from '../../../plugins/store-raft/messages';
import { RaftCore, type PersistedState } from '../../../plugins/store-raft/raft-core';
import { seededRandom } from '../../../plugins/store-raft/random';
import type { Ready } from '../../../plugins/store-raft/ready';
import { INITIAL_HARD_STATE, type Entry } from '../../../plugins/store-raft/types';

/** What a member has on "disk", kept the way the WAL and snapshot files would keep it. */
class MemoryDisk implements PersistedState {
  hardState = INITIAL_HARD_STATE;
  snapshot: PersistedState['snapshot'];
  entries: Entry[] = [];

  persist(rd: Ready): void {
    if (rd.snapshot) {
      this.snapshot = rd.snapshot;
      this.entries = [];
    }
    const first = rd.entries[0];
    if (first) this.entries = [...this.entries.filter((e) => e.index < first.index), ...rd.entries];
    if (rd.hardState) this.hardState = rd.hardState;
  }

  compact(snapshot: NonNullable<PersistedState['snapshot']>): void {
    this.snapshot = snapshot;
    this.entries = this.entries.filter((e) => e.index > snapshot.index);
  }
}

/**
 * Runs a 3- or 5-member cluster over a network that drops, reorders and partitions, with crashes,
 * restarts and compaction, and checks after every step that Raft's safety properties hold.
 */
function simulate(seed: number, steps: number): { commits: number; installs: number } {
  const rand = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const ids = rand() < 0.5 ? ['a', 'b', 'c'] : ['a', 'b', 'c', 'd', 'e'];
  const disks = new Map(ids.map((id) => [id, new MemoryDisk()]));
  const make = (id: string) =>
    new RaftCore({ id, bootstrap: ids.map((m) => ({ id: m, addr: '' })), electionTicks: 5, heartbeatTicks: 1, random: seededRandom(seed * 31 + id.charCodeAt(0)), maxEntriesPerAppend: 3 }, disks.get(id)!);
  const cores = new Map(ids.map((id) => [id, make(id)]));
  const leaderOfTerm = new Map<number, string>();
  /** Every applied entry, by index: all members must agree (state machine safety). */
  const appliedAt = new Map<number, string>();
  let network: Message[] = [];
  let cut = new Set<string>();
  let proposals = 0;
  let installs = 0;
  const keyOf = (e: Entry) => `${e.term}:${e.kind}:${Buffer.from(e.data).toString()}`;

  const work = (id: string) => {
    const core = cores.get(id)!;
    while (core.hasReady()) {
      const rd = core.ready();
      disks.get(id)!.persist(rd);
      if (rd.snapshot) installs++;
      network.push(...rd.messages);
      for (const e of rd.committed) {
        const key = keyOf(e);
        const seen = appliedAt.get(e.index);
        if (seen !== undefined && seen !== key) throw new Error(`seed ${seed}: ${id} applied ${key} at ${e.index}, others ${seen}`);
        appliedAt.set(e.index, key);
      }
      core.advance(rd);
    }
    if (core.isLeader && leaderOfTerm.get(core.term) !== id) {
      const other = leaderOfTerm.get(core.term);
      if (other !== undefined) throw new Error(`seed ${seed}: two leaders in term ${core.term}: ${other}, ${id}`);
      leaderOfTerm.set(core.term, id);
      // Leader completeness: a new leader holds every entry applied anywhere so far.
      for (const [index, key] of appliedAt) {
        if (index <= core.log.snapshotIndex) continue;
        const held = index <= core.log.lastIndex ? keyOf(core.log.slice(index, index)[0]) : 'nothing';
        if (held !== key) throw new Error(`seed ${seed}: new leader ${id} holds ${held} at ${index}, applied was ${key}`);
      }
    }
  };

  for (let step = 0; step < steps; step++) {
    const r = rand();
    const id = pick(ids);
    const core = cores.get(id)!;
    if (r < 0.3) core.tick();
    else if (r < 0.75) {
      // Deliver a few messages, slightly out of order; some are lost.
      for (let n = 0; n < 8 && network.length > 0; n++) {
        const m = network.splice(Math.floor(rand() * Math.min(network.length, 4)), 1)[0];
        if (rand() > 0.05 && !cut.has(m.from) && !cut.has(m.to)) cores.get(m.to)!.step(m);
      }
    } else if (r < 0.85) [...cores.values()].find((c) => c.isLeader)?.propose([Buffer.from(`p${proposals++}`)]);
    else if (r < 0.87) cut = rand() < 0.5 ? new Set() : new Set([pick(ids)]); // heal, or isolate one member
    else if (r < 0.875) {
      cores.set(id, make(id)); // crash and restart from disk
      network = network.filter((m) => m.to !== id);
    } else if (r < 0.9 && core.log.applied > core.log.snapshotIndex) {
      const snapshot = core.snapshotAt(core.log.applied, Buffer.from('s'));
      core.compact(snapshot);
      disks.get(id)!.compact(snapshot);
    }
    for (const member of ids) work(member);
  }
  return { commits: appliedAt.size, installs };
}

describe('RaftCore under a faulty network (seeded)', () => {
  it('keeps election safety and state machine safety', () => {
    let commits = 0;
    let installs = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const run = simulate(seed, 1500);
      commits += run.commits;
      installs += run.installs;
    }
    // The runs made progress and shipped snapshots, so the checks had something to check.
    expect(commits).toBeGreaterThan(2000);
    expect(installs).toBeGreaterThan(0);
  });
});

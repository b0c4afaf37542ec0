import fs from 'node:fs';
import path from 'node:path';
import { monotonicMs } from '../../../core/util/monotonic';
import type { StateMachine } from '../../../core/store/replicated-log';
import { ReplicatedStore } from '../../../core/store/replicated-store';
import { parseServiceSpec } from '../../../core/model/service-spec';
import { RaftNode, type RaftNodeOptions } from '../../../plugins/store-raft/raft-node';
import type { Message } from '../../../plugins/store-raft/messages';
import { LocalNetwork } from '../../../plugins/store-raft/transport';
import { tempDirs } from './temp-dir';
import { waitFor } from './wait-for';

const tempDir = tempDirs();

const service = (name: string) => ({
  id: `svc-${name}`,
  spec: parseServiceSpec({ name, task: { container: { image: 'img' } } }),
  specVersion: 1,
  endpoint: { ports: [] },
});

/** A store over a RaftNode; without other founding members given, a lone member. */
async function openStore(options: RaftNodeOptions) {
  const node = new RaftNode({ bootstrap: [{ id: options.id, addr: '' }], ...options });
  const store = new ReplicatedStore(node, () => new Date('2026-01-01T00:00:00Z'));
  await store.start();
  return { node, store };
}

/** Everything the store holds, as JSON (the state machine's own snapshot). */
const contents = async (store: ReplicatedStore) => Buffer.from(await store.state.snapshot()).toString();

const createServices = (store: ReplicatedStore, names: string[]) =>
  Promise.all(names.map((n) => store.update((tx) => tx.services.create(service(n)))));

/** Waits until the member in `dataDir` holds one snapshot file and one WAL segment (snapshots end in the background). */
async function untilCompacted(dataDir: string): Promise<void> {
  const files = () => [...fs.readdirSync(path.join(dataDir, 'raft', 'snap')), ...fs.readdirSync(path.join(dataDir, 'raft', 'wal'))];
  const deadline = Date.now() + 5000;
  while (!(files().length === 2 && files()[0].endsWith('.snap')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
}

/** A state machine of strings whose snapshots finish only when the test lets them. */
class HeldSnapshots implements StateMachine {
  appliedIndex = 0;
  values: string[] = [];
  readonly held: (() => void)[] = [];
  apply(index: number, data: Uint8Array): unknown {
    this.appliedIndex = index;
    this.values.push(Buffer.from(data).toString());
    return this.values.length;
  }
  snapshot(): Promise<Uint8Array> {
    const data = Buffer.from(JSON.stringify(this.values));
    return new Promise((resolve) => this.held.push(() => resolve(data)));
  }
  restore(index: number, data: Uint8Array): void {
    this.appliedIndex = index;
    this.values = JSON.parse(Buffer.from(data).toString()) as string[];
  }
}

describe('RaftNode, one member', () => {
  afterEach(() => jest.restoreAllMocks());

  it('leads as soon as it starts', async () => {
    const { node, store } = await openStore({ id: 'm1', dataDir: tempDir() });
    expect(node.status()).toMatchObject({ memberId: 'm1', isLeader: true, leaderId: 'm1', term: 2, members: [{ id: 'm1', addr: '', reachable: true }] });
    await store.stop();
  });

  it('keeps every acknowledged write across a crash', async () => {
    const dataDir = tempDir();
    const first = await openStore({ id: 'm1', dataDir });
    await createServices(first.store, ['a', 'b']);
    await first.store.update((tx) => {
      const a = tx.services.get('svc-a')!;
      tx.services.update({ ...a, specVersion: 2 });
      tx.services.delete('svc-b');
    });
    const before = await contents(first.store);
    const version = first.store.version;
    // Crash: the first node is abandoned without stop(); a fresh one opens the same directory.
    const second = await openStore({ id: 'm1', dataDir });
    expect(await contents(second.store)).toBe(before);
    expect(second.store.version).toBe(version);
    expect(second.node.status().term).toBe(3);
    await createServices(second.store, ['c']);
    expect(second.store.view((r) => r.services.all().map((s) => s.spec.name))).toEqual(['a', 'c']);
    await second.store.stop();
    await first.store.stop(); // only to close its files; it has nothing left to write
  });

  it('group-commits concurrent proposals into one fsync', async () => {
    const { store } = await openStore({ id: 'm1', dataDir: tempDir() });
    const syncs = jest.spyOn(fs, 'fdatasync');
    const names = Array.from({ length: 25 }, (_, i) => `s${i}`);
    const results = await createServices(store, names);
    expect(new Set(results.map((r) => r.version)).size).toBe(names.length);
    expect(syncs.mock.calls.length).toBeGreaterThanOrEqual(1);
    expect(syncs.mock.calls.length).toBeLessThanOrEqual(2);
    expect(store.view((r) => r.services.size)).toBe(names.length);
    await store.stop();
  });

  it('recovers from a snapshot plus the WAL after it, with the same state', async () => {
    const dataDir = tempDir();
    const first = await openStore({ id: 'm1', dataDir, snapshotEvery: 5 });
    for (let i = 0; i < 12; i++) await createServices(first.store, [`s${i}`]);
    const before = await contents(first.store);
    await untilCompacted(dataDir);
    const snaps = fs.readdirSync(path.join(dataDir, 'raft', 'snap'));
    expect(snaps).toHaveLength(1);
    expect(fs.readdirSync(path.join(dataDir, 'raft', 'wal'))).toHaveLength(1);

    const second = await openStore({ id: 'm1', dataDir, snapshotEvery: 5 });
    expect(await contents(second.store)).toBe(before);
    expect(second.store.version).toBe(first.store.version);
    await second.store.stop();
    await first.store.stop();
  });

  it('snapshots sooner once the entries since the last snapshot pass snapshotBytes', async () => {
    const dataDir = tempDir();
    const { store } = await openStore({ id: 'm1', dataDir, snapshotBytes: 3000 });
    const snaps = () => fs.readdirSync(path.join(dataDir, 'raft', 'snap'));
    await createServices(store, ['s0']);
    expect(snaps()).toHaveLength(0);
    for (let i = 1; i < 12; i++) await createServices(store, [`s${i}`]);
    await untilCompacted(dataDir);
    expect(snaps()).toHaveLength(1);
    await store.stop();
  });

  it('goes on writing and reading while a snapshot is taken, then compacts the WAL to it', async () => {
    const dataDir = tempDir();
    const sm = new HeldSnapshots();
    const node = new RaftNode({ id: 'm1', dataDir, bootstrap: [{ id: 'm1', addr: '' }], snapshotEvery: 3 });
    await node.start(sm);
    const write = (v: string) => node.propose(Buffer.from(v));
    for (const v of ['a', 'b', 'c']) await write(v);
    expect(sm.held).toHaveLength(1);
    // The snapshot is under way: writes and reads still complete, and nothing is compacted yet.
    expect(await write('d')).toBe(4);
    await node.readBarrier();
    expect(await write('e')).toBe(5);
    expect(sm.held).toHaveLength(1);
    expect(fs.readdirSync(path.join(dataDir, 'raft', 'snap'))).toEqual([]);
    sm.held[0]();
    await untilCompacted(dataDir);
    expect(fs.readdirSync(path.join(dataDir, 'raft', 'snap'))).toHaveLength(1);
    await node.stop();

    const again = new HeldSnapshots();
    const reopened = new RaftNode({ id: 'm1', dataDir, bootstrap: [{ id: 'm1', addr: '' }], snapshotEvery: 100 });
    await reopened.start(again);
    expect(again.values).toEqual(['a', 'b', 'c', 'd', 'e']);
    await reopened.stop();
  });

  it('refuses to start on a WAL damaged before its tail', async () => {
    const dataDir = tempDir();
    const first = await openStore({ id: 'm1', dataDir });
    await createServices(first.store, ['a']);
    await createServices(first.store, ['b']);
    await first.store.stop();
    const wal = path.join(dataDir, 'raft', 'wal', '0000000000000001.wal');
    const buf = fs.readFileSync(wal);
    buf[12] ^= 0xff;
    fs.writeFileSync(wal, buf);
    await expect(openStore({ id: 'm1', dataDir })).rejects.toThrow(`WAL is corrupt: ${wal} at byte offset 0`);
  });

  it('rejects proposals after stop', async () => {
    const { node, store } = await openStore({ id: 'm1', dataDir: tempDir() });
    await store.stop();
    await expect(node.propose(Buffer.from('{}'))).rejects.toThrow('raft node is not running');
  });
});

describe('RaftNode, several members in one process', () => {
  const net = new LocalNetwork();
  const ids = ['m1', 'm2', 'm3'];
  const founding = ids.map((id) => ({ id, addr: `${id}:1` }));
  type Member = Awaited<ReturnType<typeof openStore>>;
  let members: Member[] = [];
  /** Each member's data dir, by id. */
  const dataDirs = new Map<string, string>();

  const join = async (options: RaftNodeOptions) => {
    dataDirs.set(options.id, options.dataDir);
    const m = await openStore({ tickMs: 5, transport: net, ...options });
    net.join(options.id, m.node);
    members.push(m);
    return m;
  };
  const leaderOf = () => members.filter((m) => m.node.status().isLeader);
  const electedLeader = async () => {
    await waitFor(() => leaderOf().length === 1 && members.every((m) => m.node.status().leaderId === leaderOf()[0].node.status().memberId));
    return leaderOf()[0];
  };

  beforeEach(async () => {
    members = [];
    for (const id of ids) await join({ id, bootstrap: founding, dataDir: tempDir() });
  });
  afterEach(() => Promise.all(members.map((m) => m.store.stop())));

  it('elects one leader, takes writes on any member (followers forward) and replicates to all', async () => {
    const leader = await electedLeader();
    const follower = members.find((m) => m !== leader)!;
    await createServices(leader.store, ['a']);
    await createServices(follower.store, ['b', 'c']);
    // The follower's write resolved only once the follower itself had applied it.
    expect(follower.store.view((r) => r.services.size)).toBe(3);
    await waitFor(() => members.every((m) => m.store.view((r) => r.services.size) === 3));
    for (const m of members) expect(await contents(m.store)).toBe(await contents(leader.store));
  });

  it('serves a linearizable read barrier on a follower', async () => {
    const leader = await electedLeader();
    const follower = members.find((m) => m !== leader)!;
    await createServices(leader.store, ['a', 'b']);
    await follower.node.readBarrier();
    expect(follower.store.view((r) => r.services.size)).toBe(2);
  });

  it('adds a member that starts empty and catches up, then removes one', async () => {
    const leader = await electedLeader();
    await createServices(leader.store, ['a']);
    const fresh = await join({ id: 'm4', bootstrap: undefined, dataDir: tempDir() });
    expect(fresh.node.status().members).toEqual([]);
    await leader.node.addMember({ id: 'm4', addr: 'm4:1' });
    await waitFor(() => fresh.store.view((r) => r.services.size) === 1);
    expect(fresh.node.status().members.map((m) => m.id).sort()).toEqual(['m1', 'm2', 'm3', 'm4']);

    const gone = members.find((m) => m !== leader && m !== fresh)!;
    await leader.node.removeMember(gone.node.status().memberId);
    await createServices(leader.store, ['b']);
    await waitFor(() => fresh.store.view((r) => r.services.size) === 2);
    expect(leader.node.status().members.map((m) => m.id)).not.toContain(gone.node.status().memberId);
    await expect(gone.node.addMember({ id: 'x', addr: '' })).rejects.toThrow('is not the leader');
  });

  it('hands leadership over on request', async () => {
    const leader = await electedLeader();
    const heir = members.find((m) => m !== leader)!.node.status().memberId;
    await expect(leader.node.transferLeadership(heir)).resolves.toBe(heir);
    await waitFor(() => members.find((m) => m.node.status().memberId === heir)!.node.status().isLeader);
    await createServices(leader.store, ['after-transfer']);
  });

  it('a survivor of lost quorum restarts with --force-new-cluster as the only member, with all the state', async () => {
    const leader = await electedLeader();
    await createServices(leader.store, ['a', 'b']);
    const survivor = members.find((m) => m !== leader)!;
    await waitFor(() => survivor.store.view((r) => r.services.size) === 2);
    const { memberId } = survivor.node.status();
    const dataDir = dataDirs.get(memberId)!;
    await Promise.all(members.map((m) => m.store.stop()));
    members = [];

    const alone = await join({ id: memberId, bootstrap: undefined, forceNewCluster: { id: memberId, addr: 'here:1' }, dataDir });
    expect(alone.node.status()).toMatchObject({ isLeader: true, members: [{ id: memberId, addr: 'here:1', reachable: true }] });
    expect(alone.store.view((r) => r.services.size)).toBe(2);
    await createServices(alone.store, ['c']);
    await alone.store.stop();
    members = [];
    // The change is durable: a plain restart is still the only member, with everything.
    const again = await join({ id: memberId, bootstrap: undefined, dataDir });
    expect(again.node.status()).toMatchObject({ isLeader: true, members: [{ id: memberId }] });
    expect(again.store.view((r) => r.services.size)).toBe(3);
  });

  it('a leader that removes itself steps down and another takes over', async () => {
    const leader = await electedLeader();
    const leaderId = leader.node.status().memberId;
    await leader.node.removeMember(leaderId);
    await waitFor(() => leaderOf().length === 1 && leaderOf()[0] !== leader);
    expect(leaderOf()[0].node.status().members.map((m) => m.id)).not.toContain(leaderId);
  });
});

/** Strings; an entry starting with "slow" takes 20 ms to apply. */
class SlowApply implements StateMachine {
  appliedIndex = 0;
  readonly values: string[] = [];
  apply(index: number, data: Uint8Array): unknown {
    const value = Buffer.from(data).toString();
    if (value.startsWith('slow')) for (const end = performance.now() + 20; performance.now() < end; );
    this.appliedIndex = index;
    this.values.push(value);
    return undefined;
  }
  snapshot(): Promise<Uint8Array> {
    return Promise.resolve(Buffer.from(JSON.stringify(this.values)));
  }
  restore(): void {
    throw new Error('not in this test');
  }
}

/** Three members of SlowApply state machines on `net`, started. */
async function slowApplyCluster(net: LocalNetwork, options: Partial<RaftNodeOptions> = {}) {
  const founding = ['m1', 'm2', 'm3'].map((id) => ({ id, addr: `${id}:1` }));
  return Promise.all(founding.map(async ({ id }) => {
    const node = new RaftNode({ id, bootstrap: founding, dataDir: tempDir(), transport: net, ...options });
    const sm = new SlowApply();
    net.join(id, node);
    await node.start(sm);
    return { node, sm };
  }));
}

describe('RaftNode leader lease', () => {
  /** In-process delivery that drops every message to or from `cutOff`. */
  class CuttableNetwork extends LocalNetwork {
    cutOff: string | undefined;
    override send(messages: readonly Message[]): void {
      super.send(messages.filter((m) => m.to !== this.cutOff && m.from !== this.cutOff));
    }
  }
  // Election timeout 800 ms, lease 640 ms after a confirmed read; a leader cut off steps down 800 ms or more later.
  const TICK_MS = 40;
  const ELECTION_TICKS = 20;

  /** Three members with those timings on `net`. */
  const leaseCluster = (net: LocalNetwork) => {
    const founding = ['m1', 'm2', 'm3'].map((id) => ({ id, addr: `${id}:1` }));
    return Promise.all(founding.map(async ({ id }) => {
      const m = await openStore({ id, bootstrap: founding, dataDir: tempDir(), tickMs: TICK_MS, electionTicks: ELECTION_TICKS, transport: net });
      net.join(id, m.node);
      return m;
    }));
  };

  it('serves reads from a confirmed lease without a round trip, and only for part of an election timeout', async () => {
    const net = new CuttableNetwork();
    const members = await leaseCluster(net);
    try {
      await waitFor(() => members.filter((m) => m.node.status().isLeader).length === 1);
      const leader = members.find((m) => m.node.status().isLeader)!;
      await createServices(leader.store, ['a']);
      await leader.node.readBarrier();
      net.cutOff = leader.node.status().memberId;
      // Within the lease: no answer from anyone is needed.
      await leader.node.readBarrier();
      expect(leader.store.view((r) => r.services.size)).toBe(1);
      // Past it: the read waits for a quorum that cannot answer.
      await new Promise((r) => setTimeout(r, 680));
      const late = leader.node.readBarrier().then(() => 'served', () => 'refused');
      const first = await Promise.race([late, new Promise((r) => setTimeout(() => r('waiting'), 60))]);
      expect(first).toBe('waiting');
      net.cutOff = undefined;
      await late;
    } finally {
      await Promise.all(members.map((m) => m.store.stop()));
    }
  });

  it('serves a lease read at once while the leader applies a long burst, with every acknowledged write in it', async () => {
    const net = new LocalNetwork();
    const members = await slowApplyCluster(net, { tickMs: TICK_MS, electionTicks: ELECTION_TICKS });
    try {
      await waitFor(() => members.filter((m) => m.node.status().isLeader).length === 1);
      const { node, sm } = members.find((m) => m.node.status().isLeader)!;
      await node.propose(Buffer.from('a'));
      await node.readBarrier();
      const acknowledged: string[] = ['a'];
      const burst = Array.from({ length: 20 }, (_, i) => `slow${i}`);
      const writes = burst.map((v) => node.propose(Buffer.from(v)).then(() => acknowledged.push(v)));
      await waitFor(() => sm.values.length > 3);
      const before = [...acknowledged];
      await node.readBarrier();
      // Served before the burst is applied, from a state holding every write acknowledged so far.
      expect(sm.values.length).toBeLessThan(1 + burst.length);
      expect(sm.values).toEqual(expect.arrayContaining(before));
      await Promise.all(writes);
    } finally {
      await Promise.all(members.map((m) => m.node.stop()));
    }
  });

  it('sends a write made while it applies a long burst to the followers at once, not after the burst', async () => {
    /** Notes how many entries the leader had applied when each value first went out in an append. */
    class Watching extends LocalNetwork {
      leaderApplied = () => -1;
      readonly appliedWhenSent = new Map<string, number>();
      override send(messages: readonly Message[]): void {
        for (const m of messages) {
          if (m.type !== 'append') continue;
          for (const e of m.entries) {
            const value = Buffer.from(e.data).toString();
            if (!this.appliedWhenSent.has(value)) this.appliedWhenSent.set(value, this.leaderApplied());
          }
        }
        super.send(messages);
      }
    }
    const net = new Watching();
    const members = await slowApplyCluster(net, { tickMs: TICK_MS, electionTicks: ELECTION_TICKS });
    try {
      await waitFor(() => members.filter((m) => m.node.status().isLeader).length === 1);
      const { node, sm } = members.find((m) => m.node.status().isLeader)!;
      net.leaderApplied = () => sm.values.length;
      await node.propose(Buffer.from('a'));
      const burst = Array.from({ length: 20 }, (_, i) => `slow${i}`);
      const writes = burst.map((v) => node.propose(Buffer.from(v)));
      await waitFor(() => sm.values.length > 3);
      const late = node.propose(Buffer.from('late'));
      await Promise.all([...writes, late]);
      // It went out while the burst was still being applied (each slow entry takes 20 ms).
      expect(net.appliedWhenSent.get('late')).toBeLessThan(1 + burst.length);
    } finally {
      await Promise.all(members.map((m) => m.node.stop()));
    }
  });

  it('tells lease listeners of the lease once confirmed, as an end on the monotonic clock, and withdraws it at a handover', async () => {
    const net = new LocalNetwork();
    const members = await leaseCluster(net);
    try {
      await waitFor(() => members.filter((m) => m.node.status().isLeader).length === 1);
      const leader = members.find((m) => m.node.status().isLeader)!;
      const follower = members.find((m) => m !== leader)!;
      const heard: number[] = [];
      const followerHeard: number[] = [];
      leader.node.watchReadLease((until) => heard.push(until));
      follower.node.watchReadLease((until) => followerHeard.push(until));
      const issued = monotonicMs();
      await leader.node.readBarrier();
      const until = heard[heard.length - 1];
      // A lease of 80 % of the 800 ms election timeout, from when the read was issued.
      expect(until).toBeGreaterThan(monotonicMs());
      expect(until).toBeLessThanOrEqual(issued + 640 + 1);
      await leader.node.transferLeadership(follower.node.status().memberId);
      expect(heard[heard.length - 1]).toBe(0);
      expect(followerHeard.every((u) => u === 0)).toBe(true);
    } finally {
      await Promise.all(members.map((m) => m.store.stop()));
    }
  });

  // Election timeout 500 ms: a lease of 400 ms. A round trip of 60 ms is quick; one of 300 ms takes most of
  // the lease, so that rounds must overlap for the lease to stay renewed.
  it.each([30, 150])('keeps the lease while reads keep coming, renewing it before it runs out (every message takes %i ms)', async (delayMs) => {
    class SlowNetwork extends LocalNetwork {
      override send(messages: readonly Message[]): void {
        setTimeout(() => super.send(messages), delayMs);
      }
    }
    const net = new SlowNetwork();
    const founding = ['m1', 'm2', 'm3'].map((id) => ({ id, addr: `${id}:1` }));
    const members = await Promise.all(founding.map(async ({ id }) => {
      const m = await openStore({ id, bootstrap: founding, dataDir: tempDir(), tickMs: 50, transport: net });
      net.join(id, m.node);
      return m;
    }));
    try {
      await waitFor(() => members.filter((m) => m.node.status().isLeader).length === 1, 10_000);
      const leader = members.find((m) => m.node.status().isLeader)!;
      await leader.node.readBarrier();
      const waits: number[] = [];
      for (const warm = Date.now() + 500, end = warm + 1600; Date.now() < end; ) {
        const start = performance.now();
        await leader.node.readBarrier();
        if (Date.now() > warm) waits.push(performance.now() - start);
        await new Promise((r) => setTimeout(r, 10));
      }
      // After a lease length of reads, four more, none of which waited for a round trip.
      expect(waits.length).toBeGreaterThan(20);
      expect(waits.filter((ms) => ms >= 25)).toEqual([]);
    } finally {
      await Promise.all(members.map((m) => m.store.stop()));
    }
    // An election over a slow network can take a few seconds, then two more of reads.
  }, 20_000);
});

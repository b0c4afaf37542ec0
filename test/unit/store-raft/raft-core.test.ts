import type { Message } from '../../../plugins/store-raft/messages';
import { RaftCore } from '../../../plugins/store-raft/raft-core';
import { seededRandom } from '../../../plugins/store-raft/random';
import { bytes, CoreCluster, entry, membersOf, withMembers } from './core-cluster';

const lone = () => new RaftCore({ id: 'a', bootstrap: membersOf(['a']), electionTicks: 10, heartbeatTicks: 1, random: seededRandom(1) });

describe('RaftCore, single member', () => {
  it('elects itself at once and commits only after its own log is persisted', () => {
    const core = lone();
    core.campaign();
    expect(core.isLeader).toBe(true);
    expect(core.term).toBe(2);

    // The bootstrap member list is entry 1 (term 1, committed); the new leader's no-op follows it.
    const rd1 = core.ready();
    expect(rd1.hardState).toEqual({ term: 2, vote: 'a', commit: 1 });
    expect(rd1.entries.map((e) => [e.index, e.kind])).toEqual([
      [1, 'config'],
      [2, 'noop'],
    ]);
    expect(rd1.committed.map((e) => e.index)).toEqual([1]);
    expect(rd1.mustSync).toBe(true);
    expect(core.log.committed).toBe(1);
    core.advance(rd1);
    expect(core.log.committed).toBe(2);

    expect(core.propose(bytes('x', 'y'))).toBe(3);
    const rd2 = core.ready();
    expect(rd2.entries.map((e) => e.index)).toEqual([3, 4]);
    expect(rd2.committed.map((e) => e.index)).toEqual([2]);
    expect(core.log.committed).toBe(2);
    core.advance(rd2);

    const rd3 = core.ready();
    expect(rd3.committed.map((e) => Buffer.from(e.data).toString())).toEqual(['x', 'y']);
    expect(rd3.hardState).toEqual({ term: 2, vote: 'a', commit: 4 });
    expect(rd3.mustSync).toBe(false);
    core.advance(rd3);
    expect(core.hasReady()).toBe(false);
  });

  it('campaigns by itself after the election timeout', () => {
    const core = lone();
    for (let i = 0; i < 20 && !core.isLeader; i++) core.tick();
    expect(core.isLeader).toBe(true);
  });

  it('replays committed entries after a restart and refuses proposals until it leads', () => {
    const core = new RaftCore(
      { id: 'a', electionTicks: 10, heartbeatTicks: 1, random: seededRandom(1) },
      withMembers({ hardState: { term: 2, vote: 'a', commit: 2 }, entries: [entry(1, 1), entry(2, 2), entry(3, 2)] }, ['a']),
    );
    expect(() => core.propose(bytes('x'))).toThrow('member a is not the leader');
    const rd = core.ready();
    expect(rd.entries).toEqual([]);
    expect(rd.committed.map((e) => e.index)).toEqual([1, 2]);
    core.advance(rd);
    core.campaign();
    expect(core.term).toBe(3);
    core.advance(core.ready());
    expect(core.ready().committed.map((e) => e.index)).toEqual([3, 4]);
  });

  it('rejects misuse of ready/advance', () => {
    const core = lone();
    core.campaign();
    const rd = core.ready();
    expect(() => core.ready()).toThrow('before advance');
    core.advance(rd);
    expect(() => core.advance(rd)).toThrow('last handed out');
  });
});

describe('RaftCore, three members', () => {
  it('elects exactly one leader, replicates and commits on every member', () => {
    const c = new CoreCluster(['a', 'b', 'c']);
    const leader = c.elect();
    expect(c.leaders()).toHaveLength(1);
    for (const core of c.cores.values()) {
      expect(core.term).toBe(leader.term);
      expect(core.leader).toBe(leader.id);
    }
    leader.propose(bytes('one', 'two'));
    c.settle();
    c.tick(2);
    for (const id of c.ids) {
      expect(c.appliedData(id)).toEqual(['one', 'two']);
      expect(c.core(id).log.committed).toBe(leader.log.lastIndex);
    }
    expect(c.leaders()).toEqual([leader]);
  });

  it('tells followers of a commit only once the leader applied it', () => {
    const c = new CoreCluster(['a', 'b', 'c']);
    const leader = c.elect();
    const followers = c.ids.filter((id) => id !== leader.id).map((id) => c.core(id));
    const commits = (messages: readonly Message[]) => messages.flatMap((m) => (m.type === 'append' || m.type === 'heartbeat' ? [m.commit] : []));
    const index = leader.propose(bytes('x'));
    const replicate = leader.ready();
    leader.advance(replicate);
    for (const m of replicate.messages) c.core(m.to).step(m);
    for (const f of followers) {
      const rd = f.ready();
      f.advance(rd);
      for (const m of rd.messages) leader.step(m);
    }
    expect(leader.log.committed).toBe(index);
    leader.tick();
    const apply = leader.ready();
    expect(apply.committed.map((e) => e.index)).toEqual([index]);
    // While the leader applies x, followers hear of commits before it only.
    expect(commits(apply.messages).length).toBeGreaterThan(0);
    expect(Math.max(...commits(apply.messages))).toBeLessThan(index);
    for (const m of apply.messages) c.core(m.to).step(m);
    for (const f of followers) expect(f.log.committed).toBeLessThan(index);
    // Once it applied x, it says so at once.
    leader.advance(apply);
    const told = leader.ready();
    expect(commits(told.messages)).toEqual([index, index]);
    leader.advance(told);
    for (const m of told.messages) c.core(m.to).step(m);
    for (const f of followers) expect(f.log.committed).toBe(index);
  });

  it('truncates a follower suffix that conflicts with the leader', () => {
    const c = new CoreCluster(['a', 'b', 'c'], {}, {
      a: { hardState: { term: 3, commit: 1 }, entries: [entry(1, 1)] },
      b: { hardState: { term: 2, commit: 1 }, entries: [entry(1, 1), entry(2, 2, 'stale'), entry(3, 2, 'stale')] },
      c: { hardState: { term: 3, commit: 1 }, entries: [entry(1, 1)] },
    });
    c.pause('b');
    c.core('a').campaign();
    c.settle();
    expect(c.core('a').isLeader).toBe(true);
    c.heal();
    c.core('a').propose(bytes('fresh'));
    c.tick(3);
    const b = c.core('b');
    expect(b.log.slice(1, b.log.lastIndex).map((e) => [e.index, e.term])).toEqual([
      [1, 1],
      [2, 4],
      [3, 4],
    ]);
    expect(c.appliedData('b')).toEqual(['e1', 'fresh']);
  });

  it('steps a deposed leader down when it meets a higher term', () => {
    const c = new CoreCluster(['a', 'b', 'c']);
    const old = c.elect();
    const others = c.ids.filter((id) => id !== old.id);
    c.pause(old.id);
    for (let i = 0; i < 100 && !others.some((id) => c.core(id).isLeader); i++) c.tick(1, others);
    const fresh = others.map((id) => c.core(id)).find((core) => core.isLeader)!;
    expect(fresh.term).toBeGreaterThan(old.term);
    expect(old.isLeader).toBe(true);

    c.heal();
    c.tick(1, [old.id]);
    expect(old.isLeader).toBe(false);
    expect(old.term).toBe(fresh.term);
    expect(c.leaders()).toEqual([fresh]);
  });

  it('pre-vote keeps a partitioned member from bumping terms and disrupting the leader', () => {
    const c = new CoreCluster(['a', 'b', 'c']);
    const leader = c.elect();
    const term = leader.term;
    const loner = c.ids.find((id) => id !== leader.id)!;
    c.isolate(loner);
    c.tick(100);
    expect(c.core(loner).term).toBe(term);
    c.heal();
    c.tick(5);
    expect(c.leaders()).toEqual([leader]);
    expect(leader.term).toBe(term);
  });

  it('without pre-vote, the same partition forces a new term (control)', () => {
    const c = new CoreCluster(['a', 'b', 'c'], { preVote: false });
    const leader = c.elect();
    const loner = c.ids.find((id) => id !== leader.id)!;
    c.isolate(loner);
    c.tick(100);
    expect(c.core(loner).term).toBeGreaterThan(leader.term);
  });

  it('check-quorum makes an isolated leader step down', () => {
    const c = new CoreCluster(['a', 'b', 'c']);
    const leader = c.elect();
    c.isolate(leader.id);
    // The first check-quorum round still counts answers from before the partition; the second fails.
    c.tick(10, [leader.id]);
    expect(leader.isLeader).toBe(true);
    c.tick(10, [leader.id]);
    expect(leader.isLeader).toBe(false);
  });

  it('does not commit an entry of an older term by counting replicas alone', () => {
    // a holds an uncommitted entry of term 2 that nobody else has; it wins the election for term 4.
    const c = new CoreCluster(['a', 'b', 'c'], { maxEntriesPerAppend: 1 }, {
      a: { hardState: { term: 3, vote: 'a', commit: 1 }, entries: [entry(1, 1), entry(2, 2)] },
      b: { hardState: { term: 3, commit: 1 }, entries: [entry(1, 1)] },
      c: { hardState: { term: 3, commit: 1 }, entries: [entry(1, 1)] },
    });
    const a = c.core('a');
    c.pause('c');
    c.pause('b');
    a.campaign();
    // Deliver by hand, one round at a time, until b holds entry 2 (term 2) and a has heard so.
    const pump = () => {
      for (const id of ['a', 'b']) {
        const core = c.core(id);
        const rd = core.ready();
        core.advance(rd);
        for (const m of rd.messages) if (m.to === 'a' || m.to === 'b') c.core(m.to).step(m);
      }
    };
    for (let i = 0; i < 10 && !(c.core('b').log.lastIndex === 2 && c.core('b').log.term(2) === 2); i++) pump();
    expect(a.isLeader).toBe(true);
    expect(a.term).toBe(4);
    expect(c.core('b').log.lastIndex).toBe(2);
    // Entry 2 is now on a majority (a, b), yet it is of term 2: a must not commit it yet.
    expect(a.log.committed).toBe(1);
    pump();
    // Once the term-4 no-op is on a majority, it commits, and entry 2 with it.
    expect(a.log.committed).toBe(3);
  });

  it('hands out heartbeats, their answers and confirmed reads while a Ready is still being applied', () => {
    const c = new CoreCluster(['a', 'b', 'c']);
    const leader = c.elect();
    const followers = c.ids.filter((id) => id !== leader.id).map((id) => c.core(id));
    leader.propose(bytes('x'));
    const inFlight = leader.ready();
    // Made while `inFlight` is applied: an append of a new write and a read's heartbeats.
    leader.propose(bytes('y'));
    leader.readIndex('r1');
    const { messages } = leader.takeUrgent(true);
    expect(messages.map((m) => m.type).sort()).toEqual(['append', 'append', 'heartbeat', 'heartbeat']);
    for (const m of messages) if (m.type === 'heartbeat') c.core(m.to).step(m);
    for (const f of followers) for (const m of f.takeUrgent(true).messages) leader.step(m);
    expect(leader.takeUrgent(true).reads).toEqual([{ ctx: 'r1', index: expect.any(Number) }]);
    leader.advance(inFlight);
    // Handed out once: the next Ready carries neither again.
    const next = leader.ready();
    expect(next.reads).toEqual([]);
    expect(next.messages.filter((m) => m.type === 'heartbeat')).toEqual([]);
    leader.advance(next);
  });

  it('keeps a heartbeat answer for a Ready while the term it moved to is not durable', () => {
    const c = new CoreCluster(['a', 'b', 'c']);
    const leader = c.elect();
    const follower = c.core(c.ids.find((id) => id !== leader.id)!);
    follower.step({ type: 'heartbeat', from: leader.id, to: follower.id, term: leader.term + 1, commit: 0, read: 0 } as Message);
    expect(follower.takeUrgent(true).messages).toEqual([]);
    const rd = follower.ready();
    expect(rd.hardState?.term).toBe(leader.term + 1);
    expect(rd.messages.map((m) => m.type)).toContain('heartbeat-response');
    // Another heartbeat while that Ready is in flight: answered at once only once the Ready is persisted.
    follower.step({ type: 'heartbeat', from: leader.id, to: follower.id, term: leader.term + 1, commit: 0, read: 0 } as Message);
    expect(follower.takeUrgent(false).messages).toEqual([]);
    expect(follower.takeUrgent(true).messages.map((m) => m.type)).toEqual(['heartbeat-response']);
    follower.advance(rd);
  });

  it('bounds an append by the bytes of its entries, past the first one', () => {
    const c = new CoreCluster(['a', 'b', 'c'], { maxBytesPerAppend: 100 });
    const leader = c.elect();
    const lagging = c.ids.find((id) => id !== leader.id)!;
    c.pause(lagging);
    const data = ['a'.repeat(40), 'b'.repeat(40), 'c'.repeat(40), 'd'.repeat(300), 'e'.repeat(10), 'f'.repeat(10)];
    leader.propose(bytes(...data));
    c.settle();
    const appends: Message[] = [];
    const core = c.core(lagging);
    const step = core.step.bind(core);
    core.step = (m: Message) => {
      if (m.type === 'append' && m.entries.length > 0) appends.push(m);
      step(m);
    };
    c.heal();
    c.tick(3);
    expect(c.appliedData(lagging)).toEqual(data);
    const sizes = appends.map((m) => (m as Extract<Message, { type: 'append' }>).entries.map((e) => e.data.byteLength));
    for (const s of sizes) expect(s.length === 1 || s.reduce((x, y) => x + y, 0) <= 100).toBe(true);
    expect(sizes).toContainEqual([40, 40]);
    expect(sizes).toContainEqual([300]);
  });

  it('appends a forwarded proposal once, however often its request is delivered', () => {
    const c = new CoreCluster(['a', 'b', 'c']);
    const leader = c.elect();
    const follower = c.core(c.ids.find((id) => id !== leader.id)!);
    follower.forward('p1', bytes('once'));
    const sent = follower.ready();
    follower.advance(sent);
    const request = sent.messages.find((m) => m.type === 'propose')!;
    // The network delivers the request twice: both answers place it at the same index.
    leader.step(request);
    leader.step(request);
    const rd = leader.ready();
    const placements = rd.messages.filter((m) => m.type === 'propose-response');
    expect(placements.map((m) => m.type === 'propose-response' && [m.index, m.refused])).toEqual([
      [leader.log.lastIndex, undefined],
      [leader.log.lastIndex, undefined],
    ]);
    leader.advance(rd);
    for (const m of rd.messages) c.core(m.to).step(m);
    c.settle();
    c.tick(2);
    for (const id of c.ids) expect(c.appliedData(id)).toEqual(['once']);
  });

  it('sends a snapshot to a follower whose entries were compacted away', () => {
    const c = new CoreCluster(['a', 'b', 'c']);
    const leader = c.elect();
    const behind = c.ids.find((id) => id !== leader.id)!;
    c.isolate(behind);
    leader.propose(bytes('p1', 'p2', 'p3'));
    c.settle();
    const index = leader.log.applied;
    leader.compact(leader.snapshotAt(index, Buffer.from('state')));
    expect(leader.log.firstIndex).toBe(index + 1);
    c.heal();
    c.tick(3);
    expect(c.installed.get(behind)!.map((snap) => [snap.index, Buffer.from(snap.data).toString()])).toEqual([[index, 'state']]);
    expect(c.core(behind).log.applied).toBe(index);
    leader.propose(bytes('after'));
    c.settle();
    c.tick(1);
    expect(c.appliedData(behind)).toEqual(['after']);
  });
});

describe('RaftCore timing', () => {
  it('takes new election and heartbeat periods while running, and refuses ones that cannot work', () => {
    const core = lone();
    expect(() => core.setTiming(3, 3)).toThrow('electionTicks > heartbeatTicks');
    expect(() => core.setTiming(5, 0)).toThrow('heartbeatTicks >= 1');
    core.setTiming(3, 1);
    // The new election wait is drawn from [3, 6): a lone member campaigns within 6 ticks.
    for (let i = 0; i < 6 && !core.isLeader; i++) core.tick();
    expect(core.isLeader).toBe(true);
  });
});

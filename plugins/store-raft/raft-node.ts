import path from 'node:path';
import type { Logger } from 'pino';
import {
  DEFAULT_CONSENSUS_SETTINGS,
  type ConsensusMember,
  type ConsensusSettings,
  type LeadershipListener,
  type LogStatus,
  type ReadLeaseListener,
  type ReplicatedLog,
  type StateMachine,
} from '../../core/store/replicated-log';
import { monotonicMs } from '../../core/util/monotonic';
import { TimeSlice } from '../../core/util/time-slice';
import { BackgroundSnapshots } from './background-snapshots';
import { Deferred } from './deferred';
import { MembershipBusy, type ConfigChange } from './membership';
import type { Message } from './messages';
import { ProposalQueue } from './proposals';
import { forceNewMembership } from './force-new-cluster';
import { RaftCore, type PersistedState } from './raft-core';
import { RaftStorage } from './raft-storage';
import { ReadWaiters } from './read-waiters';
import type { Ready } from './ready';
import { noTransport, type MessageReceiver, type Transport } from './transport';
import type { Member } from './types';

/** Settings of a RaftNode. */
export interface RaftNodeOptions {
  /** This member's id. */
  readonly id: string;
  /** The node's data directory; Raft keeps its WAL and snapshots under `<dataDir>/raft`. */
  readonly dataDir: string;
  /** Founding members when this member starts a new group (see RaftConfig.bootstrap); ignored once the log has entries. */
  readonly bootstrap?: readonly Member[];
  /** Recover from lost quorum: make this member (at this address) the group's only one, keeping its log (see forceNewMembership). */
  readonly forceNewCluster?: Member;
  /** How messages reach other members (default: none until `connect`). */
  readonly transport?: Transport;
  /** Milliseconds per tick (default 100). */
  readonly tickMs?: number;
  /** Ticks before a follower without a leader campaigns, randomized up to twice that (default 10). */
  readonly electionTicks?: number;
  /** Ticks between leader heartbeats (default 1). */
  readonly heartbeatTicks?: number;
  /** Applied entries between snapshots; each snapshot compacts the WAL (default 10,000). */
  readonly snapshotEvery?: number;
  /** Bytes of applied entries after which a snapshot is taken sooner (default 64 MiB): batched writes make big entries. */
  readonly snapshotBytes?: number;
  /** How long a proposal, read or membership change waits before giving up (default 10 election timeouts). */
  readonly requestTimeoutMs?: number;
  /** Randomness for election timeouts (default Math.random). */
  readonly random?: () => number;
  readonly log?: Logger;
}

/**
 * Share of an election timeout after a confirmed read during which the leader serves reads from its lease:
 * short of the timeout, for members whose clocks run a little apart (and never past the ticks a member
 * counts before it listens to a candidate: one tick less than the timeout).
 */
const LEASE_FRACTION = 0.8;
/** A lease read starts a renewal once less than this share of the lease is left. */
const RENEW_FRACTION = 2 / 3;
/**
 * Most renewal rounds in flight at once. While reads keep using the lease, a round starts every tick, so a
 * round trip slowed by a long write on some member does not let the lease lapse: a later round, or one
 * that started earlier, confirms it meanwhile.
 */
const MAX_RENEWALS = 8;
/**
 * A leader's read lease: until when (monotonicMs(), a clock every thread of the process shares; 0 for
 * none) the leader of `term` may serve reads without a round trip, once it has applied `index` (the first
 * read index confirmed in the term: everything acknowledged by earlier leaders is at or below it).
 */
interface Lease {
  readonly term: number;
  readonly until: number;
  readonly index: number;
}
const NO_LEASE: Lease = { term: -1, until: 0, index: 0 };

/** What exists between start and stop. */
interface Running {
  readonly core: RaftCore;
  readonly storage: RaftStorage;
  readonly sm: StateMachine;
}

/**
 * A Raft member (the Consensus provider): drives a RaftCore with a tick timer, persists each Ready with
 * fsync before sending its messages or applying, applies committed entries to the state machine and
 * settles proposals with their results. Proposals that arrive while the disk is busy are written
 * together in the next batch (group commit); on a follower they are forwarded to the leader in one
 * message. A lone founding member elects itself as soon as it starts.
 */
export class RaftNode implements ReplicatedLog, MessageReceiver {
  private running?: Running;
  private readonly proposals = new ProposalQueue();
  private readonly reads = new ReadWaiters();
  /** Forwarded batches waiting to hear where the leader put them, by ctx. */
  private readonly forwarded = new Map<string, Deferred<unknown>[]>();
  private readonly leadershipListeners = new Set<LeadershipListener>();
  /** When each member was last heard from (ms since epoch). */
  private readonly lastHeard = new Map<string, number>();
  /** Addresses of members learned outside the log (when joining, before the log names them). */
  private readonly knownAddrs = new Map<string, string>();
  private transport: Transport;
  private settings: ConsensusSettings;
  /** The Ready loop, while it runs. */
  private loop?: Promise<void>;
  private timer?: NodeJS.Timeout;
  private failure?: Error;
  private stopped = false;
  /** Leadership as last told to listeners. */
  private seen: { leader?: string; isLeader: boolean } = { isLeader: false };
  private readonly snapshots: BackgroundSnapshots;
  /** The last entry applied to the state machine (of any kind), as it goes: ahead of the core's while a Ready is applied. */
  private applied = 0;
  /** Until when (monotonicMs()) this member, leading in `term`, may serve reads without a round trip. */
  private lease = NO_LEASE;
  /** ReadIndex rounds renewing the lease under way. */
  private renewals = 0;
  /** Until when (monotonicMs()) the lease is renewed every tick: a lease length after the last read. */
  private leaseWanted = 0;
  private readonly leaseListeners = new Set<ReadLeaseListener>();
  /** The lease as last told to lease listeners (NO_LEASE while there is none they may use). */
  private publishedLease = NO_LEASE;
  private ctxSeq = 0;
  /** The Ready the loop works on was persisted (it is being sent and applied). */
  private readyPersisted = false;
  /** Proposals are to be placed at the end of this turn (see placeSoon). */
  private placing = false;

  constructor(private readonly options: RaftNodeOptions) {
    this.transport = options.transport ?? noTransport;
    this.settings = {
      electionTicks: options.electionTicks ?? DEFAULT_CONSENSUS_SETTINGS.electionTicks,
      heartbeatTicks: options.heartbeatTicks ?? DEFAULT_CONSENSUS_SETTINGS.heartbeatTicks,
      snapshotInterval: options.snapshotEvery ?? DEFAULT_CONSENSUS_SETTINGS.snapshotInterval,
    };
    this.snapshots = new BackgroundSnapshots(
      { everyEntries: () => this.settings.snapshotInterval, everyBytes: options.snapshotBytes ?? 64 * 1024 * 1024 },
      () => this.schedule(),
      options.log,
    );
  }

  /** Recovers snapshot and WAL into `sm`, replays committed entries, then joins consensus. */
  async start(sm: StateMachine): Promise<void> {
    if (this.running || this.stopped) throw new Error('raft node was already started');
    const { id, dataDir, log } = this.options;
    const opened = await RaftStorage.open(path.join(dataDir, 'raft'));
    const { storage } = opened;
    let recovered: PersistedState = opened.recovered;
    if (opened.recovered.truncatedTail) log?.warn(opened.recovered.truncatedTail, 'cut off a torn last WAL record (an interrupted write)');
    if (this.options.forceNewCluster) {
      if (recovered.entries.length === 0 && !recovered.snapshot) throw new Error('--force-new-cluster needs this manager\'s Raft state, and it has none');
      const { entry, hardState } = forceNewMembership(recovered, this.options.forceNewCluster);
      await storage.appendSynced([entry], hardState);
      recovered = { ...recovered, hardState, entries: [...recovered.entries, entry] };
      log?.warn({ index: entry.index, term: entry.term }, 'forced a new cluster: this manager is now the only member, with all the state it held');
    }
    if (recovered.snapshot) {
      sm.restore(recovered.snapshot.index, recovered.snapshot.data);
      this.applied = recovered.snapshot.index;
      this.snapshots.restored(recovered.snapshot.data.length);
    }
    const core = new RaftCore(
      {
        id,
        bootstrap: this.options.bootstrap,
        electionTicks: this.settings.electionTicks,
        heartbeatTicks: this.settings.heartbeatTicks,
        random: this.options.random ?? Math.random,
      },
      recovered,
    );
    this.running = { core, storage, sm };
    await this.flush();
    if (core.members.length === 1 && core.members[0].id === id) {
      core.campaign();
      await this.flush();
    }
    if (this.failure) {
      await this.stop();
      throw this.failure;
    }
    if (this.stopped) return;
    this.timer = setInterval(() => {
      this.poke((c) => c.tick());
      this.keepLease();
    }, this.options.tickMs ?? 100);
    this.timer.unref();
    log?.info({ member: id, members: core.members, term: core.term, applied: core.log.applied }, 'raft member started');
  }

  /** Sends messages through `transport` from now on (until then they are dropped; Raft copes). */
  connect(transport: Transport): void {
    this.transport = transport;
  }

  /** Where member `id` listens: from the member list in force, else as learned by `learnAddresses`. */
  addressOf(id: string): string | undefined {
    return this.running?.core.members.find((m) => m.id === id)?.addr || this.knownAddrs.get(id);
  }

  /** Remembers members' addresses learned outside the log (a joining member's, before it has the log). */
  learnAddresses(members: readonly ConsensusMember[]): void {
    for (const m of members) this.knownAddrs.set(m.id, m.addr);
  }

  /** True once this member is in the member list in force. */
  get isMember(): boolean {
    return this.running?.core.members.some((m) => m.id === this.options.id) ?? false;
  }

  propose(data: Uint8Array): Promise<unknown> {
    const refusal = this.refusal();
    if (refusal) return Promise.reject(refusal);
    const waiter = this.deferred<unknown>('the write to commit');
    this.proposals.add(data, waiter);
    if (this.loop) this.placeSoon();
    else this.schedule();
    return waiter.promise;
  }

  /**
   * While the Ready loop persists or applies, places the proposals of this turn of the event loop at the
   * end of it (one batch) rather than after the Ready: the leader's appends go out at once (as urgent
   * sends), so followers persist them while it applies, and a long apply does not add itself to every
   * commit's latency. Its own disk write still waits for the next Ready.
   */
  private placeSoon(): void {
    if (this.placing) return;
    this.placing = true;
    queueMicrotask(() => {
      this.placing = false;
      if (this.loop && this.proposals.hasQueued) this.poke((c) => this.placeProposals(c));
    });
  }

  /**
   * Waits until this member may serve a linearizable read (ReadIndex through the leader). A leader whose
   * leadership a quorum confirmed for a read issued less than LEASE_FRACTION of an election timeout ago
   * serves at once, from the state it has applied: the members that confirmed it will not elect anyone
   * else within an election timeout of that read, so no other leader can have committed since, and
   * members learn of a commit only once this leader applied it (RaftCore's advertised commit), so every
   * write acknowledged in its term is in that state (and those of earlier terms are, once it applied the
   * lease's index). A lease read renews the lease in the background once a third of it is used.
   */
  readBarrier(): Promise<void> {
    const refusal = this.refusal();
    if (refusal) return Promise.reject(refusal);
    const core = this.running!.core;
    const now = monotonicMs();
    // Reads are coming: keep renewing the lease for a while (see keepLease).
    this.leaseWanted = now + this.leaseMs();
    if (core.isLeader && core.transferringTo === undefined && this.lease.term === core.term && now < this.lease.until) {
      // Renew ahead of time, so that reads keep coming through the lease while a round trip is slow.
      if (this.renewals === 0 && this.lease.until - now < this.leaseMs() * RENEW_FRACTION) this.renewLease();
      if (this.lease.index <= this.applied) return Promise.resolve();
      const waiter = this.deferred<void>('this leader to apply the entries of earlier terms');
      this.reads.afterApplied(this.lease.index, waiter, this.applied);
      return waiter.promise;
    }
    return this.confirmRead();
  }

  /**
   * A ReadIndex round: resolves once the leader confirmed its leadership for a read issued now and this
   * member applied up to the read's index. On the leader, the confirmation grants or extends the lease at
   * once, and the read waits only for the lease's index (as a lease read does, for the same reasons).
   */
  private confirmRead(): Promise<void> {
    const core = this.running!.core;
    const issued = monotonicMs();
    const term = core.term;
    const waiter = this.deferred<void>('the leader to confirm a read');
    const ctx = this.nextCtx('r');
    this.reads.add(ctx, waiter, (index) => {
      const c = this.running?.core;
      if (!c?.isLeader || c.term !== term) return index;
      const held = this.lease.term === term;
      this.lease = { term, until: Math.max(held ? this.lease.until : 0, issued + this.leaseMs()), index: held ? this.lease.index : index };
      this.publishLease();
      return this.lease.index;
    });
    this.reads.prune();
    this.poke((c) => {
      try {
        c.readIndex(ctx);
      } catch (err) {
        waiter.reject(err as Error);
      }
    });
    return waiter.promise;
  }

  /** Starts a ReadIndex round whose confirmation extends the lease. */
  private renewLease(): void {
    this.renewals++;
    const done = () => this.renewals--;
    this.confirmRead().then(done, done);
  }

  /**
   * Each tick of a leader, while reads came lately: starts another renewal round (up to MAX_RENEWALS in
   * flight), so that the lease stays renewed while round trips take most of it.
   */
  private keepLease(): void {
    const core = this.running?.core;
    if (!core?.isLeader || core.transferringTo !== undefined || this.renewals >= MAX_RENEWALS || monotonicMs() >= this.leaseWanted) return;
    this.renewLease();
  }

  /** How long a confirmed read lets the leader serve reads without a round trip (ms). */
  private leaseMs(): number {
    return Math.min(this.electionTimeoutMs() * LEASE_FRACTION, (this.settings.electionTicks - 1) * (this.options.tickMs ?? 100));
  }

  addMember(member: ConsensusMember): Promise<void> {
    return this.changeMembers({ type: 'set', member: { id: member.id, addr: member.addr } });
  }

  removeMember(id: string): Promise<void> {
    return this.changeMembers({ type: 'remove', id });
  }

  async transferLeadership(to?: string): Promise<string> {
    const core = this.leaderCore();
    const target = to ?? this.heir(core);
    if (!target) throw new Error('no other reachable member to hand leadership to');
    core.transferLeadership(target);
    this.lease = NO_LEASE;
    this.publishLease();
    this.schedule();
    const waiter = this.deferred<string>(`leadership to move to ${target}`, this.electionTimeoutMs() * 3);
    const stop = this.watchLeadership((s) => {
      if (s.leaderId === target) waiter.resolve(target);
    });
    try {
      return await waiter.promise;
    } finally {
      stop();
    }
  }

  configure(settings: Partial<ConsensusSettings>): void {
    this.settings = { ...this.settings, ...settings };
    // Members take new timings at different moments: confirm leadership afresh.
    this.lease = NO_LEASE;
    this.publishLease();
    this.running?.core.setTiming(this.settings.electionTicks, this.settings.heartbeatTicks);
  }

  watchLeadership(listener: LeadershipListener): () => void {
    this.leadershipListeners.add(listener);
    return () => this.leadershipListeners.delete(listener);
  }

  /**
   * Tells `listener` of the lease readBarrier serves reads under, once this leader applied the lease's
   * index (see ReplicatedLog.watchReadLease); it is withdrawn when leadership is handed over or lost.
   */
  watchReadLease(listener: ReadLeaseListener): () => void {
    this.leaseListeners.add(listener);
    listener(this.publishedLease.until);
    return () => this.leaseListeners.delete(listener);
  }

  /** Takes a message from another member (called by the transport). */
  receive(message: Message): void {
    this.lastHeard.set(message.from, Date.now());
    this.poke((c) => c.step(message));
  }

  status(): LogStatus {
    const core = this.running?.core;
    const members = core?.members ?? [];
    const horizon = Date.now() - 2 * this.electionTimeoutMs();
    return {
      memberId: this.options.id,
      term: core?.term ?? 0,
      leaderId: core?.leader,
      leaderAddr: members.find((m) => m.id === core?.leader)?.addr,
      isLeader: core?.isLeader ?? false,
      commitIndex: core?.log.committed ?? 0,
      appliedIndex: core?.log.applied ?? 0,
      members: members.map((m) => ({ ...m, reachable: m.id === this.options.id || (this.lastHeard.get(m.id) ?? 0) > horizon })),
    };
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.lease = NO_LEASE;
    this.publishLease();
    clearInterval(this.timer);
    await this.loop;
    await this.snapshots.settle();
    this.rejectWaiting(new Error('raft node stopped'));
    await this.running?.storage.close();
  }

  /** Appends a membership change as leader (waiting out a change in progress) and waits for it to commit. */
  private async changeMembers(change: ConfigChange): Promise<void> {
    const deadline = Date.now() + this.requestTimeoutMs();
    let index: number | undefined;
    let core: RaftCore;
    do {
      core = this.leaderCore();
      try {
        index = core.changeMembers(change);
      } catch (err) {
        if (!(err instanceof MembershipBusy) || Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, this.options.tickMs ?? 100));
      }
    } while (index === undefined);
    const waiter = this.deferred<unknown>('the membership change to commit');
    this.proposals.expect(index, core.term, waiter);
    this.schedule();
    await waiter.promise;
  }

  /** The core, if this member leads. */
  private leaderCore(): RaftCore {
    const refusal = this.refusal();
    if (refusal) throw refusal;
    const core = this.running!.core;
    if (!core.isLeader) throw new Error(`member ${core.id} is not the leader${core.leader ? ` (the leader is ${core.leader})` : ''}`);
    return core;
  }

  /** The reachable member other than this one that was heard from last. */
  private heir(core: RaftCore): string | undefined {
    const others = this.status().members.filter((m) => m.reachable && m.id !== core.id);
    return others.sort((a, b) => (this.lastHeard.get(b.id) ?? 0) - (this.lastHeard.get(a.id) ?? 0))[0]?.id;
  }

  private refusal(): Error | undefined {
    if (this.failure) return new Error(`raft node failed: ${this.failure.message}`);
    if (!this.running || this.stopped) return new Error('raft node is not running');
    return undefined;
  }

  private electionTimeoutMs(): number {
    return this.settings.electionTicks * (this.options.tickMs ?? 100);
  }

  private requestTimeoutMs(): number {
    return this.options.requestTimeoutMs ?? this.electionTimeoutMs() * 10;
  }

  private deferred<T>(what: string, ms = this.requestTimeoutMs()): Deferred<T> {
    return new Deferred<T>({ ms, error: () => new Error(`timed out after ${ms} ms waiting for ${what}; the outcome is unknown`) });
  }

  private nextCtx(kind: string): string {
    return `${this.options.id}/${kind}${++this.ctxSeq}`;
  }

  /** Runs `fn` on the core if the node is up, then works off whatever it produced. */
  private poke(fn: (core: RaftCore) => void): void {
    if (!this.running || this.stopped || this.failure) return;
    fn(this.running.core);
    this.noteLeadership(this.running.core);
    if (this.loop) this.sendUrgent(this.running.core);
    if (this.running.core.hasReady() || this.proposals.hasQueued) this.schedule();
  }

  private schedule(): void {
    this.loop ??= this.drain();
  }

  /** Runs the Ready loop until the core has nothing more to hand out. */
  private async flush(): Promise<void> {
    this.schedule();
    await this.loop;
  }

  private async drain(): Promise<void> {
    // Let proposals made in the same turn of the event loop join the first batch.
    await Promise.resolve();
    const { core, storage, sm } = this.running!;
    try {
      while (!this.stopped) {
        await this.snapshots.compactSaved(core, storage);
        if (this.proposals.hasQueued) this.placeProposals(core);
        if (!core.hasReady()) break;
        const rd = core.ready();
        this.readyPersisted = false;
        // A leader replicates while its own disk writes (Raft thesis §10.2.1): its log counts towards a
        // quorum only once persisted, and its term was made durable before it could win. Everything
        // else waits for the disk.
        const early = core.isLeader ? rd.messages.filter((m) => isReplication(m) && m.term === core.term) : [];
        this.transport.send(early);
        await storage.persist(rd);
        this.readyPersisted = true;
        this.transport.send(early.length === 0 ? rd.messages : rd.messages.filter((m) => !early.includes(m)));
        await this.apply(rd, sm, core);
        core.advance(rd);
        this.noteLeadership(core);
        this.snapshots.maybeStart(core, sm, storage);
      }
    } catch (err) {
      this.fail(err as Error);
    } finally {
      this.loop = undefined;
    }
  }

  /**
   * Appends queued proposals (as leader) or forwards them to the leader in one message. While no leader
   * is known (an election), they wait in the queue until one is, or until their callers time out.
   */
  private placeProposals(core: RaftCore): void {
    if (!core.isLeader && core.leader === undefined) return;
    const batch = this.proposals.take();
    if (batch.length === 0) return;
    const data = batch.map((p) => p.data);
    try {
      if (core.isLeader) {
        const first = core.propose(data);
        batch.forEach((p, i) => this.proposals.expect(first + i, core.term, p.waiter));
        return;
      }
      for (const [old, waiters] of this.forwarded) if (waiters.every((w) => w.settled)) this.forwarded.delete(old);
      const ctx = this.nextCtx('p');
      core.forward(ctx, data);
      this.forwarded.set(
        ctx,
        batch.map((p) => p.waiter),
      );
    } catch (err) {
      for (const p of batch) p.waiter.reject(err as Error);
    }
  }

  /**
   * Takes the read confirmations of a Ready (a lease starts at once), then applies what it committed,
   * letting other work run every time slice between entries (a burst of big batched writes takes long
   * to apply); reads waiting for an index are served as soon as it is applied.
   */
  private async apply(rd: Ready, sm: StateMachine, core: RaftCore): Promise<void> {
    const slice = new TimeSlice();
    if (rd.snapshot) {
      sm.restore(rd.snapshot.index, rd.snapshot.data);
      this.applied = rd.snapshot.index;
      this.proposals.skipTo(rd.snapshot.index);
      this.snapshots.restored(rd.snapshot.data.length);
    }
    for (const p of rd.placed) this.placeForwarded(p.ctx, p.index, p.term, p.refused);
    for (const r of rd.reads) this.reads.confirmed(r.ctx, r.index, this.applied);
    for (const e of rd.committed) {
      if (e.kind === 'data') this.snapshots.applied(e.data.length);
      const result = e.kind === 'data' ? sm.apply(e.index, e.data) : undefined;
      this.applied = e.index;
      this.proposals.settle(e, result);
      if (e.kind === 'config') this.options.log?.info({ index: e.index, members: core.log.membersAt(e.index) }, 'raft membership changed');
      if (slice.due) {
        this.reads.applied(e.index);
        await slice.next();
      }
    }
    this.reads.applied(this.applied);
    this.publishLease();
  }

  /** Tells lease listeners of a change to the lease they may read under. */
  private publishLease(): void {
    const core = this.running?.core;
    const usable = !this.stopped && core?.isLeader === true && core.transferringTo === undefined && this.lease.term === core.term && this.lease.index <= this.applied;
    const lease = usable ? this.lease : NO_LEASE;
    if (lease === this.publishedLease) return;
    this.publishedLease = lease;
    for (const l of this.leaseListeners) l(lease.until);
  }

  /**
   * While a Ready is persisted or applied: sends what cannot wait for the next Ready (heartbeats and
   * appends, answers to heartbeats) and takes the reads confirmed meanwhile, so that leadership is
   * confirmed and the lease renewed (and followers hear from their leader) however long a big write takes
   * to reach the disk or the state.
   */
  private sendUrgent(core: RaftCore): void {
    const { messages, reads } = core.takeUrgent(this.readyPersisted);
    this.transport.send(messages);
    for (const r of reads) this.reads.confirmed(r.ctx, r.index, this.applied);
  }

  /** The leader told where it put a batch this member forwarded. */
  private placeForwarded(ctx: string, index: number, term: number, refused: string | undefined): void {
    const waiters = this.forwarded.get(ctx);
    if (!waiters) return;
    this.forwarded.delete(ctx);
    waiters.forEach((w, i) => {
      if (refused) w.reject(new Error(`the leader refused the write: ${refused}`));
      else this.proposals.expect(index + i, term, w);
    });
  }

  /** Tells listeners when the leader or this member's role changed. */
  private noteLeadership(core: RaftCore): void {
    if (core.leader === this.seen.leader && core.isLeader === this.seen.isLeader) return;
    this.seen = { leader: core.leader, isLeader: core.isLeader };
    this.publishLease();
    this.options.log?.info({ leader: core.leader, term: core.term, isLeader: core.isLeader }, 'raft leader changed');
    const status = this.status();
    for (const l of this.leadershipListeners) l(status);
  }

  /** Rejects every caller still waiting: proposals (queued, placed or forwarded) and reads. */
  private rejectWaiting(err: Error): void {
    this.proposals.rejectAll(err);
    this.reads.rejectAll(err);
    for (const waiters of this.forwarded.values()) for (const w of waiters) w.reject(err);
    this.forwarded.clear();
  }

  /** A write failed: this member can no longer vouch for its log, so it stops taking part. */
  private fail(err: Error): void {
    this.failure = err;
    clearInterval(this.timer);
    this.rejectWaiting(new Error(`raft node failed: ${err.message}`));
    this.options.log?.error({ err }, 'raft node failed; it no longer takes part in consensus');
  }
}

/** A leader's replication traffic, which may go out before the leader's own write is durable. */
function isReplication(m: Message): boolean {
  return m.type === 'append' || m.type === 'heartbeat' || m.type === 'snapshot';
}

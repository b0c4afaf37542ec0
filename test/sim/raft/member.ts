import type { Message } from '../../../plugins/store-raft/messages';
import { RaftCore, type RaftConfig } from '../../../plugins/store-raft/raft-core';
import type { Ready } from '../../../plugins/store-raft/ready';
import type { Member, Snapshot } from '../../../plugins/store-raft/types';
import type { KvInput, KvOutput } from '../lincheck/kv-model';
import type { KvEndpoint, Outcome } from './clients';
import { SimDisk } from './disk';
import type { RaftInvariants } from './invariants';
import { decodeCommand, encodeCommand, KvMachine, type KvCommand } from './kv-machine';
import type { SimNetwork } from './network';
import type { Rng } from './rng';
import type { Scheduler } from './scheduler';
import type { Trace } from './trace';

/**
 * Bugs a member can be told to have, to show that the checks catch them. They live in the driver
 * (this file), never in the Raft core.
 */
export interface PlantedBugs {
  /** A member that believes it leads answers reads from its own state machine at once, without ReadIndex. */
  readonly staleReads?: boolean;
  /**
   * Messages go out as soon as a Ready is handed out, before its writes are durable, and writes are
   * flushed to disk only now and then: a crash can lose what the member already acknowledged.
   */
  readonly ackBeforeFsync?: boolean;
}

/** Settings of a simulated member. */
export interface MemberSettings {
  readonly raft: Omit<RaftConfig, 'id' | 'bootstrap' | 'random'>;
  /** Time units between this member's ticks (members' clocks run at slightly different rates). */
  readonly tickPeriod: number;
  /** How long an fsync takes, in time units; with `slowFsync.rate`, one takes up to `slowFsync.max` instead. */
  readonly fsyncLatency: readonly [number, number];
  readonly slowFsync: { readonly rate: number; readonly max: number };
  /** Applied entries between local snapshots (each compacts the log). */
  readonly snapshotEvery: number;
  /** Whether the network may deliver a message twice (so a refused forward may still have been placed). */
  readonly duplicates: boolean;
  readonly bugs: PlantedBugs;
}

/** What a member shares with the rest of the simulation. */
export interface MemberEnv {
  readonly scheduler: Scheduler;
  readonly network: SimNetwork<Message>;
  readonly invariants: RaftInvariants;
  readonly trace: Trace;
}

/** A client request waiting at a member. */
interface Pending {
  readonly input: KvInput;
  readonly done: (outcome: Outcome<KvOutput>) => void;
}

/** A read waiting for its read index, then for the state machine to reach it. */
interface PendingRead extends Pending {
  readonly input: Extract<KvInput, { op: 'get' }>;
  index?: number;
}

/**
 * Drives one Raft member on simulated time and I/O, the way RaftNode does with real timers, disk and
 * network: it ticks on its own clock; persists each Ready to its SimDisk and fsyncs (taking simulated
 * time) when the Ready says so, stepping messages meanwhile; sends the Ready's messages only once its
 * writes are durable; applies committed entries to a KvMachine; snapshots and compacts every
 * `snapshotEvery` entries; installs snapshots from the leader; and settles client requests.
 * A crash loses the unsynced writes and all memory; a restart recovers from the durable disk.
 */
export class SimMember implements KvEndpoint {
  readonly disk = new SimDisk();
  /** The running core; undefined while the member is down. */
  private running?: RaftCore;
  private sm = new KvMachine();
  private _incarnation = 0;
  /** Set once the member left for good (removed from the group); it never comes back. */
  gone = false;
  /** The Ready being persisted (waiting for its fsync). */
  private inFlight?: Ready;
  /** Writes by command id; forwarded ones until placed, all until applied. */
  private writes = new Map<string, Pending>();
  /** Command id placed at each index (by the leader), to tell when another entry took its place. */
  private placedAt = new Map<number, string>();
  private reads = new Map<string, PendingRead>();
  /** Entries up to here came in a snapshot, so whether a write among them was ours is unknown. */
  private snapshotFloor = 0;
  private lastRole = '';
  /** Statistics. */
  crashes = 0;
  /** Snapshots installed by this member while it joined with an empty log (it caught up through one). */
  joinSnapshots = 0;
  snapshotsInstalled = 0;

  constructor(
    readonly id: string,
    /** The founding member list, for members that found the group; joiners start without one. */
    private readonly bootstrap: readonly Member[] | undefined,
    private readonly settings: MemberSettings,
    private readonly env: MemberEnv,
    private readonly rng: Rng,
  ) {}

  /** Whether the member is running (not crashed, not gone). */
  get up(): boolean {
    return this.running !== undefined;
  }

  /** How many times the member has started: in-memory state belongs to one incarnation. */
  get incarnation(): number {
    return this._incarnation;
  }

  /** The running core (throws while down). */
  get core(): RaftCore {
    if (!this.running) throw new Error(`member ${this.id} is down`);
    return this.running;
  }

  /** The state machine's state, canonical, for comparing members. */
  get state(): string {
    return this.sm.describe();
  }

  /** Whether a Ready is still being persisted. */
  get busy(): boolean {
    return this.inFlight !== undefined;
  }

  /** Starts (or restarts) from what the disk holds durably. */
  start(): void {
    if (this.up || this.gone) return;
    this._incarnation++;
    const recovered = this.disk.recover();
    this.sm = new KvMachine();
    if (recovered.snapshot) this.sm.restore(recovered.snapshot.index, recovered.snapshot.data);
    this.snapshotFloor = this.sm.applied;
    this.running = new RaftCore(
      { ...this.settings.raft, id: this.id, bootstrap: this.bootstrap, random: this.rng.forkFn() },
      recovered,
    );
    this.env.trace.add(`${this.id} starts (incarnation ${this._incarnation}): term ${recovered.hardState.term}, ${recovered.entries.length} entries after snapshot ${recovered.snapshot?.index ?? 0}`);
    this.lastRole = '';
    this.env.invariants.started(this);
    this.scheduleTick(this.rng.int(1, this.settings.tickPeriod));
    if (this.settings.bugs.ackBeforeFsync) this.scheduleLazyFlush();
    this.afterInput();
  }

  /** Power loss: loses unsynced writes and everything in memory; pending requests become indeterminate. */
  crash(): void {
    if (!this.running) return;
    this.running = undefined;
    this.inFlight = undefined;
    this.crashes++;
    this.disk.crash(this.rng);
    this.env.invariants.crashed(this, this.disk.recover());
    this.env.trace.add(`${this.id} crashes`);
    this.abandonAll('member crashed');
  }

  /** Stops for good (the member was removed from the group). */
  leave(): void {
    this.crash();
    this.gone = true;
    this.env.trace.add(`${this.id} leaves for good`);
  }

  /** Hands a message from the network to the core; false if the member is down. */
  receive(m: Message): boolean {
    const core = this.running;
    if (!core) return false;
    this.env.trace.add(() => `${m.from}→${m.to} ${describeMessage(m)}`);
    core.step(m);
    this.afterInput();
    return true;
  }

  /**
   * Runs `fn` on the running core (an operator's or a test's action: a membership change, a leader
   * transfer), then works off what it produced, as after any input. Errors `fn` throws propagate.
   */
  act<T>(fn: (core: RaftCore) => T): T {
    const result = fn(this.core);
    this.afterInput();
    return result;
  }

  /** Takes a client request: writes go into the log (on the leader, or forwarded), reads through ReadIndex. */
  submit(input: KvInput, opId: string, done: (outcome: Outcome<KvOutput>) => void): void {
    const core = this.running;
    if (!core) return done({ status: 'failed', reason: 'member is down' });
    if (input.op === 'get') this.read(core, input, opId, done);
    else this.write(core, { id: opId, ...input }, done);
    this.afterInput();
  }

  private write(core: RaftCore, cmd: KvCommand, done: Pending['done']): void {
    const data = encodeCommand(cmd);
    if (core.isLeader) {
      let index: number;
      try {
        index = core.propose([data]);
      } catch (err) {
        return done({ status: 'failed', reason: (err as Error).message });
      }
      this.placedAt.set(index, cmd.id);
    } else if (core.leader !== undefined) {
      core.forward(cmd.id, [data]);
    } else {
      return done({ status: 'failed', reason: `${this.id} knows no leader` });
    }
    this.writes.set(cmd.id, { input: cmd, done });
  }

  private read(core: RaftCore, input: PendingRead['input'], ctx: string, done: Pending['done']): void {
    if (this.settings.bugs.staleReads && core.isLeader) return done({ status: 'ok', output: this.sm.get(input.key) });
    try {
      core.readIndex(ctx);
    } catch (err) {
      return done({ status: 'failed', reason: (err as Error).message });
    }
    this.reads.set(ctx, { input, done });
  }

  // ---- the Ready loop

  /** After every input: let the checker look, note role changes, and work off Readys. */
  private afterInput(): void {
    const core = this.core;
    this.env.invariants.observe(this);
    const role = `${core.role} t${core.term}`;
    if (role !== this.lastRole) {
      this.lastRole = role;
      this.env.trace.add(`${this.id} is ${role}${core.leader && !core.isLeader ? ` (leader ${core.leader})` : ''}`);
    }
    this.drain();
  }

  private drain(): void {
    while (this.running && !this.inFlight && this.running.hasReady()) {
      const core = this.running;
      const rd = core.ready();
      this.env.invariants.persisting(this, rd.entries);
      this.disk.write(rd);
      if (this.settings.bugs.ackBeforeFsync) this.send(rd.messages);
      if (!rd.mustSync) {
        this.complete(rd);
        continue;
      }
      this.inFlight = rd;
      const incarnation = this._incarnation;
      const [lo, hi] = this.settings.fsyncLatency;
      const { rate, max } = this.settings.slowFsync;
      this.env.scheduler.after(this.rng.chance(rate) ? this.rng.int(hi, max) : this.rng.int(lo, hi), () => {
        if (this._incarnation !== incarnation || this.inFlight !== rd) return;
        this.inFlight = undefined;
        this.complete(rd);
        this.drain();
      });
      return;
    }
  }

  /** The Ready's writes are done: make them durable, send, apply, advance. */
  private complete(rd: Ready): void {
    const core = this.core;
    if (!this.settings.bugs.ackBeforeFsync) {
      if (rd.mustSync) this.disk.sync();
      this.send(rd.messages);
    }
    for (const p of rd.placed) this.placed(p.ctx, p.index, p.refused);
    if (rd.snapshot) this.install(rd.snapshot);
    for (const e of rd.committed) this.apply(e);
    for (const r of rd.reads) {
      const read = this.reads.get(r.ctx);
      if (read) read.index = r.index;
    }
    this.serveReads();
    core.advance(rd);
    if (core.log.applied !== this.sm.applied) throw new Error(`${this.id}: core applied ${core.log.applied}, state machine ${this.sm.applied}`);
    this.env.invariants.observe(this);
    this.maybeSnapshot(core);
  }

  private send(messages: readonly Message[]): void {
    this.env.invariants.sending(this, messages);
    this.env.network.send(messages);
  }

  private install(snapshot: Snapshot): void {
    const { index } = snapshot;
    if (!this.bootstrap && this.sm.applied === 0) this.joinSnapshots++;
    this.sm.restore(index, snapshot.data);
    this.snapshotsInstalled++;
    this.snapshotFloor = index;
    this.env.trace.add(`${this.id} installs snapshot at ${index}/${snapshot.term}`);
    this.env.invariants.installed(this, snapshot, this.sm.describe());
    for (const [at, id] of this.placedAt) {
      if (at > index) continue;
      this.placedAt.delete(at);
      this.settleWrite(id, { status: 'unknown', reason: `a snapshot at ${index} covered its index ${at}` });
    }
  }

  private apply(e: Ready['committed'][number]): void {
    this.env.invariants.applied(this, e);
    const placed = this.placedAt.get(e.index);
    this.placedAt.delete(e.index);
    if (e.kind === 'data') {
      const cmd = decodeCommand(e.data);
      const output = this.sm.apply(e.index, cmd);
      this.settleWrite(cmd.id, { status: 'ok', output });
      if (placed !== undefined && placed !== cmd.id) this.settleWrite(placed, { status: 'failed', reason: `entry ${e.index} holds another command` });
    } else {
      this.sm.skip(e.index);
      if (placed !== undefined) this.settleWrite(placed, { status: 'failed', reason: `entry ${e.index} holds a ${e.kind} entry` });
    }
    if (this.env.invariants.hasStateAt(e.index)) this.env.invariants.stateAt(this, e.index, this.sm.describe());
  }

  /**
   * The leader placed (or refused) a forwarded write. A refusal answers one copy of the request: where
   * the network may duplicate it, another copy may have been placed (or may yet be), so the write then
   * waits on (until placed and applied, or timed out) rather than fail.
   */
  private placed(id: string, index: number, refused: string | undefined): void {
    if (!this.writes.has(id)) return;
    if (refused !== undefined) {
      const placedEarlier = [...this.placedAt.values()].includes(id);
      if (!placedEarlier && !this.settings.duplicates) this.settleWrite(id, { status: 'failed', reason: refused });
    } else if (index > this.sm.applied) this.placedAt.set(index, id);
    else if (index <= this.snapshotFloor) this.settleWrite(id, { status: 'unknown', reason: `placed at ${index}, which came in a snapshot` });
    else this.settleWrite(id, { status: 'failed', reason: `placed at ${index}, which was applied with another entry` });
  }

  private settleWrite(id: string, outcome: Outcome<KvOutput>): void {
    const w = this.writes.get(id);
    if (!w) return;
    this.writes.delete(id);
    w.done(outcome);
  }

  private serveReads(): void {
    for (const [ctx, r] of this.reads) {
      if (r.index === undefined || r.index > this.sm.applied) continue;
      this.reads.delete(ctx);
      r.done({ status: 'ok', output: this.sm.get(r.input.key) });
    }
  }

  private maybeSnapshot(core: RaftCore): void {
    const { log } = core;
    if (log.pendingSnapshot || log.applied - log.snapshotIndex < this.settings.snapshotEvery) return;
    const state = this.sm.describe();
    const snapshot = core.snapshotAt(log.applied, Buffer.from(state));
    this.env.invariants.stateAt(this, snapshot.index, state);
    this.disk.compact(snapshot);
    core.compact(snapshot);
  }

  /** Every request waiting here becomes indeterminate (the member lost track of it). */
  private abandonAll(reason: string): void {
    const waiting = [...this.writes.values(), ...this.reads.values()];
    this.writes = new Map();
    this.reads = new Map();
    this.placedAt = new Map();
    for (const w of waiting) w.done({ status: 'unknown', reason });
  }

  private scheduleTick(delay: number): void {
    const incarnation = this._incarnation;
    this.env.scheduler.after(delay, () => {
      if (this._incarnation !== incarnation || !this.running) return;
      this.running.tick();
      this.afterInput();
      this.scheduleTick(this.settings.tickPeriod);
    });
  }

  /** With the ackBeforeFsync bug, the only fsync: a background flush now and then. */
  private scheduleLazyFlush(): void {
    const incarnation = this._incarnation;
    this.env.scheduler.after(this.settings.tickPeriod * 5, () => {
      if (this._incarnation !== incarnation || !this.running) return;
      this.disk.sync();
      this.scheduleLazyFlush();
    });
  }
}

/** A short description of a Raft message, for traces. */
export function describeMessage(m: Message): string {
  switch (m.type) {
    case 'append':
      return `append t${m.term} prev ${m.prevLogIndex}/${m.prevLogTerm} +${m.entries.length} commit ${m.commit}`;
    case 'append-response':
      return `append-response t${m.term} ${m.success ? 'ok' : 'reject'} ${m.index} (last ${m.lastIndex})`;
    case 'prevote':
    case 'vote':
      return `${m.type} t${m.term} last ${m.lastLogIndex}/${m.lastLogTerm}${m.transfer ? ' transfer' : ''}`;
    case 'prevote-response':
    case 'vote-response':
      return `${m.type} t${m.term} ${m.granted ? 'granted' : 'refused'}`;
    case 'heartbeat':
      return `heartbeat t${m.term} commit ${m.commit} read ${m.read}`;
    case 'heartbeat-response':
      return `heartbeat-response t${m.term} read ${m.read}`;
    case 'snapshot':
      return `snapshot t${m.term} at ${m.snapshot.index}/${m.snapshot.term}`;
    case 'timeout-now':
      return `timeout-now t${m.term}`;
    case 'read-index':
      return `read-index t${m.term} ${m.ctx}`;
    case 'read-index-response':
      return `read-index-response t${m.term} ${m.ctx} at ${m.index}`;
    case 'propose':
      return `propose t${m.term} ${m.ctx}`;
    case 'propose-response':
      return `propose-response t${m.term} ${m.ctx} ${m.refused ? `refused: ${m.refused}` : `at ${m.index}`}`;
  }
}

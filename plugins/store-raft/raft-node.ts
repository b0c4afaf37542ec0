import path from 'node:path';
import type { Logger } from 'pino';
import type { LogStatus, ReplicatedLog, StateMachine } from '../../core/store/replicated-log';
import type { Message } from './messages';
import { ProposalQueue } from './proposals';
import { RaftCore } from './raft-core';
import { RaftStorage } from './raft-storage';
import type { Ready } from './ready';
import type { Member } from './types';
import { noTransport, type MessageReceiver, type Transport } from './transport';

/** Settings of a RaftNode. */
export interface RaftNodeOptions {
  /** This member's id. */
  readonly id: string;
  /** The node's data directory; Raft keeps its WAL and snapshots under `<dataDir>/raft`. */
  readonly dataDir: string;
  /** Founding members when this member starts a new group (see RaftConfig.bootstrap); ignored once the log has entries. */
  readonly bootstrap?: readonly Member[];
  /** How messages reach other members (default: none, for a lone member). */
  readonly transport?: Transport;
  /** Milliseconds per tick (default 100). */
  readonly tickMs?: number;
  /** Ticks before a follower without a leader campaigns, randomized up to twice that (default 10). */
  readonly electionTicks?: number;
  /** Ticks between leader heartbeats (default 1). */
  readonly heartbeatTicks?: number;
  /** Applied entries between snapshots; each snapshot compacts the WAL (default 10,000). */
  readonly snapshotEvery?: number;
  /** Randomness for election timeouts (default Math.random). */
  readonly random?: () => number;
  readonly log?: Logger;
}

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
 * together in the next batch (group commit). A lone member elects itself as soon as it starts.
 */
export class RaftNode implements ReplicatedLog, MessageReceiver {
  private running?: Running;
  private readonly proposals = new ProposalQueue();
  /** The Ready loop, while it runs. */
  private loop?: Promise<void>;
  private timer?: NodeJS.Timeout;
  private failure?: Error;
  private stopped = false;
  private knownLeader?: string;
  private readonly transport: Transport;

  constructor(private readonly options: RaftNodeOptions) {
    this.transport = options.transport ?? noTransport;
  }

  /** Recovers snapshot and WAL into `sm`, replays committed entries, then joins consensus. */
  async start(sm: StateMachine): Promise<void> {
    if (this.running || this.stopped) throw new Error('raft node was already started');
    const { id, dataDir, log } = this.options;
    const { storage, recovered } = await RaftStorage.open(path.join(dataDir, 'raft'));
    if (recovered.truncatedTail) log?.warn(recovered.truncatedTail, 'cut off a torn last WAL record (an interrupted write)');
    if (recovered.snapshot) sm.restore(recovered.snapshot.index, recovered.snapshot.data);
    const core = new RaftCore(
      {
        id,
        bootstrap: this.options.bootstrap,
        electionTicks: this.options.electionTicks ?? 10,
        heartbeatTicks: this.options.heartbeatTicks ?? 1,
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
    this.timer = setInterval(() => this.poke((c) => c.tick()), this.options.tickMs ?? 100);
    this.timer.unref();
    log?.info({ member: id, members: core.members, term: core.term, applied: core.log.applied }, 'raft member started');
  }

  propose(data: Uint8Array): Promise<unknown> {
    const refusal = this.refusal();
    if (refusal) return Promise.reject(refusal);
    const result = this.proposals.add(data);
    this.schedule();
    return result;
  }

  /** Takes a message from another member (called by the transport). */
  receive(message: Message): void {
    this.poke((c) => c.step(message));
  }

  status(): LogStatus {
    const core = this.running?.core;
    return {
      memberId: this.options.id,
      term: core?.term ?? 0,
      leaderId: core?.leader,
      isLeader: core?.isLeader ?? false,
      commitIndex: core?.log.committed ?? 0,
      appliedIndex: core?.log.applied ?? 0,
      members: core?.members.map((m) => m.id) ?? [],
    };
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.timer);
    await this.loop;
    this.proposals.rejectAll(new Error('raft node stopped'));
    await this.running?.storage.close();
  }

  private refusal(): Error | undefined {
    if (this.failure) return new Error(`raft node failed: ${this.failure.message}`);
    if (!this.running || this.stopped) return new Error('raft node is not running');
    if (!this.running.core.isLeader) return this.notLeader(this.running.core);
    return undefined;
  }

  private notLeader(core: RaftCore): Error {
    return new Error(`member ${core.id} is not the leader${core.leader ? ` (the leader is ${core.leader})` : ''}`);
  }

  /** Runs `fn` on the core if the node is up, then works off whatever it produced. */
  private poke(fn: (core: RaftCore) => void): void {
    if (!this.running || this.stopped || this.failure) return;
    fn(this.running.core);
    this.noteLeadership(this.running.core);
    if (this.running.core.hasReady()) this.schedule();
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
        if (this.proposals.hasQueued) {
          if (core.isLeader) this.proposals.place(core.term, (batch) => core.propose(batch));
          else this.proposals.rejectAll(this.notLeader(core));
        }
        if (!core.hasReady()) break;
        const rd = core.ready();
        await storage.persist(rd);
        this.transport.send(rd.messages);
        this.apply(rd, sm);
        core.advance(rd);
        this.noteLeadership(core);
        await this.maybeSnapshot();
      }
    } catch (err) {
      this.fail(err as Error);
    } finally {
      this.loop = undefined;
    }
  }

  private apply(rd: Ready, sm: StateMachine): void {
    if (rd.snapshot) sm.restore(rd.snapshot.index, rd.snapshot.data);
    for (const e of rd.committed) {
      const result = e.kind === 'data' ? sm.apply(e.index, e.data) : undefined;
      this.proposals.settle(e, result);
    }
  }

  /** Snapshots the state machine every `snapshotEvery` applied entries and compacts the log. */
  private async maybeSnapshot(): Promise<void> {
    const { core, storage, sm } = this.running!;
    const index = core.log.applied;
    if (index - core.log.snapshotIndex < (this.options.snapshotEvery ?? 10_000)) return;
    const snapshot = core.snapshotAt(index, sm.snapshot());
    const tail = core.log.stableIndex > index ? core.log.slice(index + 1, core.log.stableIndex) : [];
    await storage.saveSnapshot(snapshot, tail);
    core.compact(snapshot);
    this.options.log?.info({ index, term: snapshot.term }, 'raft snapshot saved, WAL compacted');
  }

  /** Rejects proposals once leadership is gone, and logs leader changes. */
  private noteLeadership(core: RaftCore): void {
    if (!core.isLeader) this.proposals.rejectAll(this.notLeader(core));
    if (core.leader !== this.knownLeader) {
      this.knownLeader = core.leader;
      this.options.log?.info({ leader: core.leader, term: core.term }, 'raft leader changed');
    }
  }

  /** A write failed: this member can no longer vouch for its log, so it stops taking part. */
  private fail(err: Error): void {
    this.failure = err;
    clearInterval(this.timer);
    this.proposals.rejectAll(new Error(`raft node failed: ${err.message}`));
    this.options.log?.error({ err }, 'raft node failed; it no longer takes part in consensus');
  }
}

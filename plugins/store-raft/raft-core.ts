import { applyChange, encodeMembers, MembershipBusy, type ConfigChange } from './membership';
import type { AppendRequest, AppendResponse, Message, MessageBody, ProposeRequest, SnapshotRequest, VoteRequest } from './messages';
import { PendingReads } from './pending-reads';
import { Progress } from './progress';
import { quorumIndex, quorumSize, tallyVotes, type VoteResult } from './quorum';
import { RaftLog } from './raft-log';
import { sameHardState, type Placement, type Ready, type ReadState } from './ready';
import { INITIAL_HARD_STATE, type Entry, type EntryKind, type HardState, type Member, type Snapshot } from './types';

/** A member's part in the current term; a `pre-candidate` is polling before it bumps the term. */
export type Role = 'follower' | 'pre-candidate' | 'candidate' | 'leader';

/** Static settings of one Raft member. */
export interface RaftConfig {
  /** This member's id. */
  readonly id: string;
  /**
   * Members of a new group. When the log is empty, this list becomes its first entry (term 1, index 1,
   * committed); give every founding member the same list. A member joining an existing group starts
   * without one and learns the member list from its leader.
   */
  readonly bootstrap?: readonly Member[];
  /**
   * Ticks without hearing from a leader before campaigning; each wait is drawn from
   * [electionTicks, 2·electionTicks). Also the leader's check-quorum period and a leader's lease.
   */
  readonly electionTicks: number;
  /** Ticks between a leader's heartbeats; less than `electionTicks`. */
  readonly heartbeatTicks: number;
  /** Source of randomness in [0, 1); seed it to make elections replayable. */
  readonly random: () => number;
  /** Run a pre-vote before bumping the term, so a partitioned member cannot disrupt (default true). */
  readonly preVote?: boolean;
  /** A leader that has not heard from a quorum for `electionTicks` steps down (default true). */
  readonly checkQuorum?: boolean;
  /** Most entries in one append message (default 64). */
  readonly maxEntriesPerAppend?: number;
  /**
   * Most bytes of entry data in one append message, past its first entry (default 1 MiB): a few big
   * batched writes must not make a message so big that a follower takes long to take it.
   */
  readonly maxBytesPerAppend?: number;
  /** Most appends in flight to one follower while replicating (default 256). */
  readonly maxInflight?: number;
  /**
   * Most bytes of entries in flight to one follower while replicating (default 4 MiB; one append may go
   * past it): bounds what is queued towards a member, which its heartbeats would wait behind.
   */
  readonly maxInflightBytes?: number;
}

/** What a member recovered from disk. */
export interface PersistedState {
  readonly hardState: HardState;
  readonly snapshot?: Snapshot;
  /** Entries after the snapshot, contiguous. */
  readonly entries: readonly Entry[];
}

const EMPTY = new Uint8Array(0);
/** Forwarded batches a leader remembers per term, so that a duplicated request is not appended twice. */
const REMEMBERED_FORWARDS = 4096;
/** What a leader may send while it applies a Ready (see takeUrgent). */
const LEADER_URGENT: ReadonlySet<Message['type']> = new Set(['append', 'heartbeat', 'snapshot', 'read-index-response']);

/**
 * A pure Raft state machine: no I/O, no timers, no clock. Feed it `tick()`, `step(message)`,
 * `propose(batch)`, `forward`, `readIndex`, `changeMembers` and `transferLeadership`; collect the work
 * that results with `ready()`, do it, then `advance()`.
 * Implements leader election (with pre-vote and check-quorum), pipelined log replication with conflict
 * truncation, commit by quorum of current-term entries, InstallSnapshot for compacted logs, membership
 * changes one member at a time, leader transfer, ReadIndex reads and proposal forwarding.
 * The leader counts its own log towards a quorum only once `advance()` reports it persisted.
 */
export class RaftCore {
  readonly log: RaftLog;
  private currentTerm: number;
  private votedFor?: string;
  private leaderId?: string;
  private currentRole: Role = 'follower';
  /** Latest snapshot, sent to followers whose entries were compacted away. */
  private snapshot?: Snapshot;
  /** Per member, while leader. */
  private readonly progress = new Map<string, Progress>();
  /** Votes received in the current (pre-)election. */
  private readonly votes = new Map<string, boolean>();
  private electionElapsed = 0;
  private heartbeatElapsed = 0;
  private electionTimeout = 0;
  private outbox: Message[] = [];
  private readonly pendingReads = new PendingReads();
  /** Confirmed reads of this member's own, for the next Ready. */
  private readStates: ReadState[] = [];
  /** Outcomes of proposals this member forwarded, for the next Ready. */
  private placements: Placement[] = [];
  /** While leader: where forwarded batches went this term, by sender and ctx (the newest REMEMBERED_FORWARDS). */
  private readonly forwardedAt = new Map<string, number>();
  /** While leader: the member leadership is being handed to, and ticks spent on it. */
  private transferee?: string;
  private transferElapsed = 0;
  /** Hard state as of the last Ready handed out. */
  private lastHardState: HardState;
  private inFlight?: Ready;
  private readonly preVote: boolean;
  private readonly checkQuorum: boolean;
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  private readonly maxInflight: number;
  private readonly maxInflightBytes: number;

  constructor(
    private config: RaftConfig,
    persisted: PersistedState = { hardState: INITIAL_HARD_STATE, entries: [] },
  ) {
    if (config.bootstrap && (config.bootstrap.length === 0 || new Set(config.bootstrap.map((m) => m.id)).size !== config.bootstrap.length)) {
      throw new Error(`raft bootstrap members must be a non-empty list of distinct ids, got [${config.bootstrap.map((m) => m.id).join(', ')}]`);
    }
    if (!(config.heartbeatTicks >= 1 && config.electionTicks > config.heartbeatTicks)) {
      throw new Error('raft needs heartbeatTicks >= 1 and electionTicks > heartbeatTicks');
    }
    this.preVote = config.preVote ?? true;
    this.checkQuorum = config.checkQuorum ?? true;
    this.maxEntries = config.maxEntriesPerAppend ?? 64;
    this.maxBytes = config.maxBytesPerAppend ?? 1024 * 1024;
    this.maxInflight = config.maxInflight ?? 256;
    this.maxInflightBytes = config.maxInflightBytes ?? 4 * 1024 * 1024;
    this.log = new RaftLog(persisted.snapshot, persisted.entries, persisted.hardState.commit);
    this.snapshot = persisted.snapshot;
    this.currentTerm = persisted.hardState.term;
    this.votedFor = persisted.hardState.vote;
    this.lastHardState = this.hardState();
    const isNew = this.log.lastIndex === 0 && this.currentTerm === 0;
    if (isNew && config.bootstrap) {
      this.currentTerm = 1;
      this.log.append([{ index: 1, term: 1, kind: 'config', data: encodeMembers(config.bootstrap) }]);
      this.log.commitTo(1);
    }
    this.resetElectionTimeout();
  }

  get id(): string {
    return this.config.id;
  }
  /** The member list in force (the newest in the log, committed or not). */
  get members(): readonly Member[] {
    return this.log.members;
  }
  /** The member leadership is being handed to, while a transfer is under way. */
  get transferringTo(): string | undefined {
    return this.transferee;
  }
  get term(): number {
    return this.currentTerm;
  }
  get role(): Role {
    return this.currentRole;
  }
  get leader(): string | undefined {
    return this.leaderId;
  }
  get isLeader(): boolean {
    return this.currentRole === 'leader';
  }

  /** Term, vote and commit as they stand now (persisted or not). */
  hardState(): HardState {
    return { term: this.currentTerm, vote: this.votedFor, commit: this.log.committed };
  }

  /** Advances logical time by one tick: may start an election, send heartbeats or step down. */
  tick(): void {
    this.electionElapsed++;
    if (this.currentRole !== 'leader') {
      if (this.isMember && this.electionElapsed >= this.electionTimeout) {
        this.electionElapsed = 0;
        this.campaign();
      }
      return;
    }
    this.heartbeatElapsed++;
    if (this.transferee !== undefined && ++this.transferElapsed >= this.config.electionTicks) this.transferee = undefined;
    if (this.electionElapsed >= this.config.electionTicks) {
      this.electionElapsed = 0;
      if (!this.closeActivityRound() && this.checkQuorum) {
        this.becomeFollower(this.currentTerm, undefined);
        return;
      }
    }
    if (this.heartbeatElapsed >= this.config.heartbeatTicks) {
      this.heartbeatElapsed = 0;
      this.broadcastHeartbeat();
    }
  }

  /** Starts an election now (a pre-vote first, when enabled). A lone member wins at once. */
  campaign(): void {
    if (this.currentRole === 'leader' || !this.isMember) return;
    this.startElection(this.preVote ? 'prevote' : 'vote');
  }

  /**
   * Appends proposals to the leader's log and starts replicating them.
   * @returns the index of the first one (the rest follow in order), all in the current term
   * @throws Error if this member is not the leader
   */
  propose(batch: readonly Uint8Array[]): number {
    const refusal = this.proposalRefusal();
    if (refusal) throw new Error(refusal);
    const first = this.appendEntries(batch.map((data) => ({ kind: 'data', data })));
    this.broadcastAppend();
    return first;
  }

  /**
   * On a follower: sends proposals to the leader, which appends them; where they landed comes back as a
   * Placement with the same `ctx` in a later Ready (or never, if a message is lost: time out).
   * @throws Error if no leader is known
   */
  forward(ctx: string, batch: readonly Uint8Array[]): void {
    if (this.leaderId === undefined || this.leaderId === this.id) throw new Error(`member ${this.id} knows no leader to forward to`);
    this.send({ type: 'propose', to: this.leaderId, ctx, data: batch });
  }

  /**
   * Asks for a linearizable read. Once confirmed, a ReadState with `ctx` comes out of a later Ready: serve
   * the read from state that has applied its index. A read on a follower goes through the leader.
   * Reads are dropped if leadership changes before they are confirmed: time out and retry.
   * @throws Error if no leader is known
   */
  readIndex(ctx: string): void {
    if (this.currentRole === 'leader') this.leaderRead(ctx, this.id);
    else if (this.leaderId !== undefined) this.send({ type: 'read-index', to: this.leaderId, ctx });
    else throw new Error(`member ${this.id} knows no leader to confirm a read`);
  }

  /**
   * Adds, re-addresses or removes one member (leader only). The change is in force as soon as it is in
   * the log; the next may follow once it commits. A leader that removes itself steps down once the change
   * commits, handing leadership to an up-to-date member.
   * @returns the index of the config entry
   * @throws Error if this member is not the leader, a change is still uncommitted, the leader has not yet
   *   committed an entry of its term, a transfer is under way, or the change would leave no members
   */
  changeMembers(change: ConfigChange): number {
    const refusal = this.proposalRefusal();
    if (refusal) throw new Error(refusal);
    if (this.log.membersIndex > this.log.committed) throw new MembershipBusy('a membership change is still in progress; try again once it commits');
    if (this.log.term(this.log.committed) !== this.currentTerm) throw new MembershipBusy('the leader has not committed an entry of its term yet; try again shortly');
    const members = applyChange(this.log.members, change);
    if (members.length === 0) throw new Error('refusing to remove the last member');
    const index = this.appendEntries([{ kind: 'config', data: encodeMembers(members) }]);
    this.broadcastAppend();
    return index;
  }

  /**
   * Hands leadership to `to` (leader only): stops taking proposals, brings `to` up to date, then tells it
   * to campaign at once. Abandoned if it has not happened within an election timeout.
   * @throws Error if this member is not the leader or `to` is not another member
   */
  transferLeadership(to: string): void {
    if (this.currentRole !== 'leader') throw new Error(this.notLeaderMessage());
    if (to === this.id) return;
    if (!this.isVoter(to)) throw new Error(`${to} is not a member of the Raft group`);
    this.transferee = to;
    this.transferElapsed = 0;
    if (this.progress.get(to)!.match === this.log.lastIndex) this.send({ type: 'timeout-now', to });
    else this.sendAppend(to);
  }

  /**
   * Changes the election and heartbeat periods (in ticks) from now on; the current election wait is
   * redrawn from the new range.
   * @throws Error unless heartbeatTicks >= 1 and electionTicks > heartbeatTicks
   */
  setTiming(electionTicks: number, heartbeatTicks: number): void {
    if (!(heartbeatTicks >= 1 && electionTicks > heartbeatTicks)) throw new Error('raft needs heartbeatTicks >= 1 and electionTicks > heartbeatTicks');
    this.config = { ...this.config, electionTicks, heartbeatTicks };
    this.resetElectionTimeout();
  }

  /** Builds a snapshot of the state machine's `data` at applied index `index`, for `compact`. */
  snapshotAt(index: number, data: Uint8Array): Snapshot {
    const term = this.log.term(index);
    if (term === undefined || index > this.log.applied) throw new Error(`cannot snapshot at ${index}: not applied or already compacted`);
    return { index, term, members: this.log.membersAt(index), data };
  }

  /** Handles a message from another member. Messages addressed elsewhere are ignored. */
  step(m: Message): void {
    if (m.to !== this.id) return;
    if (m.term > this.currentTerm && !this.acceptHigherTerm(m)) return;
    if (m.term < this.currentTerm) {
      this.answerStale(m);
      return;
    }
    if (m.type === 'prevote' || m.type === 'vote') this.handleVoteRequest(m);
    else if (m.type === 'propose') this.handleForwarded(m);
    else if (m.type === 'read-index') {
      if (this.currentRole === 'leader') this.leaderRead(m.ctx, m.from);
    } else if (m.type === 'propose-response') this.placements.push({ ctx: m.ctx, index: m.index, term: m.term, refused: m.refused });
    else if (m.type === 'read-index-response') this.readStates.push({ ctx: m.ctx, index: m.index });
    else if (this.currentRole === 'leader') this.stepLeader(m);
    else if (this.currentRole === 'follower') this.stepFollower(m);
    else this.stepCandidate(m);
  }

  /** True when `ready()` has work to hand out. */
  hasReady(): boolean {
    return (
      this.outbox.length > 0 ||
      this.readStates.length > 0 ||
      this.placements.length > 0 ||
      this.log.hasUnstableEntries ||
      this.log.pendingSnapshot !== undefined ||
      this.log.hasCommittedToApply ||
      !sameHardState(this.hardState(), this.lastHardState)
    );
  }

  /**
   * Hands out the pending work (see Ready). Call `advance` with it before calling `ready` again;
   * `tick`, `step` and `propose` may be called in between.
   */
  ready(): Ready {
    if (this.inFlight) throw new Error('ready() called again before advance()');
    const hs = this.hardState();
    const entries = this.log.unstableEntries();
    const snapshot = this.log.pendingSnapshot;
    const rd: Ready = {
      hardState: sameHardState(hs, this.lastHardState) ? undefined : hs,
      entries,
      snapshot,
      committed: this.log.committedToApply(),
      messages: this.outbox,
      reads: this.readStates,
      placed: this.placements,
      mustSync:
        entries.length > 0 || snapshot !== undefined || hs.term !== this.lastHardState.term || hs.vote !== this.lastHardState.vote,
    };
    this.outbox = [];
    this.readStates = [];
    this.placements = [];
    this.inFlight = rd;
    return rd;
  }

  /**
   * Takes out of the pending work what may go before the Ready in flight is fully applied, so that a long
   * apply holds up neither replication nor confirmations of leadership (the lease): as leader, its
   * replication messages of this term (they may go before its own write is durable, as with any Ready)
   * and its answers to read requests; on any member, heartbeat answers once its term is durable; and the
   * reads confirmed. `persisted` says whether the Ready in flight (if any) was persisted yet.
   */
  takeUrgent(persisted: boolean): { readonly messages: Message[]; readonly reads: ReadState[] } {
    const durableTerm = ((persisted && this.inFlight?.hardState) || this.lastHardState).term;
    const urgent = (m: Message) =>
      m.term === this.currentTerm &&
      (this.currentRole === 'leader' ? LEADER_URGENT.has(m.type) : m.type === 'heartbeat-response' && durableTerm === this.currentTerm);
    const messages = this.outbox.filter(urgent);
    if (messages.length > 0) this.outbox = this.outbox.filter((m) => !urgent(m));
    const reads = this.readStates;
    this.readStates = [];
    return { messages, reads };
  }

  /** Reports that the work of `rd` is done: entries persisted, committed entries applied. */
  advance(rd: Ready): void {
    if (this.inFlight !== rd) throw new Error('advance() must be given the Ready last handed out');
    this.inFlight = undefined;
    if (rd.hardState) this.lastHardState = rd.hardState;
    if (rd.snapshot) this.log.snapshotInstalled(rd.snapshot.index);
    const lastEntry = rd.entries.at(-1);
    if (lastEntry) this.log.stableTo(lastEntry.index, lastEntry.term);
    const lastApplied = rd.committed.at(-1);
    if (lastApplied) this.log.appliedTo(lastApplied.index);
    const own = this.progress.get(this.id);
    if (this.currentRole !== 'leader') return;
    if (own?.maybeUpdate(this.log.stableIndex) && this.maybeCommit()) this.broadcastAppend();
    // Followers learn of a commit only once this leader applied it (see advertisedCommit): tell them now.
    else if (lastApplied && this.peers.length > 0) this.broadcastHeartbeat();
  }

  /**
   * The commit index this leader tells followers: only as far as it has applied itself. A follower
   * acknowledges a write once it applied it, so every write acknowledged anywhere is in the leader's state,
   * and a leader holding a read lease serves reads from that state at once.
   */
  private get advertisedCommit(): number {
    return Math.min(this.log.committed, this.log.applied);
  }

  /** Replaces applied entries up to `snapshot.index` with `snapshot` (see `snapshotAt`). */
  compact(snapshot: Snapshot): void {
    if (this.log.term(snapshot.index) !== snapshot.term) {
      throw new Error(`snapshot ${snapshot.term}/${snapshot.index} does not match the log`);
    }
    this.log.compact(snapshot.index);
    this.snapshot = snapshot;
  }

  private get isMember(): boolean {
    return this.isVoter(this.id);
  }

  private isVoter(id: string): boolean {
    return this.log.members.some((m) => m.id === id);
  }

  private get voterIds(): string[] {
    return this.log.members.map((m) => m.id);
  }

  /** Members this leader replicates to: every member but itself. */
  private get peers(): string[] {
    return this.voterIds.filter((id) => id !== this.id);
  }

  private hasQuorum(acks: ReadonlySet<string>): boolean {
    const voters = this.voterIds;
    return voters.filter((id) => acks.has(id)).length >= quorumSize(voters.length);
  }

  private notLeaderMessage(): string {
    return `member ${this.id} is not the leader${this.leaderId ? ` (the leader is ${this.leaderId})` : ''}`;
  }

  /** Why a proposal cannot be appended now, if it cannot. */
  private proposalRefusal(): string | undefined {
    if (this.currentRole !== 'leader') return this.notLeaderMessage();
    if (this.transferee !== undefined) return `leadership is being handed to ${this.transferee}; try again shortly`;
    return undefined;
  }

  private send(body: MessageBody, term = this.currentTerm): void {
    this.outbox.push({ ...body, from: this.id, term } as Message);
  }

  // ---- roles

  private reset(term: number): void {
    if (term !== this.currentTerm) {
      this.currentTerm = term;
      this.votedFor = undefined;
    }
    this.leaderId = undefined;
    this.electionElapsed = 0;
    this.heartbeatElapsed = 0;
    this.resetElectionTimeout();
    this.votes.clear();
    this.progress.clear();
    this.pendingReads.clear();
    this.forwardedAt.clear();
    this.transferee = undefined;
  }

  private resetElectionTimeout(): void {
    this.electionTimeout = this.config.electionTicks + Math.floor(this.config.random() * this.config.electionTicks);
  }

  private becomeFollower(term: number, leader: string | undefined): void {
    this.reset(term);
    this.currentRole = 'follower';
    this.leaderId = leader;
  }

  private becomeLeader(): void {
    this.reset(this.currentTerm);
    this.currentRole = 'leader';
    this.leaderId = this.id;
    this.syncProgress();
    this.progress.get(this.id)?.maybeUpdate(this.log.stableIndex);
    this.appendEntries([{ kind: 'noop', data: EMPTY }]);
    this.broadcastAppend();
  }

  /** Keeps one Progress per member of the newest member list (the leader's own only if it is one). */
  private syncProgress(): void {
    const ids = new Set(this.voterIds);
    for (const id of this.progress.keys()) if (!ids.has(id)) this.progress.delete(id);
    for (const id of ids) {
      if (this.progress.has(id)) continue;
      const pr = new Progress(this.log.lastIndex + 1, this.maxInflight, this.maxInflightBytes);
      // A member just added gets a round's grace before check-quorum counts its silence.
      pr.recentActive = true;
      this.progress.set(id, pr);
    }
  }

  private startElection(kind: 'prevote' | 'vote', transfer = false): void {
    if (kind === 'prevote') {
      this.currentRole = 'pre-candidate';
      this.leaderId = undefined;
      this.votes.clear();
    } else {
      this.reset(this.currentTerm + 1);
      this.currentRole = 'candidate';
      this.votedFor = this.id;
    }
    if (this.countVote(this.id, true) !== 'pending') return;
    const term = kind === 'prevote' ? this.currentTerm + 1 : this.currentTerm;
    for (const to of this.peers) {
      this.send({ type: kind, to, lastLogIndex: this.log.lastIndex, lastLogTerm: this.log.lastTerm, ...(transfer ? { transfer } : {}) }, term);
    }
  }

  /** Records a vote and acts on the outcome: the next election phase, leadership, or back to follower. */
  private countVote(from: string, granted: boolean): VoteResult {
    if (!this.votes.has(from)) this.votes.set(from, granted);
    const result = tallyVotes(this.voterIds, this.votes);
    if (result === 'won') {
      if (this.currentRole === 'pre-candidate') this.startElection('vote');
      else this.becomeLeader();
    } else if (result === 'lost') {
      this.becomeFollower(this.currentTerm, undefined);
    }
    return result;
  }

  // ---- message handling

  /** Takes on a higher term where the message warrants it; false means ignore the message. */
  private acceptHigherTerm(m: Message): boolean {
    if (m.type === 'prevote' || m.type === 'vote') {
      // While a leader is known and recently heard from, votes are ignored (its lease), unless that
      // leader handed over leadership.
      const inLease = this.checkQuorum && !m.transfer && this.leaderId !== undefined && this.electionElapsed < this.config.electionTicks;
      if (inLease) return false;
    }
    // Pre-votes and granted pre-vote answers carry a term nobody is in yet: they change no state.
    if (m.type === 'prevote' || (m.type === 'prevote-response' && m.granted)) return true;
    const fromLeader = m.type === 'append' || m.type === 'heartbeat' || m.type === 'snapshot';
    this.becomeFollower(m.term, fromLeader ? m.from : undefined);
    return true;
  }

  /** Answers a message from an older term so that its sender learns the current term. */
  private answerStale(m: Message): void {
    if ((this.checkQuorum || this.preVote) && (m.type === 'append' || m.type === 'heartbeat')) {
      this.send({ type: 'append-response', to: m.from, success: false, index: 0, lastIndex: this.log.lastIndex });
    } else if (m.type === 'prevote') {
      this.send({ type: 'prevote-response', to: m.from, granted: false });
    } else if (m.type === 'propose') {
      this.send({ type: 'propose-response', to: m.from, ctx: m.ctx, index: 0, refused: `forwarded in stale term ${m.term}` });
    }
  }

  private handleVoteRequest(m: VoteRequest): void {
    const canVote =
      this.votedFor === m.from ||
      (this.votedFor === undefined && this.leaderId === undefined) ||
      (m.type === 'prevote' && m.term > this.currentTerm);
    const granted = canVote && this.log.isUpToDate(m.lastLogIndex, m.lastLogTerm);
    const type = m.type === 'vote' ? 'vote-response' : 'prevote-response';
    this.send({ type, to: m.from, granted }, granted ? m.term : this.currentTerm);
    if (granted && m.type === 'vote') {
      this.electionElapsed = 0;
      this.votedFor = m.from;
    }
  }

  private stepCandidate(m: Message): void {
    switch (m.type) {
      case 'append':
      case 'heartbeat':
      case 'snapshot':
        this.becomeFollower(this.currentTerm, m.from);
        this.stepFollower(m);
        return;
      case 'prevote-response':
        if (this.currentRole === 'pre-candidate') this.countVote(m.from, m.granted);
        return;
      case 'vote-response':
        if (this.currentRole === 'candidate') this.countVote(m.from, m.granted);
        return;
    }
  }

  private stepFollower(m: Message): void {
    if (m.type === 'timeout-now') {
      if (this.isMember) this.startElection('vote', true);
      return;
    }
    if (m.type !== 'append' && m.type !== 'heartbeat' && m.type !== 'snapshot') return;
    this.electionElapsed = 0;
    this.leaderId = m.from;
    if (m.type === 'append') this.handleAppend(m);
    else if (m.type === 'snapshot') this.handleSnapshot(m);
    else {
      this.log.commitTo(Math.min(m.commit, this.log.lastIndex));
      this.send({ type: 'heartbeat-response', to: m.from, read: m.read });
    }
  }

  /**
   * The leader's side of a forwarded proposal: append it, or say why not. A request delivered again
   * (a duplicate) gets the first placement again rather than being appended twice.
   */
  private handleForwarded(m: ProposeRequest): void {
    const key = `${m.from}\n${m.ctx}`;
    const placed = this.forwardedAt.get(key);
    if (placed !== undefined) {
      this.send({ type: 'propose-response', to: m.from, ctx: m.ctx, index: placed });
      return;
    }
    const refused = this.proposalRefusal();
    if (refused) {
      this.send({ type: 'propose-response', to: m.from, ctx: m.ctx, index: 0, refused });
      return;
    }
    const index = this.appendEntries(m.data.map((data) => ({ kind: 'data', data })));
    this.broadcastAppend();
    this.send({ type: 'propose-response', to: m.from, ctx: m.ctx, index });
    this.forwardedAt.set(key, index);
    if (this.forwardedAt.size > REMEMBERED_FORWARDS) this.forwardedAt.delete(this.forwardedAt.keys().next().value!);
  }

  /** Fixes a read at the commit index and confirms leadership for it with a heartbeat round. */
  private leaderRead(ctx: string, from: string): void {
    if (this.log.term(this.log.committed) !== this.currentTerm) {
      this.pendingReads.defer(ctx, from);
      return;
    }
    this.pendingReads.open(ctx, from, this.log.committed, this.id);
    this.releaseReads(this.pendingReads.release((acks) => this.hasQuorum(acks)));
    if (this.peers.length > 0) this.broadcastHeartbeat();
  }

  private releaseReads(reads: readonly { ctx: string; from: string; index: number }[]): void {
    for (const r of reads) {
      if (r.from === this.id) this.readStates.push({ ctx: r.ctx, index: r.index });
      else this.send({ type: 'read-index-response', to: r.from, ctx: r.ctx, index: r.index });
    }
  }

  private handleAppend(m: AppendRequest): void {
    if (m.prevLogIndex < this.log.committed) {
      this.replyAppend(m.from, true, this.log.committed);
      return;
    }
    const last = this.log.maybeAppend(m.prevLogIndex, m.prevLogTerm, m.commit, m.entries);
    if (last === undefined) this.replyAppend(m.from, false, m.prevLogIndex);
    else this.replyAppend(m.from, true, last);
  }

  private handleSnapshot(m: SnapshotRequest): void {
    const s = m.snapshot;
    if (s.index > this.log.committed) {
      if (this.log.matchTerm(s.index, s.term)) {
        this.log.commitTo(s.index);
      } else {
        this.log.restore(s);
        this.snapshot = s;
      }
    }
    this.replyAppend(m.from, true, this.log.committed);
  }

  private replyAppend(to: string, success: boolean, index: number): void {
    this.send({ type: 'append-response', to, success, index, lastIndex: this.log.lastIndex });
  }

  private stepLeader(m: Message): void {
    const pr = this.progress.get(m.from);
    if (!pr) return;
    if (m.type === 'append-response') {
      pr.recentActive = true;
      this.handleAppendResponse(m, pr);
    } else if (m.type === 'heartbeat-response') {
      pr.recentActive = true;
      pr.resume();
      if (pr.match < this.log.lastIndex) this.sendAppend(m.from);
      this.releaseReads(this.pendingReads.ack(m.from, m.read, (acks) => this.hasQuorum(acks)));
    }
  }

  private handleAppendResponse(m: AppendResponse, pr: Progress): void {
    if (!m.success) {
      if (pr.maybeDecrease(m.index, m.lastIndex)) this.sendAppend(m.from);
      return;
    }
    if (!pr.maybeUpdate(m.index)) return;
    if (pr.state === 'probe' || (pr.state === 'snapshot' && pr.match >= pr.pendingSnapshot)) pr.becomeReplicate();
    if (this.maybeCommit()) this.broadcastAppend();
    // Committing may have ended this leadership (the change that removed it).
    if (this.currentRole !== 'leader') return;
    this.sendAppend(m.from, false);
    if (m.from === this.transferee && pr.match === this.log.lastIndex) this.send({ type: 'timeout-now', to: m.from });
  }

  // ---- replication

  /** Appends entries of the current term to the leader's log; returns the first index. */
  private appendEntries(items: readonly { kind: EntryKind; data: Uint8Array }[]): number {
    const first = this.log.lastIndex + 1;
    this.log.append(items.map((item, i) => ({ index: first + i, term: this.currentTerm, ...item })));
    if (items.some((item) => item.kind === 'config')) this.syncProgress();
    return first;
  }

  /**
   * Commits the highest index a quorum holds, if it is of the current term (Raft §5.4.2). The first
   * commit of a term releases deferred reads; a commit of the change that removed this leader ends its term.
   */
  private maybeCommit(): boolean {
    const index = quorumIndex(this.voterIds.map((id) => this.progress.get(id)!.match));
    if (index <= this.log.committed || this.log.term(index) !== this.currentTerm) return false;
    const firstOfTerm = this.log.term(this.log.committed) !== this.currentTerm;
    this.log.commitTo(index);
    if (firstOfTerm) for (const r of this.pendingReads.takeDeferred()) this.leaderRead(r.ctx, r.from);
    if (!this.isMember && this.log.committed >= this.log.membersIndex) {
      this.stepDownRemoved();
      return false;
    }
    return true;
  }

  /** This leader's removal committed: hand over to an up-to-date member, if one is, and step down. */
  private stepDownRemoved(): void {
    this.broadcastAppend();
    const heir = this.peers.find((id) => this.progress.get(id)!.match === this.log.lastIndex);
    if (heir) this.send({ type: 'timeout-now', to: heir });
    this.becomeFollower(this.currentTerm, undefined);
  }

  private broadcastAppend(): void {
    for (const id of this.peers) this.sendAppend(id);
  }

  private broadcastHeartbeat(): void {
    for (const id of this.peers) {
      const commit = Math.min(this.progress.get(id)!.match, this.advertisedCommit);
      this.send({ type: 'heartbeat', to: id, commit, read: this.pendingReads.currentRound });
    }
  }

  /** Sends `to` the entries it needs next (or the snapshot, if they were compacted away). */
  private sendAppend(to: string, sendIfEmpty = true): void {
    const pr = this.progress.get(to)!;
    if (pr.isPaused) return;
    const prevLogIndex = pr.next - 1;
    const prevLogTerm = this.log.term(prevLogIndex);
    if (prevLogTerm === undefined) {
      this.sendSnapshot(to, pr);
      return;
    }
    const { entries, bytes } = withinBytes(this.log.slice(prevLogIndex + 1, Math.min(this.log.lastIndex, prevLogIndex + this.maxEntries)), this.maxBytes);
    const last = prevLogIndex + entries.length;
    if (entries.length === 0 && !sendIfEmpty) return;
    this.send({ type: 'append', to, prevLogIndex, prevLogTerm, entries, commit: this.advertisedCommit });
    pr.sentUpTo(prevLogIndex, last, bytes);
  }

  private sendSnapshot(to: string, pr: Progress): void {
    if (!this.snapshot) throw new Error(`entry ${pr.next - 1} was compacted, but no snapshot is held`);
    this.send({ type: 'snapshot', to, snapshot: this.snapshot });
    pr.becomeSnapshot(this.snapshot.index);
  }

  /**
   * Ends a check-quorum round: returns whether a quorum was heard from since the last one, and starts
   * the next. A snapshot that got no answer within the round is retried through a probe.
   */
  private closeActivityRound(): boolean {
    const seen = new Set<string>();
    for (const [id, pr] of this.progress) {
      if (pr.recentActive) seen.add(id);
      pr.recentActive = false;
      if (pr.state === 'snapshot') pr.becomeProbe();
    }
    return this.voterIds.filter((id) => id === this.id || seen.has(id)).length >= quorumSize(this.voterIds.length);
  }
}

/** The leading entries of `entries` whose data fits in `maxBytes` (always the first one), and their bytes. Pure. */
function withinBytes(entries: Entry[], maxBytes: number): { entries: Entry[]; bytes: number } {
  let bytes = 0;
  for (let i = 0; i < entries.length; i++) {
    const next = bytes + entries[i].data.byteLength;
    if (i > 0 && next > maxBytes) return { entries: entries.slice(0, i), bytes };
    bytes = next;
  }
  return { entries, bytes };
}

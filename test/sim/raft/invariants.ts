import { decodeMembers } from '../../../plugins/store-raft/membership';
import type { Message } from '../../../plugins/store-raft/messages';
import type { PersistedState, RaftCore } from '../../../plugins/store-raft/raft-core';
import type { Entry, Member, Snapshot } from '../../../plugins/store-raft/types';

/** A Raft safety property failed: the message says which and where. */
export class InvariantViolation extends Error {
  override readonly name = 'InvariantViolation';
}

/** What the checker reads from a running member. */
export interface ObservedMember {
  readonly id: string;
  /** Bumped at every restart: state that lives in memory only starts over. */
  readonly incarnation: number;
  readonly core: RaftCore;
}

const keys = new WeakMap<Entry, string>();

/** A string that identifies an entry's content (term, kind, data). Cached: entries are shared, never changed. */
export function entryKey(e: Entry): string {
  let k = keys.get(e);
  if (k === undefined) {
    k = `${e.term}|${e.kind}|${Buffer.from(e.data.buffer, e.data.byteOffset, e.data.byteLength).toString('latin1')}`;
    keys.set(e, k);
  }
  return k;
}

/**
 * What the checker remembers of one member incarnation: its commit and applied indexes, and what it told
 * other members, which must survive a crash: the highest term it sent a message in (pre-votes aside:
 * they speak of a term not yet taken), the last vote it granted, and the highest index it said it
 * holds (acknowledging, or sending entries as leader) with the term it said so in.
 */
interface MemberView {
  incarnation: number;
  commit: number;
  applied: number;
  toldTerm: number;
  vote?: { term: number; to: string };
  acked?: { term: number; index: number };
}

/**
 * Checks Raft's safety properties as a run goes, incrementally, from what members do:
 * - election safety: at most one leader per term over the whole run (a restarted member counts anew);
 * - log matching: two entries with the same index and term have the same content and follow entries of
 *   the same term, so by induction the logs are identical up to there (checked as entries are persisted,
 *   and pairwise over whole logs by `checkLogs`);
 * - leader completeness: a new leader holds every entry committed before its term;
 * - state machine safety: every member commits and applies the same entry at each index, in order,
 *   and no command is committed at two indexes (so none is applied twice);
 * - a live member's commit index never goes backwards; snapshots agree with the committed log and
 *   with each other's state at the same index;
 * - durability: a member that crashes still has on disk the term, vote and entries it told others of.
 * Violations throw InvariantViolation.
 */
export class RaftInvariants {
  /** Term → `id#incarnation` of its leader. */
  private readonly leaders = new Map<number, string>();
  /** By index: key and term of the committed entry (index 0 is the empty start). */
  private readonly committedKeys: string[] = [''];
  private readonly committedTerms: number[] = [0];
  /** `index:term` → key and previous term of every entry a member persisted. */
  private readonly persisted = new Map<string, { key: string; prevTerm: number | undefined }>();
  /** Command id → the index it was committed at. */
  private readonly commandAt = new Map<string, number>();
  private readonly views = new Map<string, MemberView>();
  /** Index → state machine state there, from snapshots. */
  private readonly statesAt = new Map<number, string>();
  /** Leaders seen (one per term at most), for statistics. */
  elections = 0;

  /**
   * @param commandId the unique id of a data entry's command (undefined if it has none)
   * @param onCommittedConfig told of every member list once it is committed, in log order
   */
  constructor(
    private readonly commandId: (e: Entry) => string | undefined,
    private readonly onCommittedConfig: (index: number, members: readonly Member[]) => void = () => undefined,
    /** Whether `crashed` checks durability (off, to see what losing acknowledged state leads to). */
    private readonly checkDurability = true,
  ) {}

  /** Highest index known to be committed anywhere. */
  get commitIndex(): number {
    return this.committedKeys.length - 1;
  }

  /** A member (re)started: its applied index starts at its snapshot; its commit index may start lower. */
  started(m: ObservedMember): void {
    this.views.set(m.id, { incarnation: m.incarnation, commit: m.core.log.committed, applied: m.core.log.snapshotIndex, toldTerm: 0 });
    this.observe(m);
  }

  /** Checks a member after its core took an input or advanced. */
  observe(m: ObservedMember): void {
    const { core } = m;
    const view = this.view(m);
    if (core.isLeader) this.checkLeader(m);
    const commit = core.log.committed;
    if (commit < view.commit) throw new InvariantViolation(`${m.id}'s commit index went back from ${view.commit} to ${commit}`);
    view.commit = commit;
    if (commit > this.commitIndex) this.recordCommits(m, commit);
    else this.checkCommitted(m, commit, 'commit index');
  }

  /** Notes what a member's outgoing messages claim: its term, votes granted, entries held. */
  sending(m: ObservedMember, messages: readonly Message[]): void {
    const view = this.view(m);
    for (const msg of messages) {
      if (msg.type === 'prevote' || msg.type === 'prevote-response') continue;
      if (msg.term > view.toldTerm) view.toldTerm = msg.term;
      if (msg.type === 'vote-response' && msg.granted) view.vote = { term: msg.term, to: msg.to };
      else if (msg.type === 'append-response' && msg.success) this.held(view, msg.term, msg.index);
      else if (msg.type === 'append') this.held(view, msg.term, msg.prevLogIndex + msg.entries.length);
    }
  }

  /**
   * Checks, when a member crashes, that its durable state still backs every claim it sent (Raft keeps
   * term, vote and log on stable storage before answering): its term, its vote in that term, and the
   * entries it acknowledged in that term.
   */
  crashed(m: ObservedMember, durable: PersistedState): void {
    if (!this.checkDurability) return;
    const view = this.view(m);
    const { term, vote } = durable.hardState;
    const lastIndex = (durable.snapshot?.index ?? 0) + durable.entries.length;
    const lost = (what: string) => new InvariantViolation(`durability: ${m.id} crashed and lost ${what} it had already told other members`);
    if (term < view.toldTerm) throw lost(`term ${view.toldTerm} (disk has ${term})`);
    if (view.vote && view.vote.term === term && vote !== view.vote.to) throw lost(`its vote for ${view.vote.to} in term ${term} (disk has ${vote ?? 'none'})`);
    if (view.acked && view.acked.term === term && lastIndex < view.acked.index) throw lost(`entries up to ${view.acked.index} (disk has up to ${lastIndex})`);
  }

  private held(view: MemberView, term: number, index: number): void {
    if (!view.acked || term > view.acked.term || (term === view.acked.term && index > view.acked.index)) view.acked = { term, index };
  }

  /** Checks entries a member is about to persist against every entry persisted with the same index and term. */
  persisting(m: ObservedMember, entries: readonly Entry[]): void {
    if (entries.length === 0) return;
    let prevTerm = m.core.log.term(entries[0].index - 1);
    for (const e of entries) {
      const at = `${e.index}:${e.term}`;
      const key = entryKey(e);
      const seen = this.persisted.get(at);
      if (seen === undefined) this.persisted.set(at, { key, prevTerm });
      else if (seen.key !== key) {
        throw new InvariantViolation(`log matching: ${m.id} persists ${describe(e)} but another member persisted ${seen.key} at ${at}`);
      } else if (seen.prevTerm !== undefined && prevTerm !== undefined && seen.prevTerm !== prevTerm) {
        throw new InvariantViolation(`log matching: at ${at}, ${m.id}'s log has term ${prevTerm} at ${e.index - 1}, another member's ${seen.prevTerm}`);
      }
      prevTerm = e.term;
    }
  }

  /** Checks an entry a member applies: the next in order, and the one committed at its index. */
  applied(m: ObservedMember, e: Entry): void {
    const view = this.view(m);
    if (e.index !== view.applied + 1) throw new InvariantViolation(`${m.id} applies ${e.index} after ${view.applied}`);
    view.applied = e.index;
    const committed = this.committedKeys[e.index];
    if (committed === undefined) throw new InvariantViolation(`${m.id} applies ${describe(e)}, beyond any commit index (${this.commitIndex})`);
    if (committed !== entryKey(e)) throw new InvariantViolation(`state machine safety: ${m.id} applies ${describe(e)}, but ${committed} was committed there`);
  }

  /** Checks a snapshot a member installs from its leader: it covers committed entries and agrees with other states there. */
  installed(m: ObservedMember, s: Snapshot, state: string): void {
    const view = this.view(m);
    const term = this.committedTerms[s.index];
    if (term !== s.term) throw new InvariantViolation(`${m.id} installs a snapshot at ${s.index} of term ${s.term}; committed there: term ${term ?? 'none'}`);
    view.applied = s.index;
    this.stateAt(m, s.index, state);
  }

  /** Checks (or records) the state machine state a member reached at `index`. */
  stateAt(m: ObservedMember, index: number, state: string): void {
    const known = this.statesAt.get(index);
    if (known === undefined) this.statesAt.set(index, state);
    else if (known !== state) throw new InvariantViolation(`state machine safety: ${m.id}'s state at ${index} is ${state}, another member's was ${known}`);
  }

  /** Whether some member's state at `index` is known (so a member applying it should compare). */
  hasStateAt(index: number): boolean {
    return this.statesAt.has(index);
  }

  /**
   * Log matching over whole logs, pairwise: wherever two logs hold an entry of the same term at the same
   * index, they hold identical entries at every index both still have up to there.
   */
  checkLogs(members: readonly ObservedMember[]): void {
    for (let i = 0; i < members.length; i++) {
      for (let j = i + 1; j < members.length; j++) matchLogs(members[i], members[j]);
    }
  }

  private view(m: ObservedMember): MemberView {
    let v = this.views.get(m.id);
    if (v === undefined || v.incarnation !== m.incarnation) throw new Error(`member ${m.id}#${m.incarnation} was not announced with started()`);
    return v;
  }

  private checkLeader(m: ObservedMember): void {
    const { core } = m;
    const who = `${m.id}#${m.incarnation}`;
    const known = this.leaders.get(core.term);
    if (known === who) return;
    if (known !== undefined) throw new InvariantViolation(`election safety: ${known} and ${who} both lead term ${core.term}`);
    this.leaders.set(core.term, who);
    this.elections++;
    // Leader completeness: everything committed so far (necessarily in earlier terms) is in its log.
    const { log } = core;
    if (log.lastIndex < this.commitIndex) {
      throw new InvariantViolation(`leader completeness: ${m.id} leads term ${core.term} with log ending at ${log.lastIndex}, but ${this.commitIndex} is committed`);
    }
    for (let i = log.snapshotIndex; i <= this.commitIndex; i++) {
      if (log.term(i) !== this.committedTerms[i]) {
        throw new InvariantViolation(`leader completeness: ${m.id} leads term ${core.term} with term ${log.term(i)} at ${i}, where ${this.committedKeys[i]} is committed`);
      }
    }
  }

  /** Records entries newly known committed (from `m`'s log), checking commands are committed once. */
  private recordCommits(m: ObservedMember, commit: number): void {
    const { log } = m.core;
    this.checkCommitted(m, this.commitIndex, 'log');
    for (let i = this.commitIndex + 1; i <= commit; i++) {
      const term = log.term(i);
      if (term === undefined || i <= log.snapshotIndex) {
        throw new InvariantViolation(`${m.id} commits ${i}, which nobody was seen committing, without holding the entry (log starts at ${log.firstIndex})`);
      }
      const e = log.slice(i, i)[0];
      this.committedKeys.push(entryKey(e));
      this.committedTerms.push(e.term);
      if (e.kind === 'config') this.onCommittedConfig(i, decodeMembers(e.data));
      const id = e.kind === 'data' ? this.commandId(e) : undefined;
      if (id === undefined) continue;
      const at = this.commandAt.get(id);
      if (at !== undefined) throw new InvariantViolation(`command ${id} is committed twice, at ${at} and ${i} (it would apply twice)`);
      this.commandAt.set(id, i);
    }
  }

  /** Checks that `m` holds the committed entry at `index`, where it still has it. */
  private checkCommitted(m: ObservedMember, index: number, what: string): void {
    const term = m.core.log.term(index);
    if (term !== undefined && term !== this.committedTerms[index]) {
      throw new InvariantViolation(`state machine safety: ${m.id} has term ${term} at its ${what} ${index}, where term ${this.committedTerms[index]} is committed`);
    }
  }
}

function describe(e: Entry): string {
  return `${e.index}:${entryKey(e)}`;
}

function matchLogs(a: ObservedMember, b: ObservedMember): void {
  const la = a.core.log;
  const lb = b.core.log;
  const lo = Math.max(la.snapshotIndex, lb.snapshotIndex);
  let top = Math.min(la.lastIndex, lb.lastIndex);
  while (top >= lo && la.term(top) !== lb.term(top)) top--;
  for (let i = lo; i <= top; i++) {
    const differ =
      la.term(i) !== lb.term(i) || (i > la.snapshotIndex && i > lb.snapshotIndex && entryKey(la.slice(i, i)[0]) !== entryKey(lb.slice(i, i)[0]));
    if (differ) throw new InvariantViolation(`log matching: ${a.id} and ${b.id} hold the same term at ${top} but differ at ${i}`);
  }
}

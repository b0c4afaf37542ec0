import type { Message } from '../../../plugins/store-raft/messages';
import type { Member } from '../../../plugins/store-raft/types';
import { decodeCommand } from './kv-machine';
import { RaftInvariants } from './invariants';
import { describeMessage, SimMember, type MemberSettings } from './member';
import { SimNetwork, type NetworkProfile } from './network';
import type { Rng } from './rng';
import { Scheduler } from './scheduler';
import { Trace } from './trace';

/** Settings of a simulated cluster. */
export interface ClusterSettings {
  readonly member: Omit<MemberSettings, 'tickPeriod' | 'duplicates'>;
  /** Mean time units between ticks; each member's clock deviates from it by up to `clockSkew`. */
  readonly tickPeriod: number;
  readonly clockSkew: number;
  readonly network: NetworkProfile;
  /** Time units a removed member keeps running after its removal commits, before it is shut down. */
  readonly leaveDelay: number;
  /** Recent events kept for failure reports. */
  readonly traceSize: number;
  /**
   * Check that a crashing member's disk still backs what it told others (term, vote, acknowledged
   * entries). Off, only the consequences show: broken Raft safety properties, or a group stuck for good.
   */
  readonly checkDurability: boolean;
}

/** The id of the n-th member ever created: a, b, c, … z, then m26, m27, … */
function memberId(n: number): string {
  return n < 26 ? String.fromCharCode(97 + n) : `m${n}`;
}

/**
 * Raft members on one simulated network and clock, with the operations a fault injector or a test
 * needs: crash, restart, partition, join a fresh member, and find the leader. Every member is checked
 * by one RaftInvariants; a member whose removal from the group commits is shut down for good.
 */
export class SimCluster {
  readonly scheduler = new Scheduler();
  readonly trace: Trace;
  readonly network: SimNetwork<Message>;
  readonly invariants: RaftInvariants;
  readonly members = new Map<string, SimMember>();
  /** The newest committed member list. */
  committedMembers: readonly string[] = [];
  private created = 0;
  /** Members that were in some committed member list (a joiner not yet added was not). */
  private readonly everMembers = new Set<string>();

  constructor(
    private readonly settings: ClusterSettings,
    private readonly rng: Rng,
  ) {
    this.trace = new Trace(settings.traceSize, () => ({ time: this.scheduler.now, step: this.scheduler.steps }));
    this.network = new SimNetwork<Message>(
      this.scheduler,
      rng.fork(),
      settings.network,
      (m) => this.members.get(m.to)?.receive(m) ?? false,
      (m, fate) => this.trace.add(() => `${m.from}→${m.to} ${describeMessage(m)}: ${fate}`),
    );
    this.invariants = new RaftInvariants(
      (e) => decodeCommand(e.data).id,
      (index, members) => this.committed(index, members),
      settings.checkDurability,
    );
  }

  /** Creates and starts `n` founding members. */
  found(n: number): void {
    const ids = Array.from({ length: n }, (_, i) => memberId(this.created + i));
    const bootstrap: Member[] = ids.map((id) => ({ id, addr: '' }));
    for (let i = 0; i < n; i++) this.create(bootstrap).start();
  }

  /** Creates and starts a fresh member with an empty disk and no member list, to be added by the leader. */
  join(): SimMember {
    const m = this.create(undefined);
    m.start();
    return m;
  }

  /** The member with this id (throws if there is none). */
  member(id: string): SimMember {
    const m = this.members.get(id);
    if (!m) throw new Error(`no member ${id}`);
    return m;
  }

  /** Members that are running. */
  running(): SimMember[] {
    return [...this.members.values()].filter((m) => m.up);
  }

  /** Members that are down but not gone for good. */
  crashed(): SimMember[] {
    return [...this.members.values()].filter((m) => !m.up && !m.gone);
  }

  /** The running leader of the highest term, if any. */
  leader(): SimMember | undefined {
    let best: SimMember | undefined;
    for (const m of this.members.values()) if (m.up && m.core.isLeader && (!best || m.core.term > best.core.term)) best = m;
    return best;
  }

  /** Ids of every member not gone for good. */
  ids(): string[] {
    return [...this.members.values()].filter((m) => !m.gone).map((m) => m.id);
  }

  /** Heals every partition, stops losing and duplicating messages, and restarts crashed members. */
  healAll(): void {
    this.network.heal();
    this.network.profile = { ...this.network.profile, dropRate: 0, duplicateRate: 0 };
    for (const m of this.crashed()) m.start();
    this.trace.add('everything healed');
  }

  /**
   * Whether the group has settled: a leader whose member list is all running, every one of which has
   * applied everything in the leader's log and holds the same state.
   */
  converged(): boolean {
    const leader = this.leader();
    if (!leader) return false;
    const { log, members } = leader.core;
    if (log.committed !== log.lastIndex || !members.some((m) => m.id === leader.id)) return false;
    const state = leader.state;
    return members.every((x) => {
      const m = this.members.get(x.id);
      return m !== undefined && m.up && !m.busy && m.core.log.applied === log.lastIndex && m.state === state;
    });
  }

  private create(bootstrap: readonly Member[] | undefined): SimMember {
    const id = memberId(this.created++);
    const { tickPeriod, clockSkew } = this.settings;
    const settings: MemberSettings = {
      ...this.settings.member,
      tickPeriod: tickPeriod + this.rng.int(-clockSkew, clockSkew),
      duplicates: this.settings.network.duplicateRate > 0,
    };
    const m = new SimMember(id, bootstrap, settings, this, this.rng.fork());
    this.members.set(id, m);
    return m;
  }

  /** Whether `id` was in some committed member list (so it must never be added again once removed). */
  wasMember(id: string): boolean {
    return this.everMembers.has(id);
  }

  /** A member list committed: members it leaves out are shut down for good a little later. */
  private committed(index: number, members: readonly Member[]): void {
    const ids = members.map((m) => m.id);
    this.committedMembers = ids;
    this.trace.add(`members [${ids.join(' ')}] committed at ${index}`);
    for (const m of this.members.values()) {
      if (m.gone || ids.includes(m.id) || !this.everMembers.has(m.id)) continue;
      this.scheduler.after(this.settings.leaveDelay, () => {
        if (!this.committedMembers.includes(m.id)) m.leave();
      });
    }
    for (const id of ids) this.everMembers.add(id);
  }
}

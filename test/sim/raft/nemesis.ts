import type { SimCluster } from './cluster';
import type { SimMember } from './member';
import type { Rng } from './rng';

/** The faults a Nemesis injects. */
export type FaultKind =
  /** Split the members into two sides that cannot reach each other. */
  | 'partition'
  /** One side can send to the other but hears nothing back. */
  | 'oneWay'
  /** Cut the leader off from everyone (sometimes in one direction only). */
  | 'isolateLeader'
  | 'heal'
  /** Crash a random member (it restarts after a while), or the leader. */
  | 'crash'
  | 'crashLeader'
  /** Ask the leader to hand leadership to another member. */
  | 'transfer'
  /** Add a fresh member (empty disk, no member list) or remove one; `removeLeader` removes the leader itself. */
  | 'grow'
  | 'shrink'
  | 'removeLeader';

/** Settings of a Nemesis. */
export interface FaultSettings {
  /** Time units between faults. */
  readonly interval: readonly [number, number];
  /** Time units a crashed member stays down. */
  readonly downtime: readonly [number, number];
  readonly weights: Readonly<Record<FaultKind, number>>;
  /** Group sizes that membership changes keep to. */
  readonly minMembers: number;
  readonly maxMembers: number;
}

/**
 * Injects faults into a SimCluster at random moments: partitions (symmetric and one-way), leader
 * isolation, crashes with restarts, leader transfers and membership changes, all drawn from its own
 * random stream. What it did goes into the cluster's trace, and counts into `counts`.
 */
export class Nemesis {
  private active = false;
  /** Faults injected, by kind (attempts the group refused are not counted). */
  readonly counts = new Map<FaultKind, number>();
  /** Fresh members started but not (yet) in the group, to be added by a later `grow`. */
  private joiners: SimMember[] = [];

  constructor(
    private readonly cluster: SimCluster,
    private readonly rng: Rng,
    private readonly settings: FaultSettings,
  ) {}

  /** Starts injecting faults at random intervals. */
  start(): void {
    this.active = true;
    this.scheduleNext();
  }

  /** Injects no more faults (crashed members still restart when their downtime ends). */
  stop(): void {
    this.active = false;
  }

  /** Injects one fault of the given kind now; returns false if it did not apply (no leader, say). */
  inject(kind: FaultKind): boolean {
    const done = this.faults[kind]();
    if (done) {
      this.counts.set(kind, (this.counts.get(kind) ?? 0) + 1);
      this.cluster.trace.add(`nemesis: ${done}`);
    }
    return done !== undefined;
  }

  private scheduleNext(): void {
    const [lo, hi] = this.settings.interval;
    this.cluster.scheduler.after(this.rng.int(lo, hi), () => {
      if (!this.active) return;
      this.inject(this.rng.weighted(this.settings.weights));
      this.scheduleNext();
    });
  }

  /** Each fault: does it and describes it, or returns undefined when it does not apply now. */
  private readonly faults: Record<FaultKind, () => string | undefined> = {
    partition: () => {
      const [a, b] = this.split();
      this.cluster.network.partition(a, b);
      return `partition [${a.join(' ')}] | [${b.join(' ')}]`;
    },
    oneWay: () => {
      const [a, b] = this.split();
      this.cluster.network.cutOneWay(b, a);
      return `one-way: [${a.join(' ')}] → [${b.join(' ')}] only`;
    },
    isolateLeader: () => {
      const leader = this.cluster.leader();
      if (!leader) return undefined;
      const others = this.cluster.ids().filter((id) => id !== leader.id);
      const how = this.rng.int(0, 2);
      if (how === 0) this.cluster.network.isolate(leader.id, others);
      else if (how === 1) this.cluster.network.cutOneWay([leader.id], others);
      else this.cluster.network.cutOneWay(others, [leader.id]);
      return `isolate leader ${leader.id}${['', ' (it cannot send)', ' (it cannot hear)'][how]}`;
    },
    heal: () => {
      if (!this.cluster.network.isPartitioned) return undefined;
      this.cluster.network.heal();
      return 'heal the network';
    },
    crash: () => this.crash(this.rng.pick(this.cluster.running())),
    crashLeader: () => this.crash(this.cluster.leader()),
    transfer: () => {
      const leader = this.cluster.leader();
      const to = leader && this.rng.pick(leader.core.members).id;
      if (!leader || to === leader.id) return undefined;
      return this.attempt(leader, `transfer leadership ${leader.id} → ${to}`, (core) => core.transferLeadership(to!));
    },
    grow: () => {
      const leader = this.cluster.leader();
      if (!leader || leader.core.members.length >= this.settings.maxMembers) return undefined;
      this.joiners = this.joiners.filter((j) => !j.gone && !this.cluster.wasMember(j.id) && !leader.core.members.some((m) => m.id === j.id));
      const joiner = this.joiners.find((j) => j.up) ?? this.cluster.join();
      if (!this.joiners.includes(joiner)) this.joiners.push(joiner);
      return this.attempt(leader, `add ${joiner.id}`, (core) => core.changeMembers({ type: 'set', member: { id: joiner.id, addr: '' } }));
    },
    shrink: () => {
      const leader = this.cluster.leader();
      const others = leader?.core.members.filter((m) => m.id !== leader.id) ?? [];
      if (!leader || leader.core.members.length <= this.settings.minMembers || others.length === 0) return undefined;
      const id = this.rng.pick(others).id;
      return this.attempt(leader, `remove ${id}`, (core) => core.changeMembers({ type: 'remove', id }));
    },
    removeLeader: () => {
      const leader = this.cluster.leader();
      if (!leader || leader.core.members.length <= this.settings.minMembers) return undefined;
      return this.attempt(leader, `remove the leader ${leader.id}`, (core) => core.changeMembers({ type: 'remove', id: leader.id }));
    },
  };

  /** Two non-empty sides, at random, of the members not gone for good. */
  private split(): [string[], string[]] {
    const ids = this.rng.shuffle(this.cluster.ids());
    const k = this.rng.int(1, Math.max(1, ids.length - 1));
    return [ids.slice(0, k), ids.slice(k)];
  }

  private crash(m: SimMember | undefined): string | undefined {
    const limit = Math.floor(this.cluster.ids().length / 2);
    if (!m || this.cluster.crashed().length >= limit) return undefined;
    m.crash();
    const [lo, hi] = this.settings.downtime;
    this.cluster.scheduler.after(this.rng.int(lo, hi), () => m.start());
    return `crash ${m.id}`;
  }

  /** Asks the leader for a change it may refuse (a change still in progress, say). */
  private attempt(leader: SimMember, what: string, fn: (core: SimMember['core']) => unknown): string | undefined {
    let refusal: string | undefined;
    leader.act((core) => {
      try {
        fn(core);
      } catch (err) {
        refusal = (err as Error).message;
      }
    });
    if (refusal === undefined) return what;
    this.cluster.trace.add(`nemesis: ${what} refused: ${refusal}`);
    return undefined;
  }
}

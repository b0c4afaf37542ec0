import type { Rng } from './rng';
import type { Scheduler } from './scheduler';

/** Anything addressed from one node to another. */
export interface Addressed {
  readonly from: string;
  readonly to: string;
}

/** How a simulated network misbehaves; every message draws its own fate from these. */
export interface NetworkProfile {
  /** Latency range in time units; messages overtake each other within it, which reorders them. */
  readonly minLatency: number;
  readonly maxLatency: number;
  /** Chance that a message takes a long detour instead (up to `slowLatency`). */
  readonly slowRate: number;
  readonly slowLatency: number;
  /** Chance that a message is lost. */
  readonly dropRate: number;
  /** Chance that a message is delivered twice (each copy with its own latency). */
  readonly duplicateRate: number;
}

/** What happened to a message, for traces. */
export type Fate = 'dropped' | 'cut' | 'duplicated' | 'undeliverable';

/**
 * A simulated network on a Scheduler: every message is delayed by a random latency, and may be
 * dropped or duplicated. Links can be cut one way (A→B only) or both ways; a cut link also loses the
 * messages already in flight on it. Generic over the message type, so any protocol can use it.
 */
export class SimNetwork<M extends Addressed> {
  private readonly cut = new Set<string>();
  /** Messages handed to the network and delivered so far (copies included). */
  sent = 0;
  delivered = 0;

  /**
   * @param deliver hands a message to its addressee; returns false if the addressee is not running
   * @param note receives what befell a message that was not delivered, for traces
   */
  constructor(
    private readonly scheduler: Scheduler,
    private readonly rng: Rng,
    public profile: NetworkProfile,
    private readonly deliver: (m: M) => boolean,
    private readonly note: (m: M, fate: Fate) => void = () => undefined,
  ) {}

  /** Sends messages; each arrives (or not) on its own. */
  send(messages: readonly M[]): void {
    for (const m of messages) {
      this.sent++;
      if (this.rng.chance(this.profile.dropRate)) {
        this.note(m, 'dropped');
        continue;
      }
      this.transmit(m);
      if (this.rng.chance(this.profile.duplicateRate)) {
        this.note(m, 'duplicated');
        this.transmit(m);
      }
    }
  }

  /** Whether `from` can currently reach `to`. */
  canReach(from: string, to: string): boolean {
    return !this.cut.has(link(from, to));
  }

  /** Cuts the link from `from` to `to` (one way). */
  cutLink(from: string, to: string): void {
    if (from !== to) this.cut.add(link(from, to));
  }

  /** Cuts every link from a member of `a` to a member of `b`, one way. */
  cutOneWay(a: readonly string[], b: readonly string[]): void {
    for (const x of a) for (const y of b) this.cutLink(x, y);
  }

  /** Splits the nodes into two sides that cannot reach each other. */
  partition(a: readonly string[], b: readonly string[]): void {
    this.cutOneWay(a, b);
    this.cutOneWay(b, a);
  }

  /** Cuts `id` off from `others` both ways. */
  isolate(id: string, others: readonly string[]): void {
    this.partition([id], others);
  }

  /** Restores every link. */
  heal(): void {
    this.cut.clear();
  }

  /** Whether any link is cut. */
  get isPartitioned(): boolean {
    return this.cut.size > 0;
  }

  /** The cut links, as `from→to`, for traces. */
  describeCuts(): string {
    return [...this.cut].sort().join(' ') || 'none';
  }

  private transmit(m: M): void {
    const p = this.profile;
    const latency = this.rng.chance(p.slowRate) ? this.rng.int(p.maxLatency, p.slowLatency) : this.rng.int(p.minLatency, p.maxLatency);
    this.scheduler.after(latency, () => {
      if (!this.canReach(m.from, m.to)) this.note(m, 'cut');
      else if (this.deliver(m)) this.delivered++;
      else this.note(m, 'undeliverable');
    });
  }
}

function link(from: string, to: string): string {
  return `${from}→${to}`;
}

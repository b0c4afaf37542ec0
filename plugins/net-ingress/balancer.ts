/** Where the mesh may send a connection: a task's address and the service's target port. */
export interface Backend {
  readonly host: string;
  readonly port: number;
}

/**
 * How a balancer picks a backend: the one with the fewest active connections (ties broken round-robin),
 * or plainly the next one in turn.
 */
export type BalancingStrategy = 'least-connections' | 'round-robin';

/** Options of a {@link Balancer}. */
export interface BalancerOptions {
  /** Defaults to `least-connections`. */
  readonly strategy?: BalancingStrategy;
  /** How long a backend that failed to connect is passed over while others are up (ms); default 5000. */
  readonly downForMs?: number;
  /** Clock (ms), for tests; defaults to `Date.now`. */
  readonly now?: () => number;
}

/**
 * A backend as the balancer tracks it. Callers get one from {@link Balancer.acquire} and hand it back to
 * {@link Balancer.release} when the connection ends, even after the backend left the set.
 */
export interface BackendSlot {
  readonly backend: Backend;
  /** Connections acquired on this backend and not yet released. */
  readonly active: number;
}

class Slot implements BackendSlot {
  active = 0;
  /** Until when (clock ms) the backend is passed over after a failed connect. */
  downUntil = 0;

  constructor(
    readonly key: string,
    readonly backend: Backend,
  ) {}
}

const keyOf = (b: Backend): string => `${b.host}:${b.port}`;

/**
 * Picks backends for new connections and counts the connections each one carries. Pure bookkeeping:
 * no I/O, no timers. Backends that recently failed to connect are passed over while any other is up.
 */
export class Balancer {
  private slots: Slot[] = [];
  private cursor = 0;
  private readonly leastConnections: boolean;
  private readonly downForMs: number;
  private readonly now: () => number;

  constructor(options: BalancerOptions = {}) {
    this.leastConnections = (options.strategy ?? 'least-connections') === 'least-connections';
    this.downForMs = options.downForMs ?? 5000;
    this.now = options.now ?? Date.now;
  }

  /**
   * Replaces the set of backends. A backend that stays (same host and port) keeps its connection count
   * and failure state; connections on a backend that left keep running, they just get no new company.
   * Duplicates are ignored.
   */
  setBackends(backends: readonly Backend[]): void {
    const old = new Map(this.slots.map((s) => [s.key, s]));
    const next = new Map<string, Slot>();
    for (const b of backends) {
      const key = keyOf(b);
      if (!next.has(key)) next.set(key, old.get(key) ?? new Slot(key, { host: b.host, port: b.port }));
    }
    this.slots = [...next.values()];
    this.cursor = 0;
  }

  /**
   * Picks a backend for a new connection and counts the connection on it.
   * @param exclude backends not to pick (those already tried for this connection)
   * @returns undefined when the set is empty or every backend is excluded
   */
  acquire(exclude?: ReadonlySet<BackendSlot>): BackendSlot | undefined {
    const slots = this.slots;
    const n = slots.length;
    const now = this.now();
    let best = -1;
    let bestDown = true;
    let bestActive = 0;
    for (let i = 0; i < n; i++) {
      const index = (this.cursor + i) % n;
      const s = slots[index];
      if (exclude?.has(s)) continue;
      const down = s.downUntil > now;
      if (best >= 0 && !this.better(down, s.active, bestDown, bestActive)) continue;
      best = index;
      bestDown = down;
      bestActive = s.active;
    }
    if (best < 0) return undefined;
    this.cursor = (best + 1) % n;
    const chosen = slots[best];
    chosen.active++;
    return chosen;
  }

  /** Whether a candidate beats the best so far; on a tie the earlier one (from the cursor) stays. */
  private better(down: boolean, active: number, bestDown: boolean, bestActive: number): boolean {
    if (down !== bestDown) return !down;
    return this.leastConnections && active < bestActive;
  }

  /** Ends a connection acquired on `slot`. */
  release(slot: BackendSlot): void {
    (slot as Slot).active--;
  }

  /** Records a failed connect: the backend is passed over for a while unless every other one is too. */
  markDown(slot: BackendSlot): void {
    (slot as Slot).downUntil = this.now() + this.downForMs;
  }

  /** Records a successful connect: the backend is picked normally again. */
  markUp(slot: BackendSlot): void {
    (slot as Slot).downUntil = 0;
  }
}

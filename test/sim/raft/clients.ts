import type { Operation } from '../lincheck/history';
import type { KvInput, KvOutput } from '../lincheck/kv-model';
import type { Rng } from './rng';
import type { Scheduler } from './scheduler';
import type { Trace } from './trace';

/**
 * How a request ended, as its client sees it: a reply; a definite failure (it did not and will not take
 * effect, so it is left out of the history); or unknown (it may or may not take effect: indeterminate).
 */
export type Outcome<O> = { readonly status: 'ok'; readonly output: O } | { readonly status: 'failed' | 'unknown'; readonly reason: string };

/** Something clients send key-value requests to: a member of a replicated store. */
export interface KvEndpoint {
  readonly id: string;
  /**
   * Starts a request; `done` is called at most once (possibly at once) with its outcome.
   * @param opId unique in the whole run, so that the system can tell requests apart
   */
  submit(input: KvInput, opId: string, done: (outcome: Outcome<KvOutput>) => void): void;
}

/** Settings of the client workload. */
export interface ClientSettings {
  /** Clients issuing requests concurrently, each one at a time. */
  readonly count: number;
  readonly keys: readonly string[];
  /**
   * Time units after which clients move on to fresh keys (`x` becomes `x.1`, then `x.2`, …), so that no
   * key's history grows past what the linearizability checker handles quickly (0: never).
   */
  readonly keyGeneration: number;
  /** Time units a client waits for an answer before recording the request as indeterminate. */
  readonly timeout: number;
  /** Pause between a client's requests, in time units. */
  readonly think: readonly [number, number];
  /** Pause after a definite failure (no leader known, say), in time units. */
  readonly backoff: number;
  /** Relative frequency of each operation. */
  readonly mix: Readonly<Record<KvInput['op'], number>>;
}

/** An operation as recorded, with where it went and, if it definitely failed, why. */
interface Recorded {
  client: number;
  input: KvInput;
  call: number;
  output?: KvOutput;
  return?: number;
  endpoint: string;
  /** Why it definitely failed, or why its outcome is unknown. */
  failed?: string;
  unknown?: string;
}

/** Counts of how requests ended. */
export interface ClientStats {
  readonly ok: number;
  readonly okWrites: number;
  readonly failed: number;
  readonly unknown: number;
}

/**
 * Concurrent key-value clients on simulated time. Each issues get / put / cas requests one at a time to
 * a random endpoint and records call and return times and replies. A request without an answer within
 * the timeout (or whose endpoint crashed) is recorded as indeterminate, and the client moves on.
 * Put values are unique, so a read tells exactly which write it saw.
 */
export class KvClients {
  private readonly ops: Recorded[] = [];
  private active = false;
  private waiting = 0;
  private seq = 0;
  /** Recent values written per key, for compare-and-set to expect. */
  private readonly recent = new Map<string, string[]>();

  constructor(
    private readonly scheduler: Scheduler,
    private readonly rng: Rng,
    private readonly settings: ClientSettings,
    /** Endpoints a client may send to now. */
    private readonly endpoints: () => readonly KvEndpoint[],
    private readonly trace?: Trace,
  ) {}

  /** Starts every client. */
  start(): void {
    this.active = true;
    for (let c = 0; c < this.settings.count; c++) this.scheduler.after(this.rng.int(0, this.settings.think[1]), () => this.issue(c));
  }

  /** Clients issue no new requests; those under way go on until they end or time out. */
  stop(): void {
    this.active = false;
  }

  /** Whether no request is under way. */
  get idle(): boolean {
    return this.waiting === 0;
  }

  /** The history for the linearizability checker: every request but those that definitely failed. */
  history(): Operation<KvInput, KvOutput>[] {
    return this.ops.filter((op) => op.failed === undefined).map(({ client, input, call, output, return: ret }) => ({ client, input, call, output, return: ret }));
  }

  /** How requests ended so far. */
  stats(): ClientStats {
    let ok = 0;
    let okWrites = 0;
    let failed = 0;
    for (const op of this.ops) {
      if (op.failed !== undefined) failed++;
      else if (op.return !== undefined) {
        ok++;
        if (op.input.op !== 'get') okWrites++;
      }
    }
    return { ok, okWrites, failed, unknown: this.ops.length - ok - failed };
  }

  /** How many requests ended without a reply, by reason (numbers blanked out), most frequent first. */
  reasons(): [string, number][] {
    const counts = new Map<string, number>();
    for (const op of this.ops) {
      const reason = op.failed ?? (op.return === undefined ? (op.unknown ?? 'under way') : undefined);
      if (reason === undefined) continue;
      const general = reason.replace(/\d+/g, 'N');
      counts.set(general, (counts.get(general) ?? 0) + 1);
    }
    return [...counts].sort((a, b) => b[1] - a[1]);
  }

  private issue(client: number): void {
    if (!this.active) return;
    const endpoints = this.endpoints();
    if (endpoints.length === 0) {
      this.scheduler.after(this.settings.backoff, () => this.issue(client));
      return;
    }
    const endpoint = this.rng.pick(endpoints);
    const opId = `c${client}.${this.seq++}`;
    const input = this.nextInput(opId);
    const op: Recorded = { client, input, call: this.scheduler.now, endpoint: endpoint.id };
    this.ops.push(op);
    this.waiting++;
    let ended = false;
    const end = (outcome: Outcome<KvOutput>) => {
      if (ended) return;
      ended = true;
      this.waiting--;
      if (outcome.status === 'ok') {
        op.output = outcome.output;
        op.return = this.scheduler.now;
        if (input.op === 'get' && 'value' in outcome.output && outcome.output.value !== undefined) this.remember(input.key, outcome.output.value);
      } else if (outcome.status === 'failed') op.failed = outcome.reason;
      else op.unknown = outcome.reason;
      this.trace?.add(() => `client ${client} ${opId} ${describeInput(input)} @${endpoint.id} → ${outcome.status === 'ok' ? JSON.stringify(outcome.output) : `${outcome.status}: ${outcome.reason}`}`);
      const pause = outcome.status === 'failed' ? this.settings.backoff : this.rng.int(this.settings.think[0], this.settings.think[1]);
      this.scheduler.after(pause, () => this.issue(client));
    };
    endpoint.submit(input, opId, end);
    if (!ended) this.scheduler.after(this.settings.timeout, () => end({ status: 'unknown', reason: 'timed out' }));
  }

  private nextInput(opId: string): KvInput {
    const { keys, keyGeneration } = this.settings;
    const generation = keyGeneration > 0 ? Math.floor(this.scheduler.now / keyGeneration) : 0;
    const key = generation > 0 ? `${this.rng.pick(keys)}.${generation}` : this.rng.pick(keys);
    const op = this.rng.weighted(this.settings.mix);
    if (op === 'get') return { op, key };
    if (op === 'put') {
      this.remember(key, opId);
      return { op, key, value: opId };
    }
    const recent = this.recent.get(key) ?? [];
    const expect = this.rng.chance(0.15) || recent.length === 0 ? undefined : this.rng.pick(recent);
    this.remember(key, opId);
    return { op, key, expect, value: opId };
  }

  private remember(key: string, value: string): void {
    const recent = this.recent.get(key) ?? [];
    recent.push(value);
    if (recent.length > 4) recent.shift();
    this.recent.set(key, recent);
  }
}

function describeInput(input: KvInput): string {
  if (input.op === 'get') return `get(${input.key})`;
  if (input.op === 'put') return `put(${input.key}, ${input.value})`;
  return `cas(${input.key}, ${input.expect ?? 'absent'} → ${input.value})`;
}

import type { Logger } from 'pino';
import type { ClusterStore } from '../store/contract';
import { graceMs, heartbeatPeriodOf, jitteredPeriod, nextDeadline, nodesToMarkDown, realTimer, startupDeadlines, type SetTimer } from './heartbeats';
import { updateRetrying } from '../store/update-retrying';
import { markDown, markReady } from './store-writes';

export interface HeartbeatMonitorOptions {
  readonly store: ClusterStore;
  readonly log: Logger;
  /** The manager's own node: it runs no session and is never judged by heartbeats. */
  readonly selfNodeId: string;
  /** Called for each node the monitor has just written DOWN. */
  readonly onDown?: (nodeId: string) => void;
  readonly clock?: () => Date;
  readonly setTimer?: SetTimer;
  /** Source of the period jitter, in [0, 1). */
  readonly random?: () => number;
}

/**
 * Judges nodes by their heartbeats. Heartbeats live in memory only, as a deadline per node (no store
 * write per heartbeat); one timer is armed at the earliest deadline. A node silent for three periods
 * is written DOWN with the message `heartbeat failure` (one whose session dropped, after one period: see
 * `lost`); a heartbeat from a DOWN node writes it READY.
 * At start every node the store has gets two graces (swarm mode's UNKNOWN phase after a leader change),
 * so the nodes of a restarted manager have time to find it again.
 */
export class HeartbeatMonitor {
  private deadlines = new Map<string, number>();
  private readonly reviving = new Map<string, Promise<void>>();
  private timer: { readonly at: number; readonly cancel: () => void } | undefined;
  private checking: Promise<void> | undefined;
  private running = false;
  private readonly clock: () => Date;
  private readonly setTimer: SetTimer;
  private readonly random: () => number;

  constructor(private readonly options: HeartbeatMonitorOptions) {
    this.clock = options.clock ?? (() => new Date());
    this.setTimer = options.setTimer ?? realTimer;
    this.random = options.random ?? Math.random;
  }

  /** Starts judging: every node the store has now (but this manager's own) gets two graces. */
  start(): void {
    if (this.running) return;
    this.running = true;
    const { selfNodeId, store } = this.options;
    const ids = store.view((r) => r.nodes.all().map((n) => n.id)).filter((id) => id !== selfNodeId);
    this.deadlines = startupDeadlines(ids, this.now(), this.periodMs());
    this.arm();
  }

  /** Stops judging and waits for writes under way. */
  async stop(): Promise<void> {
    this.running = false;
    this.timer?.cancel();
    this.timer = undefined;
    await this.checking;
    await Promise.all(this.reviving.values());
  }

  /** The heartbeat period to announce to a node (ms): the cluster's, ±10 %. */
  announcedPeriodMs(): number {
    return jitteredPeriod(this.periodMs(), this.random);
  }

  /** Records a sign of life from a node whose status the caller writes itself (a new session). */
  track(nodeId: string): void {
    if (!this.judges(nodeId)) return;
    const deadline = this.now() + graceMs(this.periodMs());
    this.deadlines.set(nodeId, deadline);
    // A timer armed before this deadline serves it: skip arm's scan of every node's deadline (a heartbeat
    // from each of N nodes per period made that N² a period).
    if (!this.timer || this.timer.at > deadline) this.arm();
  }

  /**
   * The node's session dropped. A machine or daemon that dies closes its connections, so there is no
   * need to wait out three missed heartbeats: unless the node opens a new session (or heartbeats)
   * within one period, it is DOWN. Silent failures (a hung process, a partition) still get the full grace.
   */
  lost(nodeId: string): void {
    if (!this.judges(nodeId)) return;
    const soon = this.now() + this.periodMs();
    const deadline = this.deadlines.get(nodeId);
    if (deadline !== undefined && deadline <= soon) return;
    this.deadlines.set(nodeId, soon);
    this.arm();
  }

  /** Records a heartbeat. A node marked DOWN is marked READY again. */
  heartbeat(nodeId: string): void {
    if (!this.judges(nodeId)) return;
    this.track(nodeId);
    const { store, log } = this.options;
    if (this.reviving.has(nodeId) || store.view((r) => r.nodes.get(nodeId)?.status.state) !== 'down') return;
    const revive = updateRetrying(store, (tx) => markReady(tx, nodeId, this.clock())).then(
      (wrote) => {
        if (wrote) log.info({ node: nodeId }, 'node is heard from again: ready');
      },
      (err) => log.warn({ node: nodeId, err: (err as Error).message }, 'could not mark node ready'),
    );
    this.reviving.set(nodeId, revive);
    void revive.finally(() => this.reviving.delete(nodeId));
  }

  /** True when the monitor is running and `nodeId` is not this manager's own node. */
  private judges(nodeId: string): boolean {
    return this.running && nodeId !== this.options.selfNodeId;
  }

  private now(): number {
    return this.clock().getTime();
  }

  private periodMs(): number {
    return this.options.store.view(heartbeatPeriodOf);
  }

  /** True when `nodeId` has not been heard from within its grace. */
  private silent(nodeId: string): boolean {
    const deadline = this.deadlines.get(nodeId);
    return deadline !== undefined && deadline <= this.now();
  }

  /** Arms the timer for the earliest deadline, unless it is armed for an earlier time already. */
  private arm(): void {
    if (!this.running || this.checking) return;
    const at = nextDeadline(this.deadlines);
    if (at === undefined || (this.timer && this.timer.at <= at)) return;
    this.timer?.cancel();
    const cancel = this.setTimer(() => {
      this.timer = undefined;
      this.checking = this.check().finally(() => {
        this.checking = undefined;
        this.arm();
      });
    }, Math.max(0, at - this.now()));
    this.timer = { at, cancel };
  }

  /**
   * Writes DOWN the nodes past their deadline and stops tracking them until they are heard from. When
   * the write fails (e.g. this manager lost its leadership), they are looked at again a period later.
   */
  private async check(): Promise<void> {
    const due = nodesToMarkDown(this.deadlines, this.now());
    if (due.length === 0) return;
    const { store, log, onDown } = this.options;
    try {
      const marked = await updateRetrying(store, (tx) => markDown(tx, due, (id) => this.silent(id)));
      for (const id of due) if (this.silent(id)) this.deadlines.delete(id);
      for (const id of marked) {
        log.warn({ node: id }, 'node missed its heartbeats: down');
        onDown?.(id);
      }
    } catch (err) {
      log.warn({ nodes: due, err: (err as Error).message }, 'could not mark nodes down; retrying');
      const retryAt = this.now() + this.periodMs();
      for (const id of due) if (this.silent(id)) this.deadlines.set(id, retryAt);
    }
  }
}

/** What the rolling-update benchmark needs of each system it compares: its CLI, and how far an update got. */

/** How far a service's rolling update got, from one look at the system's API. */
export interface UpdateProgress {
  /**
   * Tasks desired and observed running on the service's current spec: orch compares each task with the
   * service as its updater does; swarm mode's API only allows comparing what the update changes (the env).
   */
  readonly runningCurrent: number;
  /** Whether the service's update status says `completed` (for its current spec, where the API tells). */
  readonly completed: boolean;
}

/** One system under test: orch, or Docker's swarm mode on the same engine. */
export interface UpdatePeer {
  readonly name: string;
  /** The label whose value names a task container's service on this system. */
  readonly serviceLabel: string;
  /** Flags its `service create` and `service update` take beyond the ones both systems share. */
  readonly serviceFlags: readonly string[];
  /** Starts a single-node swarm of this system. */
  start(): Promise<void>;
  /** Runs this system's CLI (`orch` or `docker`) with `args`; rejects with its stderr unless it exits 0. */
  cli(args: readonly string[]): Promise<void>;
  /** Looks once at the update of service `name`. */
  progress(name: string): Promise<UpdateProgress>;
  /** Leaves the swarm and removes what it started. Never throws. */
  destroy(): Promise<void>;
}

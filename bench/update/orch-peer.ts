/** orch as a peer of the rolling-update benchmark: a single-node swarm, its CLI and its control API. */
import { matchesService } from '../../core/orchestrator/updater-plan';
import { SingleNodeOrch } from '../single-node-orch';
import type { UpdatePeer, UpdateProgress } from './peer';

/** orch on a single-node swarm of its own (temp data dir, loopback). */
export class OrchPeer implements UpdatePeer {
  readonly name = 'orch';
  readonly serviceLabel = 'orch.service.name';
  readonly serviceFlags = ['--detach'];
  private readonly node = new SingleNodeOrch('orch-bench-update-');

  /** `orch swarm init` on loopback. */
  start(): Promise<void> {
    return this.node.init();
  }

  /** Runs `orch ARGS…` against the node. */
  async cli(args: readonly string[]): Promise<void> {
    await this.node.orch(...args);
  }

  /**
   * ServiceInspect and TaskList (desired and observed running) at once: the running tasks that match the
   * service (the updater's own test), and whether its update status is `completed` for its current spec.
   */
  async progress(name: string): Promise<UpdateProgress> {
    const [{ service }, { tasks }] = await Promise.all([
      this.node.call('ServiceInspect', { ref: name }),
      this.node.call('TaskList', { filters: { service: [name], desiredState: ['running'], state: ['running'] } }),
    ]);
    const status = service.updateStatus;
    return {
      runningCurrent: tasks.filter((t) => matchesService(t, service)).length,
      completed: status?.state === 'completed' && status.specVersion === service.specVersion,
    };
  }

  /** Leaves the swarm, stops the daemon, removes its containers and data dir. */
  destroy(): Promise<void> {
    return this.node.destroy();
  }
}

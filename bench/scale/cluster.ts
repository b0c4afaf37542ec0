import { freePort, waitUntil } from '../support';
import { ScaleManager } from './manager';

/** Three manager daemons on loopback, drained (tasks go to simulated nodes only), the leader first. */
export class ScaleCluster {
  private constructor(readonly managers: readonly ScaleManager[]) {}

  /** The leader (the manager that made the cluster; a scale run does not move leadership). */
  get leader(): ScaleManager {
    return this.managers[0];
  }

  /**
   * Starts the first manager with `swarm init` and two more with `swarm join` (manager token), waits until
   * the leader counts all three reachable, then drains them. On failure, stops what it started.
   */
  static async start(cli: string, heartbeatMs: number, env: Readonly<Record<string, string>> = {}): Promise<ScaleCluster> {
    const managers: ScaleManager[] = [];
    try {
      for (let i = 0; i < 3; i++) managers.push(new ScaleManager(cli, { listen: await freePort(), metrics: await freePort() }, env));
      const [first, ...others] = managers;
      await first.start(heartbeatMs);
      const { token } = await first.call('JoinToken', { role: 'manager' });
      for (const m of others) await m.start(heartbeatMs, { token, addr: first.listenAddr });
      await waitUntil('three reachable managers', async () => {
        const { managers: status } = await first.call('NodeList', {});
        return Object.values(status).filter((s) => s.reachability === 'reachable').length === 3;
      });
      for (const m of managers) await first.call('NodeUpdate', { ref: m.nodeId, availability: 'drain' });
      return new ScaleCluster(managers);
    } catch (err) {
      await Promise.all(managers.map((m) => m.destroy()));
      throw err;
    }
  }

  /** A worker join token. */
  async workerToken(): Promise<string> {
    return (await this.leader.call('JoinToken', { role: 'worker' })).token;
  }

  /** Stops every manager (see `ScaleManager.destroy`). */
  async destroy(keep = false): Promise<void> {
    await Promise.all(this.managers.map((m) => m.destroy(keep)));
  }
}

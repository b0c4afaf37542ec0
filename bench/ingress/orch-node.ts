/** The ingress benchmark's orch node: a single-node swarm (see SingleNodeOrch) running the backends. */
import { docker, SingleNodeOrch } from '../single-node-orch';
import { waitUntil } from '../support';

/** One orch node that is a swarm of its own, with what the ingress benchmark asks of it. */
export class OrchNode extends SingleNodeOrch {
  constructor() {
    super('orch-bench-ingress-');
  }

  /**
   * Creates a service of `replicas` tasks of `image` publishing `published:target` on the routing mesh,
   * and waits until that many of its tasks run.
   */
  async createService(name: string, image: string, replicas: number, published: number, target: number): Promise<void> {
    await this.orch('service', 'create', '--name', name, '--replicas', String(replicas), '--publish', `${published}:${target}`, image);
    await waitUntil(`${replicas} running tasks of service ${name}`, async () => (await this.runningTasks(name)) === replicas);
  }

  /** The IP addresses of the running containers of service `name` on this node, sorted. */
  containerAddresses(name: string): string[] {
    const ids = docker('ps', '-q', '--filter', `label=orch.node.id=${this.nodeId}`, '--filter', `label=orch.service.name=${name}`, '--filter', 'status=running').split('\n').filter(Boolean);
    if (ids.length === 0) return [];
    const format = '{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}';
    return docker('inspect', '-f', format, ...ids).split('\n').map((l) => l.trim().split(' ')[0]).filter(Boolean).sort();
  }

  /** How many tasks of service `name` are desired and observed running, from the control API. */
  private async runningTasks(name: string): Promise<number> {
    const { tasks } = await this.call('TaskList', { filters: { service: [name], desiredState: ['running'], state: ['running'] } });
    return tasks.length;
  }
}

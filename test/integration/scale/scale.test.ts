import * as path from 'node:path';
import type { Node, Task } from '../../../core/model/types';
import { parseServiceSpec } from '../../../core/model/service-spec';
import type { SimFleet } from '../../../core/testing/sim/sim-fleet';
import { ScaleCluster } from '../../../bench/scale/cluster';
import { startScaleFleet } from '../../../bench/scale/fleet';
import { createServices, watchConvergence } from '../../../bench/scale/load';
import { isGold, planServices, satisfies } from '../../../bench/scale/plan';
import { killAndReschedule } from '../../../bench/scale/reschedule';
import { waitFor } from '../../helpers/cluster';

const CLI = path.resolve(__dirname, '../../../dist/cli/main.js');
const NODES = 50;
const PLAN = planServices(2000, 10, 'small');
const DRAINED = [7, 21];

/**
 * A small scale run: 3 manager daemons, 50 simulated nodes in this process, 2,000 tasks in 10 services
 * (some constrained to engine or node labels) and a global service on gold nodes. Correctness, not timing:
 * everything runs, and no task desired running sits on a node it may not run on.
 */
describe('50 simulated nodes, 2,000 tasks on 3 managers', () => {
  let cluster: ScaleCluster;
  let fleet: SimFleet | undefined;

  beforeAll(async () => {
    cluster = await ScaleCluster.start(CLI, 1000, { DOCKER_HOST: 'unix:///nonexistent/docker.sock' });
  });
  afterAll(async () => {
    fleet?.close();
    await cluster?.destroy();
  });

  const call: ScaleCluster['leader']['call'] = (method, req) => cluster.leader.call(method, req);

  /** Every task desired running, service names by id, and the nodes by id. */
  async function snapshot(): Promise<{ tasks: Task[]; services: Record<string, string>; nodes: Map<string, Node> }> {
    const { tasks, services } = await call('TaskList', { filters: { desiredState: ['running'] } });
    const { nodes } = await call('NodeList', {});
    return { tasks, services, nodes: new Map(nodes.map((n) => [n.id, n])) };
  }

  /** The tasks desired running on a node that may not have them: down, drained, or a constraint not met. */
  function misplaced(tasks: readonly Task[], nodes: ReadonlyMap<string, Node>): string[] {
    return tasks.flatMap((t) => {
      const n = t.nodeId === undefined ? undefined : nodes.get(t.nodeId);
      if (!n) return t.status.state === 'pending' ? [] : [`${t.id}: on unknown node ${t.nodeId}`];
      if (n.spec.availability !== 'active') return [`${t.id}: on ${n.spec.availability} node ${n.description.hostname}`];
      if (!satisfies(t.spec.placement.constraints ?? [], n.description.engine.labels, n.spec.labels)) return [`${t.id}: constraints ${t.spec.placement.constraints} not met by ${n.description.hostname}`];
      return [];
    });
  }

  it('joins every node with its own identity and labels', async () => {
    fleet = await startScaleFleet({ count: NODES, token: await cluster.workerToken(), managerAddr: cluster.leader.listenAddr, call, concurrency: 8 });
    expect(new Set(fleet.nodes.map((n) => n.nodeId)).size).toBe(NODES);
    for (const i of DRAINED) await call('NodeUpdate', { ref: fleet.nodes[i].nodeId, availability: 'drain' });
    const { value: nodes } = await waitFor('every node ready', async () => {
      const { nodes } = await call('NodeList', {});
      return nodes.filter((n) => n.status.state === 'ready').length === NODES + 3 && nodes;
    }, 60_000);
    const sim = nodes.filter((n) => n.description.runtimes.includes('sim'));
    expect(sim).toHaveLength(NODES);
    const gold = sim.filter((n) => n.spec.labels.tier === 'gold').map((n) => n.description.hostname).sort();
    expect(gold).toEqual(fleet.nodes.filter((_, i) => isGold(i)).map((n) => n.hostname).sort());
  });

  it('runs all 2,000 tasks and the global service, each on a node it may run on', async () => {
    const watching = watchConvergence({ call, plan: PLAN, placedCounter: async () => 0, timeoutMs: 120_000 });
    await createServices(call, PLAN);
    await watching;
    const spec = parseServiceSpec({ name: 'gold-global', mode: { global: {} }, task: { container: { image: 'true' }, runtime: 'sim', placement: { constraints: ['node.labels.tier==gold'] } } });
    await call('ServiceCreate', { spec });
    const goldActive = fleet!.nodes.filter((_, i) => isGold(i) && !DRAINED.includes(i)).length;
    await waitFor('the global service on every active gold node', async () => (await call('ServiceList', { filters: { name: ['gold-global'] } })).services[0]?.running === goldActive, 60_000);

    const { tasks, nodes } = await snapshot();
    expect(tasks.filter((t) => t.status.state === 'running')).toHaveLength(2000 + goldActive);
    expect(misplaced(tasks, nodes)).toEqual([]);
  });

  it('moves the tasks of killed nodes elsewhere, still only where they may run', async () => {
    const { tasks } = await killAndReschedule({ call, fleet: fleet!, count: 5, plan: PLAN, timeoutMs: 60_000 });
    expect(tasks).toBeGreaterThan(0);
    const snap = await snapshot();
    const dead = new Set(fleet!.nodes.filter((n) => !n.alive).map((n) => n.nodeId));
    const planned = new Set(PLAN.map((p) => p.name));
    // A global service's task stays on its DOWN node; a replicated one moves.
    expect(snap.tasks.filter((t) => t.nodeId !== undefined && dead.has(t.nodeId) && planned.has(snap.services[t.serviceId]))).toEqual([]);
    for (const id of dead) expect(snap.nodes.get(id)?.status.state).toBe('down');
    expect(misplaced(snap.tasks, snap.nodes)).toEqual([]);
  });
});

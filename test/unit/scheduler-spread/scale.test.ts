import { buildNodeInfos } from '../../../core/scheduler/node-info';
import { bootPlugin, countPerNode, makeNode, makeTask, makeTasks, reasonOf } from './fixtures';

const NODES = 1000;
const TASKS = 1000;

describe('scheduling at scale', () => {
  const nodes = Array.from({ length: NODES }, (_, i) => makeNode(`n${String(i).padStart(4, '0')}`, { cpus: 64, labels: { zone: `z${i % 4}` } }));

  it(`places a group of ${TASKS} tasks on ${NODES} nodes evenly`, async () => {
    const { scheduler } = await bootPlugin();
    const rates: string[] = [];
    for (let round = 0; round < 5; round++) {
      const infos = buildNodeInfos(nodes, []);
      const tasks = makeTasks(`r${round}`, TASKS, { cpus: 0.5 });
      const start = performance.now();
      const decisions = scheduler.scheduleGroup(tasks, infos);
      rates.push(((TASKS / (performance.now() - start)) * 1000).toFixed(0));
      expect(decisions.every((d) => d.nodeId !== undefined)).toBe(true);
      expect(new Set(countPerNode(decisions).values())).toEqual(new Set([1]));
    }
    console.log(`spread scheduler: ${TASKS} tasks on ${NODES} nodes, placements/s per round: ${rates.join(', ')}`);
  });

  it(`spreads a group of ${TASKS} tasks over the zones of ${NODES} nodes`, async () => {
    const { scheduler } = await bootPlugin();
    const tasks = makeTasks('t', TASKS, { cpus: 0.5, preferences: ['node.labels.zone'] });
    const start = performance.now();
    const decisions = scheduler.scheduleGroup(tasks, buildNodeInfos(nodes, []));
    const rate = (tasks.length / (performance.now() - start)) * 1000;
    console.log(`spread scheduler: ${TASKS} tasks with a zone preference on ${NODES} nodes, ${rate.toFixed(0)} placements/s (tree included)`);
    expect(new Set(countPerNode(decisions).values())).toEqual(new Set([1]));
  });

  it('spreads a constrained group over a loaded cluster', async () => {
    const { scheduler } = await bootPlugin();
    const existing = Array.from({ length: 100_000 }, (_, i) => makeTask(`old${i}`, { nodeId: nodes[i % NODES].id, state: 'running', serviceId: `s${i % 100}` }));
    const infos = buildNodeInfos(nodes, existing);
    const tasks = makeTasks('t', 2 * TASKS, { cpus: 0.5, constraints: ['node.labels.zone==z1', 'node.role==worker'], hostPorts: [8080] });
    const start = performance.now();
    const decisions = scheduler.scheduleGroup(tasks, infos);
    const rate = (tasks.length / (performance.now() - start)) * 1000;
    console.log(`spread scheduler: ${tasks.length} constrained tasks on ${NODES} loaded nodes, ${rate.toFixed(0)} decisions/s`);
    expect(new Set(countPerNode(decisions).values())).toEqual(new Set([1]));
    expect(countPerNode(decisions).size).toBe(NODES / 4);
    expect(reasonOf(decisions[NODES / 4])).toBe('no suitable node (constraint not met on 750 nodes; host-mode port already in use on 250 nodes)');
  });
});

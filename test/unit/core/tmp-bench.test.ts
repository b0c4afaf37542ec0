import { buildNodeInfos } from '../../../core/scheduler/node-info';
import { makeNode, makeTask } from '../scheduler-spread/fixtures';
it('bench', () => {
  const nodes = Array.from({ length: 1000 }, (_, i) => makeNode(`n${i}`, { cpus: 1000 }));
  const tasks = Array.from({ length: 100_000 }, (_, i) =>
    makeTask(`t${i}`, { nodeId: `n${i % 1000}`, state: 'running', serviceId: `s${i % 50}`, cpus: 0.01, hostPorts: i % 10 === 0 ? [20000 + (i % 7)] : [] }));
  const out = [];
  for (let k = 0; k < 8; k++) { const s = performance.now(); buildNodeInfos(nodes, tasks); out.push((performance.now() - s).toFixed(1)); }
  console.log(out.join(' '));
});

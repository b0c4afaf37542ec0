import { freePort, httpGet, TestNode, waitFor } from '../../helpers/cluster';

/**
 * A web server task of the process runtime: answers with its slot on the port the runtime gives it (closing
 * the connection, so each request is balanced anew by the mesh), exits on SIGTERM.
 */
const SERVER =
  "require('http').createServer((q, s) => { s.setHeader('Connection', 'close'); s.end('slot ' + process.env.ORCH_TASK_SLOT); }).listen(+process.env.PORT); process.on('SIGTERM', () => process.exit(0))";

describe('the process runtime, with no Docker engine reachable', () => {
  // DOCKER_HOST points at a socket nobody serves: to this node, there is no Docker engine.
  const node = new TestNode('orch-proc-', undefined, { DOCKER_HOST: 'unix:///nonexistent/docker.sock' });
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    await node.ok('swarm', 'init', '--advertise-addr', '127.0.0.1', '--runtime', 'process');
  });
  afterAll(() => node.destroy());

  it('runs a 3-replica service whose published port answers through the mesh from every task', async () => {
    await node.ok('service', 'create', '--name', 'web', '--replicas', '3', '--publish', `${port}:80`, '--health-http', '80/', '--health-interval', '1s', process.execPath, '-e', SERVER);
    expect(await node.running('web')).toHaveLength(3);
    const { value: answers } = await waitFor('answers from all 3 tasks', async () => {
      const seen = new Set<string>();
      for (let i = 0; i < 30; i++) {
        const body = await httpGet(`http://127.0.0.1:${port}/`);
        if (body) seen.add(body);
      }
      return seen.size === 3 && seen;
    });
    expect([...answers].sort()).toEqual(['slot 1', 'slot 2', 'slot 3']);
    const { node: self } = await node.api('NodeInspect', { ref: 'self' });
    expect(self.description.runtimes).toEqual(['process']);
  });

  it('records exit codes and output: a task that exits 3 fails, its logs show why', async () => {
    await node.ok('service', 'create', '-d', '--name', 'bad', '--restart-condition', 'none', 'sh', '-c', 'echo about to fail; exit 3');
    const { value: task } = await waitFor('the task to fail', async () => {
      const { tasks } = await node.api('TaskList', { filters: { service: ['bad'] } });
      return tasks.find((t) => t.status.state === 'failed');
    });
    expect(task.status).toMatchObject({ exitCode: 3, err: 'task: non-zero exit (3)' });
    const logs = await node.ok('service', 'logs', '--raw', 'bad');
    expect(logs).toBe('about to fail\n');
  });

  it('runs a service on the node\'s runtime by constraint, and scales it down cleanly', async () => {
    await node.ok('service', 'create', '-d', '--name', 'pinned', '--constraint', 'node.runtime==process', 'sh', '-c', 'trap "exit 0" TERM; sleep 1000 & wait');
    await waitFor('the pinned task to run', async () => (await node.running('pinned')).length === 1);
    await node.ok('service', 'scale', 'web=1');
    await waitFor('web to have 1 task left', async () => (await node.running('web')).length === 1);
  });
});

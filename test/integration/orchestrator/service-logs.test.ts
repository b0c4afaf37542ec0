import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { TestCluster, waitFor, type TestNode } from '../../helpers/cluster';

const CLI = path.resolve(__dirname, '../../../dist/cli/main.js');

/** A task that prints numbered lines, five a second. */
const COUNTER = ['orch-test/busybox', 'sh', '-c', 'i=0; while true; do i=$((i+1)); echo line $i; sleep 0.2; done'];

/** `<task name>.<short task id>@<node>    | line N` */
const PREFIXED = /^(counter\.\d)\.([0-9a-z]{12})@(\S+) *\| line (\d+)$/;

interface Numbered {
  readonly name: string;
  readonly shortId: string;
  readonly n: number;
}

/** The numbered lines of `text` (every line must be one). */
function numbered(text: string): Numbered[] {
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const m = PREFIXED.exec(line);
      if (!m) throw new Error(`unexpected line ${JSON.stringify(line)}`);
      return { name: m[1], shortId: m[2], n: Number(m[4]) };
    });
}

/** The numbers each task printed, by short task id. */
function byTask(lines: readonly Numbered[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  for (const l of lines) groups.set(l.shortId, [...(groups.get(l.shortId) ?? []), l.n]);
  return groups;
}

/** True when every number is one more than the one before. */
const consecutive = (ns: readonly number[]) => ns.every((n, i) => i === 0 || n === ns[i - 1] + 1);

/** `orch service logs ARGS…` as a long-running child process of the built CLI. */
function streamLogs(node: TestNode, ...args: string[]): { child: ChildProcess; stdout: () => string; stderr: () => string } {
  const child = spawn(process.execPath, [CLI, 'service', 'logs', ...args], { env: { ...process.env, ORCH_DATA_DIR: node.dataDir } });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return { child, stdout: () => stdout, stderr: () => stderr };
}

/** The complete lines of `text` (a stream may end mid-line). */
const completeLines = (text: string) => text.slice(0, text.lastIndexOf('\n') + 1);

describe('orch service logs', () => {
  const cluster = new TestCluster();
  const { manager } = cluster;
  let worker: TestNode;
  let live: ReturnType<typeof streamLogs> | undefined;

  beforeAll(async () => {
    await cluster.init('1s');
    worker = await cluster.join('--advertise-addr', '127.0.0.2');
    await manager.ok('service', 'create', '--name', 'counter', '--replicas', '2', '--replicas-max-per-node', '1', ...COUNTER);
  });
  afterAll(async () => {
    live?.child.kill();
    await cluster.destroy();
  });

  it('follows every task on every node, in order and without gaps, and the tasks that start later', async () => {
    const tasks = await manager.running('counter');
    expect(tasks).toHaveLength(2);
    expect(new Set(tasks.map((t) => t.nodeId))).toEqual(new Set([manager.nodeId, worker.nodeId]));
    const stream = streamLogs(manager, '-f', 'counter');
    live = stream;
    const seen = () => byTask(numbered(completeLines(stream.stdout())));
    await waitFor('ten lines of each task', () => tasks.every((t) => (seen().get(t.id.slice(0, 12))?.length ?? 0) >= 10));

    // A task that ends is replaced; the stream picks up its successor.
    const victim = tasks.find((t) => t.nodeId === worker.nodeId)!;
    spawnSync('docker', ['kill', victim.status.runtimeId!]);
    const { value: successor } = await waitFor(
      'a replacement to run',
      async () => (await manager.running('counter')).find((t) => t.nodeId === worker.nodeId && t.id !== victim.id),
      60_000,
    );
    await waitFor('lines of the replacement', () => (seen().get(successor.id.slice(0, 12))?.length ?? 0) >= 5, 30_000);
    stream.child.kill('SIGINT');
    live = undefined;
    expect(stream.stderr()).toBe('');

    const lines = seen();
    for (const t of [...tasks, successor]) {
      const ns = lines.get(t.id.slice(0, 12))!;
      expect(ns[0]).toBe(1);
      expect(consecutive(ns)).toBe(true);
    }
  });

  it('without --follow prints the last lines of each task and exits 0', async () => {
    const tasks = await manager.running('counter');
    const r = await manager.orch('service', 'logs', '--tail', '3', 'counter');
    expect(r.code).toBe(0);
    const lines = byTask(numbered(r.stdout));
    for (const t of tasks) {
      const ns = lines.get(t.id.slice(0, 12))!;
      expect(ns).toHaveLength(3);
      expect(consecutive(ns)).toBe(true);
    }
  });

  it('formats lines without task ids, with timestamps, and raw', async () => {
    const plain = (await manager.ok('service', 'logs', '--tail', '2', '--no-task-ids', '--timestamps', 'counter')).split('\n').filter(Boolean);
    expect(plain.length).toBeGreaterThanOrEqual(4);
    for (const line of plain) expect(line).toMatch(/^counter\.\d@\S+ +\| \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z line \d+$/);
    const raw = (await manager.ok('service', 'logs', '--tail', '1', '--raw', 'counter')).split('\n').filter(Boolean);
    for (const line of raw) expect(line).toMatch(/^line \d+$/);
  });

  it('reads the logs of one task by id or id prefix', async () => {
    const task = (await manager.running('counter')).find((t) => t.nodeId === worker.nodeId)!;
    for (const ref of [task.id, task.id.slice(0, 8)]) {
      const lines = numbered(await manager.ok('service', 'logs', '--tail', '4', ref));
      expect(lines).toHaveLength(4);
      expect(new Set(lines.map((l) => l.shortId))).toEqual(new Set([task.id.slice(0, 12)]));
      expect(consecutive(lines.map((l) => l.n))).toBe(true);
    }
  });

  it('prints stderr lines on stderr', async () => {
    await manager.ok('service', 'create', '--name', 'twostreams', 'orch-test/busybox', 'sh', '-c', 'echo to-stdout; echo to-stderr >&2; exec sleep 1000000');
    await waitFor('its lines', async () => (await manager.orch('service', 'logs', 'twostreams')).stderr.includes('to-stderr'));
    const r = await manager.orch('service', 'logs', 'twostreams');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^twostreams\.1\.[0-9a-z]{12}@\S+ +\| to-stdout\n$/);
    expect(r.stderr).toMatch(/^twostreams\.1\.[0-9a-z]{12}@\S+ +\| to-stderr\n$/);
  });

  it('refuses an unknown service and a bad flag', async () => {
    const unknown = await manager.orch('service', 'logs', 'nosuch');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/service or task nosuch not found/);
    const bad = await manager.orch('service', 'logs', '--tail', 'some', 'counter');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--tail/);
  });

  it('is relayed to the leader by a manager that does not lead', async () => {
    const follower = await cluster.joinManager();
    const tasks = await manager.running('counter');
    const lines = byTask(numbered(await follower.ok('service', 'logs', '--tail', '2', 'counter')));
    for (const t of tasks) expect(lines.get(t.id.slice(0, 12))).toHaveLength(2);
  });

  it('prints what it has and names a node whose logs are missing, exiting 1', async () => {
    const onManager = (await manager.running('counter')).find((t) => t.nodeId === manager.nodeId)!;
    process.kill(worker.pid!, 'SIGKILL');
    await waitFor('the worker to be down', async () => (await manager.api('NodeInspect', { ref: worker.nodeId })).node.status.state === 'down', 30_000);
    const r = await manager.orch('service', 'logs', '--tail', '2', 'counter');
    expect(r.code).toBe(1);
    expect(byTask(numbered(r.stdout)).get(onManager.id.slice(0, 12))).toHaveLength(2);
    expect(r.stderr).toMatch(/incomplete log stream: logs of node \S+ are missing/);
  });
});

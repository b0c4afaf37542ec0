import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import type { ClusterEvent } from '../../../core/events/cluster-events';
import { SLEEPER, TestCluster, waitFor } from '../../helpers/cluster';

const CLI = path.resolve(__dirname, '../../../dist/cli/main.js');

/** `orch events ARGS…` running against the manager, its stdout parsed as JSON lines as they come. */
function streamEvents(dataDir: string, ...args: string[]): { child: ChildProcess; events: ClusterEvent[]; stderr: () => string } {
  const child = spawn(process.execPath, [CLI, 'events', '--format', 'json', ...args], { env: { ...process.env, ORCH_DATA_DIR: dataDir } });
  const events: ClusterEvent[] = [];
  let partial = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop()!;
    for (const line of lines) if (line) events.push(JSON.parse(line));
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return { child, events, stderr: () => stderr };
}

const summary = (e: ClusterEvent) => `${e.type} ${e.action} ${e.name}${e.attributes['state.new'] ? ` ${e.attributes['state.new']}` : ''}`;

/** `orch events` against a real single-node cluster: a live stream, then a replay that ends at --until. */
describe('orch events', () => {
  const cluster = new TestCluster();
  let live: ReturnType<typeof streamEvents> | undefined;

  beforeAll(() => cluster.init('1s'));
  afterAll(async () => {
    live?.child.kill();
    await cluster.destroy();
  });

  it('streams service and task events as they happen, and replays them with --since/--until', async () => {
    const start = new Date().toISOString();
    live = streamEvents(cluster.manager.dataDir, '--filter', 'service=evts');
    // The stream is open once the daemon answered; give the connection a moment before writing.
    await new Promise((r) => setTimeout(r, 1000));
    const id = (await cluster.manager.ok('service', 'create', '--detach', '--name', 'evts', ...SLEEPER)).trim();
    const seen = () => live!.events.map(summary);
    await waitFor('the service and its running task', () => seen().includes('task update evts.1 running'), 60_000);
    await cluster.manager.ok('service', 'rm', 'evts');
    await waitFor('the service removal and its task stopping', () => seen().includes('service remove evts') && seen().some((s) => /^task update evts\.1 (shutdown|complete)$/.test(s)), 60_000);

    const events = live.events;
    expect(events.find((e) => e.type === 'service' && e.action === 'create')).toMatchObject({ id, name: 'evts', attributes: {} });
    expect(seen()).toEqual(expect.arrayContaining(['service create evts', 'task create evts.1', 'task update evts.1 running', 'service remove evts']));
    const running = events.find((e) => summary(e) === 'task update evts.1 running')!;
    expect(running.attributes).toMatchObject({ service: 'evts', node: cluster.manager.nodeId, 'state.old': 'starting' });
    expect(events.every((e) => e.time >= start)).toBe(true);
    expect(live.child.exitCode).toBeNull();

    // A replay of what happened: the same events, and the command exits 0 once --until has passed.
    const until = new Date().toISOString();
    const replay = await cluster.manager.orch('events', '--since', start, '--until', until, '--format', 'json', '--filter', 'service=evts');
    expect(replay.code).toBe(0);
    const replayed = replay.stdout.trim().split('\n').map((l) => JSON.parse(l) as ClusterEvent);
    const upToUntil = events.filter((e) => e.time <= until);
    expect(replayed).toEqual(upToUntil);

    // The default output is docker's line format.
    const lines = await cluster.manager.ok('events', '--since', start, '--until', until, '--filter', 'type=service');
    expect(lines).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z service create ${id} \\(name=evts\\)$`, 'm'));
  });

  it('refuses a bad time, naming the flag', async () => {
    const r = await cluster.manager.orch('events', '--since', 'soon');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('invalid --since: "soon" is not a time');
  });
});

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Service } from '../../../core/model/types';
import { TestCluster, containersOf, freePort, httpGet, waitFor, type TestNode } from '../../helpers/cluster';
import { execIn } from '../../helpers/task-exec';

/** Each node advertises (and binds published ports on) its own loopback address. */
const ADDRS = ['127.0.0.1', '127.0.0.2', '127.0.0.3'];
const V2 = 'orch-test/busybox:stack-v2';
/** Unique per run, so that runs sharing the engine never share a name. */
const STACK = `it${Math.random().toString(16).slice(2, 8)}`;

/**
 * A compose file: web (published, 2 replicas), api (2), worker (pinned by a node label, a named volume),
 * agent (global: one on every node).
 */
function composeFile(o: { apiImage?: string; worker?: boolean } = {}): string {
  const sleeper = `["sh", "-c", "trap 'exit 0' TERM; sleep 1000000 & wait"]`;
  const worker = `
  worker:
    image: orch-test/busybox
    command: ["sh", "-c", "trap 'exit 0' TERM; date >> /data/started; sleep 1000000 & wait"]
    volumes: ["data:/data"]
    networks: [appnet]
    deploy:
      placement:
        constraints: [node.labels.role == worker]
`;
  return `version: "3.8"
services:
  web:
    image: orch-test/busybox
    command: ["sh", "-c", "mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 80 -h /www"]
    ports: ["\${WEB_PORT}:80"]
    networks: [appnet]
    stop_grace_period: 1s
    deploy:
      replicas: 2
  api:
    image: ${o.apiImage ?? 'orch-test/busybox'}
    command: ${sleeper}
    networks: [appnet]
    deploy:
      replicas: 2
      update_config: {parallelism: 2}
${o.worker === false ? '' : worker}
  agent:
    image: orch-test/busybox
    command: ${sleeper}
    deploy:
      mode: global
networks:
  appnet:
    labels: {purpose: test}
volumes:
  data: {}
`;
}


describe('orch stack on 3 nodes', () => {
  const cluster = new TestCluster();
  const { manager } = cluster;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'orch-stack-it-'));
  const file = (name: string, text: string) => {
    fs.writeFileSync(path.join(dir, name), text);
    return path.join(dir, name);
  };
  let nodes: TestNode[] = [];
  let labelled: TestNode;
  let webPort = 0;

  /** The stack's services by short name. */
  async function stackServices(): Promise<Map<string, Service>> {
    const { services } = await manager.api('ServiceList', {});
    return new Map(services.filter((s) => s.service.spec.labels['com.docker.stack.namespace'] === STACK).map((s) => [s.service.spec.name.slice(STACK.length + 1), s.service]));
  }

  /** Ids of the running tasks of the stack's service `name`, sorted. */
  async function runningIds(name: string): Promise<string[]> {
    return (await manager.running(`${STACK}_${name}`)).map((t) => t.id).sort();
  }

  /** Waits until each named service of the stack runs that many tasks. */
  async function converged(want: Record<string, number>): Promise<void> {
    for (const [name, n] of Object.entries(want)) {
      await waitFor(`${n} running tasks of ${name}`, async () => (await manager.running(`${STACK}_${name}`)).length === n, 90_000).catch(async (err: Error) => {
        throw new Error(`${err.message}\n${(await manager.orch('stack', 'ps', STACK)).stdout}`);
      });
    }
  }

  beforeAll(async () => {
    spawnSync('docker', ['tag', 'orch-test/busybox', V2]);
    webPort = await freePort();
    fs.writeFileSync(path.join(dir, '.env'), `WEB_PORT=${webPort}\n`);
    await cluster.init('1s');
    await cluster.join('--advertise-addr', ADDRS[1]);
    labelled = await cluster.join('--advertise-addr', ADDRS[2]);
    nodes = [manager, ...cluster.workers];
    await manager.ok('node', 'update', '--label-add', 'role=worker', labelled.nodeId);
  });
  afterAll(async () => {
    await cluster.destroy();
    spawnSync('docker', ['rmi', V2]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses an invalid file, naming every bad key, and changes nothing', async () => {
    const bad = file('bad.yml', composeFile().replace('replicas: 2', 'replicas: three'));
    const r = await manager.orch('stack', 'deploy', '-c', bad, STACK);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('Error: invalid services.web.deploy.replicas: expected a non-negative integer, got "three"\n');
    const unsupported = file('unsupported.yml', composeFile().replace('    stop_grace_period: 1s\n', '    stop_grace_period: 1s\n    user: nobody\n    replics: 2\n'));
    const u = await manager.orch('stack', 'deploy', '-c', unsupported, STACK);
    expect(u.code).toBe(2);
    expect(u.stderr).toMatch(/2 keys cannot be deployed:\n  services\.web\.user: not supported: .*\n  services\.web\.replics: unknown key/);
    expect((await manager.api('ServiceList', {})).services).toEqual([]);
    expect((await manager.api('NetworkList', {})).networks.filter((n) => n.spec.name.startsWith(STACK))).toEqual([]);
  });

  it('deploys four services, a network and a volume, and converges', async () => {
    const out = await manager.ok('stack', 'deploy', '-c', file('stack.yml', composeFile()), STACK);
    expect(out.split('\n').filter(Boolean).sort()).toEqual(
      [`Creating network ${STACK}_appnet`, `Creating network ${STACK}_default`, ...['agent', 'api', 'web', 'worker'].map((s) => `Creating service ${STACK}_${s}`)].sort(),
    );
    await converged({ web: 2, api: 2, worker: 1, agent: 3 });
    const [worker] = await manager.running(`${STACK}_worker`);
    expect(worker.nodeId).toBe(labelled.nodeId);
    expect(new Set((await manager.running(`${STACK}_agent`)).map((t) => t.nodeId))).toEqual(new Set([manager, ...cluster.workers].map((n) => n.nodeId)));

    const services = await stackServices();
    expect(services.get('worker')!.spec.task.container.mounts).toEqual([
      { type: 'volume', source: `${STACK}_data`, target: '/data', volume: { labels: { 'com.docker.stack.namespace': STACK } } },
    ]);
    const network = (await manager.api('NetworkInspect', { ref: `${STACK}_appnet` })).network;
    expect(network.spec.labels).toEqual({ purpose: 'test', 'com.docker.stack.namespace': STACK });
    expect(services.get('api')!.spec.networks).toEqual([{ target: network.id, aliases: ['api'] }]);

    for (const addr of ADDRS) await waitFor(`web through ${addr}:${webPort}`, () => httpGet(`http://${addr}:${webPort}/`), 30_000);
    const { value: resolved } = await waitFor('api resolved by its short name from a web task', () => {
      const r = execIn(nodes, `${STACK}_web`, 'nslookup', '-type=a', 'api');
      return r.code === 0 && /^Address:\s*\d+\.\d+\.\d+\.\d+\s*$/m.test(r.out) ? r.out : undefined;
    }, 30_000);
    expect(resolved).toMatch(/Address/);
    expect(execIn([labelled], `${STACK}_worker`, 'cat', '/data/started')).toMatchObject({ code: 0 });

    expect(await manager.ok('stack', 'ls')).toMatch(new RegExp(`^${STACK}\\s+4$`, 'm'));
    expect((await manager.ok('stack', 'services', STACK)).split('\n').filter(Boolean)).toHaveLength(5);
    expect(await manager.ok('stack', 'ps', STACK, '--filter', 'desired-state=running')).toMatch(new RegExp(`${STACK}_worker\\.1\\s+orch-test/busybox`));
  });

  it('updates only the service whose image changed on a second deploy', async () => {
    const before = await stackServices();
    const tasks = { web: await runningIds('web'), worker: await runningIds('worker'), agent: await runningIds('agent') };
    const out = await manager.ok('stack', 'deploy', '-c', file('stack-v2.yml', composeFile({ apiImage: V2 })), STACK);
    expect(out).toBe(`Updating service ${STACK}_api (id: ${before.get('api')!.id})\n`);
    await waitFor('api running on the new image', async () => {
      const running = await manager.running(`${STACK}_api`);
      return running.length === 2 && running.every((t) => t.spec.container.image === V2);
    }, 90_000);
    const after = await stackServices();
    expect(after.get('api')!.specVersion).toBe(before.get('api')!.specVersion + 1);
    for (const name of ['web', 'worker', 'agent'] as const) {
      expect(after.get(name)!.specVersion).toBe(before.get(name)!.specVersion);
      expect(after.get(name)!.meta.version).toBe(before.get(name)!.meta.version);
      expect(await runningIds(name)).toEqual(tasks[name]);
    }
    expect(await manager.ok('stack', 'deploy', '-c', path.join(dir, 'stack-v2.yml'), STACK)).toBe('');
  });

  it('removes a service the files no longer have with --prune', async () => {
    const out = await manager.ok('stack', 'deploy', '--prune', '-c', file('no-worker.yml', composeFile({ apiImage: V2, worker: false })), STACK);
    expect(out).toBe(`Removing service ${STACK}_worker\n`);
    expect([...(await stackServices()).keys()].sort()).toEqual(['agent', 'api', 'web']);
    await waitFor('the worker container gone', () => nodes.every((n) => containersOf(n.nodeId, [`label=orch.service.name=${STACK}_worker`, 'status=running']).length === 0), 30_000);
  });

  it('removes the whole stack: its services, then its networks', async () => {
    const r = await manager.orch('stack', 'rm', STACK);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter(Boolean)).toEqual([
      ...['agent', 'api', 'web'].map((s) => `Removing service ${STACK}_${s}`),
      `Removing network ${STACK}_appnet`,
      `Removing network ${STACK}_default`,
    ]);
    expect((await stackServices()).size).toBe(0);
    expect((await manager.api('NetworkList', {})).networks.filter((n) => n.spec.name.startsWith(STACK))).toEqual([]);
    expect(await manager.ok('stack', 'ls')).toBe('NAME      SERVICES\n');
    const again = await manager.orch('stack', 'rm', STACK);
    expect(again).toEqual({ code: 0, stdout: '', stderr: `Nothing found in stack: ${STACK}\n` });
  });
});

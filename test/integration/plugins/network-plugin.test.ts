import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { freePort, SLEEPER, TestNode, waitFor, WEB_SERVER } from '../../helpers/cluster';
import { httpFrom } from '../../helpers/task-exec';

const SERVICES_ONLY = path.resolve(__dirname, '../../../dist/examples/plugins/net-services-only/index.js');

describe('a third-party network driver loaded by config (examples/plugins/net-services-only)', () => {
  const node = new TestNode();

  beforeAll(async () => {
    fs.writeFileSync(path.join(node.dataDir, 'orch.json'), JSON.stringify({ plugins: [SERVICES_ONLY] }));
    await node.ok('swarm', 'init', '--advertise-addr', '127.0.0.1', '--listen-addr', `127.0.0.1:${await freePort()}`);
  });
  afterAll(() => node.destroy());

  it('its networks carry services by name and virtual IP, and no task-to-task traffic', async () => {
    await node.ok('network', 'create', '--driver', 'services-only', 'guarded');
    await node.ok('network', 'create', 'plain');
    for (const net of ['guarded', 'plain']) {
      await node.ok('service', 'create', '--name', `api-${net}`, '--network', net, ...WEB_SERVER);
      await node.ok('service', 'create', '--name', `client-${net}`, '--network', net, ...SLEEPER);
    }
    const taskAddr = async (service: string) => (await node.running(service))[0].networks![0].addr;

    // The service answers by name on both networks.
    const { value: viaName } = await waitFor('api-guarded to answer by name', () => httpFrom(node, 'client-guarded', 'api-guarded'));
    expect(viaName).toBeTruthy();
    await waitFor('api-plain to answer by name', () => httpFrom(node, 'client-plain', 'api-plain'));
    // A task's own address: reachable from its neighbour on the plain overlay network, not on the guarded one.
    expect(httpFrom(node, 'client-plain', await taskAddr('api-plain'))).toBeDefined();
    expect(httpFrom(node, 'client-guarded', await taskAddr('api-guarded'))).toBeUndefined();
    const listed = spawnSync('docker', ['network', 'ls', '--filter', 'name=svc-guarded-', '--format', '{{.Name}}'], { encoding: 'utf8' }).stdout;
    expect(listed.trim()).toMatch(/^svc-guarded-\w+$/);
  });
});

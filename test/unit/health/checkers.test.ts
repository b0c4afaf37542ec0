import http from 'node:http';
import net from 'node:net';
import { execCheck, httpCheck, tcpCheck } from '../../../plugins/health-checks';
import { probeTarget } from '../../../plugins/health-checks/checkers';
import type { HealthProbe } from '../../../core/hooks';

const probe = (kind: HealthProbe['kind'], target: string[], timeoutMs = 500): HealthProbe => ({ kind, target, timeoutMs });

describe('built-in health checkers', () => {
  let server: http.Server;
  let port: number;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/slow') return; // never answers
      res.writeHead(req.url === '/ok' ? 200 : req.url === '/moved' ? 302 : 503).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as net.AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('http: healthy on 2xx and 3xx, unhealthy on 5xx, on a refused port and past the timeout', async () => {
    const ctx = { addr: '127.0.0.1' };
    expect(await httpCheck(probe('http', [String(port), '/ok']), ctx)).toMatchObject({ healthy: true });
    expect(await httpCheck(probe('http', [String(port), '/moved']), ctx)).toMatchObject({ healthy: true });
    expect(await httpCheck(probe('http', [String(port), '/down']), ctx)).toMatchObject({ healthy: false, output: expect.stringContaining('503') });
    expect(await httpCheck(probe('http', [String(port), '/slow'], 200), ctx)).toMatchObject({ healthy: false, output: expect.stringContaining('200 ms') });
    expect(await httpCheck(probe('http', ['1', '/']), ctx)).toMatchObject({ healthy: false });
    expect(await httpCheck(probe('http', [String(port), '/ok']), {})).toMatchObject({ healthy: false, output: expect.stringContaining('no address') });
  });

  it('tcp: healthy when the port accepts, unhealthy when it refuses', async () => {
    expect(await tcpCheck(probe('tcp', [String(port)]), { addr: '127.0.0.1' })).toMatchObject({ healthy: true });
    expect(await tcpCheck(probe('tcp', ['1']), { addr: '127.0.0.1' })).toMatchObject({ healthy: false, output: expect.stringContaining('ECONNREFUSED') });
  });

  it('probes a task without an address of its own at its port as bound on the node', () => {
    const ports = [{ protocol: 'tcp' as const, targetPort: 80, hostIp: '0.0.0.0', hostPort: 31000 }];
    expect(probeTarget({ ports }, 80)).toEqual({ host: '127.0.0.1', port: 31000 });
    expect(probeTarget({ addr: '10.0.0.5', ports }, 80)).toEqual({ host: '10.0.0.5', port: 80 });
    expect(probeTarget({ ports }, 81)).toBeUndefined();
  });

  it('exec: healthy on exit 0 through the runtime, unhealthy otherwise or without a runtime that can exec', async () => {
    const ran: (readonly string[])[] = [];
    const exec = async (cmd: readonly string[]) => {
      ran.push(cmd);
      return { exitCode: cmd[0] === 'true' ? 0 : 1, output: 'out' };
    };
    expect(await execCheck(probe('exec', ['true']), { exec })).toEqual({ healthy: true, output: 'out' });
    expect(await execCheck(probe('exec', ['false']), { exec })).toEqual({ healthy: false, output: 'out' });
    expect(ran).toEqual([['true'], ['false']]);
    expect(await execCheck(probe('exec', ['true']), {})).toMatchObject({ healthy: false });
  });
});

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import { makeTask } from '../../../core/testing/builders';
import type { LogLine } from '../../../core/runtime/contract';
import type { Task } from '../../../core/model/types';
import { ProcessRuntime } from '../../../plugins/runtime-process';
import { processSpec } from '../../../plugins/runtime-process/process-spec';

const plan = (o: Partial<Parameters<typeof processSpec>[1]> = {}) => ({ networks: [], hostPorts: [], exposedPorts: [], dns: [], ...o });
const withCommand = (id: string, argv: string[], env: string[] = []): Task => {
  const t = makeTask(id);
  return { ...t, serviceName: 'web', slot: 1, spec: { ...t.spec, container: { ...t.spec.container, image: argv[0], args: argv.slice(1), env } } };
};

let root: string;
let runtime: ProcessRuntime;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'orch-proc-'));
  runtime = new ProcessRuntime(root, pino({ enabled: false }));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe('processSpec', () => {
  it('runs the image field with the args (or command then args), in the task dir, with port and task variables', () => {
    const t = withCommand('t1', ['python3', '-m', 'http.server'], ['A=1']);
    const spec = processSpec(t, plan({ exposedPorts: [{ protocol: 'tcp', targetPort: 80 }], exposeAddress: '127.0.0.2' }), '/tasks/t1', [31000], { PATH: '/bin' });
    expect(spec.argv).toEqual(['python3', '-m', 'http.server']);
    expect(spec.cwd).toBe('/tasks/t1');
    expect(spec.ports).toEqual([{ protocol: 'tcp', targetPort: 80, hostIp: '127.0.0.2', hostPort: 31000 }]);
    expect(spec.env).toMatchObject({ PATH: '/bin', A: '1', PORT: '31000', ORCH_PORT_80: '31000', ORCH_TASK_ID: 't1', ORCH_SERVICE_NAME: 'web', ORCH_TASK_SLOT: '1' });
    const entry = { ...t, spec: { ...t.spec, container: { ...t.spec.container, command: ['sh', '-c'], args: ['echo hi'], workdir: 'sub' } } };
    expect(processSpec(entry, plan(), '/tasks/t1', [], {})).toMatchObject({ argv: ['sh', '-c', 'echo hi'], cwd: '/tasks/t1/sub' });
  });
});

describe('the process runtime', () => {
  it('runs a task to its exit code, with its output in its logs', async () => {
    const t = withCommand('t1', ['sh', '-c', 'echo out; echo err >&2; exit 3']);
    await runtime.prepare(t, plan());
    await runtime.start(t.id);
    expect(await runtime.wait(t.id)).toEqual({ exitCode: 3 });
    const lines: LogLine[] = [];
    await runtime.logs(t.id, { follow: false }, (l) => lines.push(l), new AbortController().signal);
    expect(lines.map((l) => [l.stream, l.text])).toEqual([
      ['stdout', 'out'],
      ['stderr', 'err'],
    ]);
    expect(await runtime.recover()).toEqual([{ taskId: 't1', runtimeId: 't1', running: false, exitCode: 3, ports: [] }]);
  });

  it('serves a port on the host port it was given, and stops on SIGTERM within the grace period', async () => {
    const server = "require('http').createServer((q, s) => s.end('hi')).listen(+process.env.PORT, '127.0.0.1'); process.on('SIGTERM', () => process.exit(0))";
    const t = withCommand('t2', [process.execPath, '-e', server]);
    await runtime.prepare(t, plan({ exposedPorts: [{ protocol: 'tcp', targetPort: 80 }], exposeAddress: '127.0.0.1' }));
    const { ports } = await runtime.start(t.id);
    const port = ports![0].hostPort;
    let body = '';
    for (let i = 0; i < 50 && body === ''; i++) {
      body = await fetch(`http://127.0.0.1:${port}/`).then((r) => r.text(), () => '');
      if (body === '') await new Promise((r) => setTimeout(r, 100));
    }
    expect(body).toBe('hi');
    expect((await runtime.recover())[0]).toMatchObject({ running: true });
    await runtime.stop(t.id, 5000);
    expect(await runtime.wait(t.id)).toEqual({ exitCode: 0 });
    await runtime.remove(t.id);
    expect(fs.existsSync(path.join(root, 't2'))).toBe(false);
  });

  it('kills a task that ignores SIGTERM once the grace period ends', async () => {
    const t = withCommand('t3', ['sh', '-c', 'trap "" TERM; while true; do sleep 0.1; done']);
    await runtime.prepare(t, plan());
    await runtime.start(t.id);
    await new Promise((r) => setTimeout(r, 200));
    await runtime.stop(t.id, 300);
    expect((await runtime.wait(t.id)).exitCode).toBe(137);
  });

  it('follows the logs until the process ends', async () => {
    const t = withCommand('t4', ['sh', '-c', 'for i in 1 2 3; do echo line $i; sleep 0.2; done']);
    await runtime.prepare(t, plan());
    await runtime.start(t.id);
    const lines: string[] = [];
    await runtime.logs(t.id, { follow: true, tail: 0 }, (l) => lines.push(l.text), new AbortController().signal);
    expect(lines).toEqual(expect.arrayContaining(['line 2', 'line 3']));
  });

  it('refuses a program it cannot find, networks and mounts, with clear reasons', async () => {
    await expect(runtime.prepare(withCommand('a', ['no-such-program-xyz']), plan())).rejects.toThrow('executable "no-such-program-xyz" not found in PATH');
    const net = plan({ networks: [{ name: 'orch-x' }] });
    await expect(runtime.prepare(withCommand('b', ['sh']), net)).rejects.toThrow('the process runtime cannot join networks');
  });
});

import { Command } from 'commander';
import { buildLogsRequest, registerServiceLogs, type LogSource } from '../../../cli/commands/service/logs';
import { failureOutcome } from '../../../cli/errors';
import type { ServiceLogsMessage, ServiceLogsRequest } from '../../../core/api/contract';
import { OrchError } from '../../../core/errors';
import { fakeEnv, NOW } from './fixtures';

const TASK = { taskId: 'abcdef1234567890abcdefghi', name: 'web.1', nodeId: 'n1', node: 'node-a' };
const at = (text: string, stream: 'stdout' | 'stderr' = 'stdout') => ({ taskId: TASK.taskId, stream, timestamp: '2026-11-24T10:00:00Z', text });

describe('buildLogsRequest', () => {
  it('reads --tail and --since, follow off unless asked', () => {
    expect(buildLogsRequest('web', { tail: 'all' }, NOW)).toEqual({ ref: 'web', follow: false });
    expect(buildLogsRequest('web', { follow: true, tail: '0', since: '10m' }, NOW)).toEqual({ ref: 'web', follow: true, tail: 0, sinceMs: NOW.getTime() - 600_000 });
    expect(buildLogsRequest('web', { since: '2024-05-01T11:00:00.250Z' }, NOW)).toEqual({ ref: 'web', follow: false, sinceMs: Date.parse('2024-05-01T11:00:00.250Z') });
  });

  it.each([
    [{ tail: '-1' }, 'invalid --tail: expected a number of lines or "all", got "-1"'],
    [{ tail: '1.5' }, 'invalid --tail'],
    [{ tail: 'some' }, 'invalid --tail'],
    [{ tail: '99999999999999999999' }, 'invalid --tail'],
    [{ since: 'soon' }, 'invalid --since: "soon" is not a time'],
  ])('refuses %j', (flags, message) => {
    expect(() => buildLogsRequest('web', flags, NOW)).toThrow(message);
  });
});

/** A log source double: delivers `messages`, then ends as `end` says (never, when undefined). */
function fakeSource(messages: ServiceLogsMessage[], end?: OrchError | 'ok') {
  const opened: { socket: string; req?: ServiceLogsRequest; closed: boolean } = { socket: '', closed: false };
  const open = async (socket: string): Promise<LogSource> => {
    opened.socket = socket;
    return {
      serviceLogs: (req, onMessage, onEnd) => {
        opened.req = req;
        for (const m of messages) onMessage(m);
        if (end !== undefined) onEnd(end === 'ok' ? undefined : end);
        return () => {};
      },
      close: () => void (opened.closed = true),
    };
  };
  return { open, opened };
}

async function orchLogs(argv: string[], source: ReturnType<typeof fakeSource>) {
  const f = fakeEnv();
  const program = new Command('orch').option('--data-dir <dir>').exitOverride().configureOutput({ writeOut: () => {}, writeErr: () => {} });
  registerServiceLogs(program.command('service'), f.env, source.open);
  let code = 0;
  try {
    await program.parseAsync(['service', 'logs', ...argv], { from: 'user' });
  } catch (err) {
    code = failureOutcome(err).code;
  }
  return { code, out: f.stdout(), err: f.stderr() };
}

describe('orch service logs', () => {
  it('prints stdout lines on stdout and stderr lines on stderr, and exits 0 when the stream ends', async () => {
    const source = fakeSource([{ tasks: [TASK] }, { messages: [at('out'), at('err', 'stderr')] }], 'ok');
    const r = await orchLogs(['--tail', '5', '--no-task-ids', 'web'], source);
    expect(r).toEqual({ code: 0, out: 'web.1@node-a    | out\n', err: 'web.1@node-a    | err\n' });
    expect(source.opened).toEqual({ socket: '/data/orch.sock', req: { ref: 'web', follow: false, tail: 5 }, closed: true });
  });

  it('names the nodes whose logs are missing and exits 1 without --follow', async () => {
    const source = fakeSource([{ tasks: [TASK], messages: [at('out')] }, { incomplete: [{ nodeId: 'n2', node: 'node-bb', reason: 'down' }] }], 'ok');
    const r = await orchLogs(['--raw', 'web'], source);
    expect(r).toEqual({ code: 1, out: 'out\n', err: 'error from daemon in stream: incomplete log stream: logs of node node-bb are missing: down\n' });
  });

  it('with --follow, warns but does not fail when the stream ends', async () => {
    const source = fakeSource([{ incomplete: [{ nodeId: 'n2', node: 'node-bb', reason: 'down' }] }], 'ok');
    expect((await orchLogs(['-f', 'web'], source)).code).toBe(0);
    expect(source.opened.req).toEqual({ ref: 'web', follow: true });
  });

  it("fails with the daemon's error (exit 1)", async () => {
    const source = fakeSource([], new OrchError('not-found', 'service or task nope not found'));
    expect((await orchLogs(['nope'], source)).code).toBe(1);
    expect(source.opened.closed).toBe(true);
  });

  it('refuses bad flags before connecting (exit 2)', async () => {
    const source = fakeSource([], 'ok');
    expect((await orchLogs(['--tail', 'x', 'web'], source)).code).toBe(2);
    expect((await orchLogs(['--since', 'later', 'web'], source)).code).toBe(2);
    expect(source.opened.socket).toBe('');
  });
});

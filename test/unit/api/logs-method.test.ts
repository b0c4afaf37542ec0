import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import { ControlClient } from '../../../core/api/client';
import type { ServiceLogsMessage, ServiceLogsRequest } from '../../../core/api/contract';
import type { OpenServiceLogs } from '../../../core/api/logs-source';
import { controlImplementation, startControlServer, type ControlHandlers } from '../../../core/api/server';
import { NotFoundError, type OrchError } from '../../../core/errors';
import type { ServiceLogsQuery } from '../../../core/logs/service-logs';
import { MemoryState } from '../../../core/store/memory-state';
import { eventually } from '../dispatcher/helpers';

const TASK = { taskId: 't1', name: 'web.1', nodeId: 'n1', node: 'alpha' };
const LINE = { taskId: 't1', stream: 'stdout' as const, timestamp: '2026-11-24T10:00:00Z', text: 'hi' };

describe('the ServiceLogs method over gRPC', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'orch-logs-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function serve(name: string, open?: OpenServiceLogs) {
    const socket = path.join(dir, `${name}.sock`);
    const server = await startControlServer(socket, controlImplementation({} as ControlHandlers, new MemoryState(), pino({ level: 'silent' }), undefined, open));
    const client = new ControlClient(`unix:${socket}`);
    const logs = (req: ServiceLogsRequest) => {
      const got: ServiceLogsMessage[] = [];
      let cancel = () => {};
      const ended = new Promise<OrchError | undefined>((resolve) => (cancel = client.serviceLogs(req, (m) => got.push(m), resolve)));
      return { got, ended, cancel };
    };
    return { logs, close: async () => (client.close(), await server.stop()) };
  }

  it('streams what the source delivers, with the checked request, and ends', async () => {
    const queries: ServiceLogsQuery[] = [];
    const api = await serve('leader', async (q, sink) => {
      queries.push(q);
      sink.write({ tasks: [TASK] });
      sink.write({ messages: [LINE] });
      sink.end();
    });
    try {
      const call = api.logs({ ref: 'web', tail: 2 });
      expect(await call.ended).toBeUndefined();
      expect(call.got).toEqual([{ tasks: [TASK] }, { messages: [LINE] }]);
      expect(queries).toEqual([{ ref: 'web', follow: false, tail: 2 }]);
    } finally {
      await api.close();
    }
  });

  it("carries the source's error and refuses a bad request, naming the field", async () => {
    const api = await serve('errors', async () => {
      throw new NotFoundError('service or task', 'nope');
    });
    try {
      expect(await api.logs({ ref: 'nope' }).ended).toMatchObject({ code: 'not-found', message: 'service or task nope not found' });
      expect(await api.logs({ ref: 'web', tail: -1 }).ended).toMatchObject({ code: 'invalid', field: 'tail' });
    } finally {
      await api.close();
    }
  });

  it('stops the source when the caller goes away', async () => {
    let signal: AbortSignal | undefined;
    const api = await serve('follow', async (_q, sink, s) => {
      signal = s;
      sink.write({ tasks: [TASK] });
    });
    try {
      const call = api.logs({ ref: 'web', follow: true });
      await eventually('the first message', () => call.got.length === 1);
      expect(signal!.aborted).toBe(false);
      call.cancel();
      await eventually('the source to be stopped', () => signal!.aborted);
    } finally {
      await api.close();
    }
  });

  it('is refused on a worker', async () => {
    const api = await serve('worker');
    try {
      expect(await api.logs({ ref: 'web' }).ended).toMatchObject({ code: 'unavailable', message: expect.stringContaining('not a swarm manager') });
    } finally {
      await api.close();
    }
  });
});

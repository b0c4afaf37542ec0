import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import pino from 'pino';
import { ControlClient } from '../../../core/api/client';
import { controlImplementation, type ControlHandlers } from '../../../core/api/server';
import { serviceReadHandlers } from '../../../core/api/service-handlers';
import { startThreadedControlServer, type ReplicaReads } from '../../../core/api/threaded-control-server';
import type { LeadershipListener, LogStatus } from '../../../core/store/replicated-log';
import { ReplicatedStore } from '../../../core/store/replicated-store';
import { monotonicMs } from '../../../core/util/monotonic';
import { MemoryLog } from '../../helpers/memory-log';
import { makeService, unstored } from '../../unit/orchestrator/fixtures';

const DIST = path.resolve(__dirname, '../../../dist');
const THREAD = path.join(DIST, 'core/api/control-thread.js');

/** A one-member store that leads, with a read lease it hands out, and how many lease renewals it was asked for. */
async function leadingStore() {
  const store = new ReplicatedStore(new MemoryLog());
  await store.start();
  let leaseListener: (until: number) => void = () => {};
  let leadershipListener: LeadershipListener = () => {};
  const status = { isLeader: true } as LogStatus;
  const consensus = {
    renewals: 0,
    readBarrier: async () => void consensus.renewals++,
    status: () => status,
    watchLeadership: (l: LeadershipListener) => ((leadershipListener = l), () => {}),
    watchReadLease: (l: (until: number) => void) => {
      leaseListener = l;
      l(monotonicMs() + 60_000);
      return () => {};
    },
    /** Ends the lease and leadership, as a handover does. */
    stepDown: () => {
      leaseListener(0);
      leadershipListener({ ...status, isLeader: false });
    },
  };
  return { store, consensus };
}

describe('the control thread', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'orch-ct-'));
  const paths = { socket: path.join(dir, 'orch.sock'), upstream: path.join(dir, 'orch.main.sock') };
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('answers reads from its replica while the main thread is busy, sees every acknowledged write, and passes other calls on', async () => {
    const { store, consensus } = await leadingStore();
    const handlers = { ...serviceReadHandlers(store), Info: async () => ({ from: 'main' }) } as unknown as ControlHandlers;
    const server = await startThreadedControlServer(paths, controlImplementation(handlers, store, pino({ level: 'silent' })), { source: store.state, consensus } as ReplicaReads, pino({ level: 'silent' }), THREAD);
    const api = new ControlClient(`unix:${paths.socket}`);
    try {
      expect((fs.statSync(paths.socket).mode & 0o777).toString(8)).toBe('600');
      expect((fs.statSync(paths.upstream).mode & 0o777).toString(8)).toBe('600');
      // Read your writes: every write acknowledged here is in the next read there.
      for (let i = 0; i < 20; i++) {
        await store.update((tx) => tx.services.create(unstored({ ...makeService(), id: `s${i}`, spec: { ...makeService().spec, name: `web${i}` } })));
        const { services } = await api.call('ServiceList', {});
        expect(services).toHaveLength(i + 1);
      }
      expect(consensus.renewals).toBeGreaterThan(0);
      expect(await api.call('Info', {})).toEqual({ from: 'main' });

      // Another process lists services every 10 ms while this (the main) thread is blocked for 800 ms.
      const script = `const { ControlClient } = require(${JSON.stringify(path.join(DIST, 'core/api/client.js'))});
        const api = new ControlClient(${JSON.stringify(`unix:${paths.socket}`)});
        (async () => { for (const end = Date.now() + 2500; Date.now() < end; ) {
          const start = Date.now(); const r = await api.call('ServiceList', {});
          console.log(JSON.stringify({ start, ms: Date.now() - start, n: r.services.length }));
          await new Promise((r) => setTimeout(r, 10)); } api.close(); })();`;
      const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      const calls: { start: number; ms: number; n: number }[] = [];
      const lines = readline.createInterface({ input: child.stdout });
      lines.on('line', (l) => calls.push(JSON.parse(l)));
      while (calls.length < 5) await new Promise((r) => setTimeout(r, 20));
      const blockedFrom = Date.now();
      while (Date.now() < blockedFrom + 800);
      const blockedUntil = Date.now();
      await new Promise((r) => child.once('exit', r));
      const during = calls.filter((c) => c.start >= blockedFrom && c.start + c.ms <= blockedUntil);
      expect(during.length).toBeGreaterThan(10);
      expect(during.every((c) => c.n === 20)).toBe(true);

      // Without a lease (leadership moved), reads go to the main thread, which answers them.
      consensus.stepDown();
      await store.update((tx) => tx.services.delete('s0'));
      expect((await api.call('ServiceList', {})).services).toHaveLength(19);
    } finally {
      api.close();
      await server.stop();
    }
  });

  it('runs at a nice value of its own, ahead of the main thread, or logs why it could not', async () => {
    const { store, consensus } = await leadingStore();
    const logged: string[] = [];
    const log = pino({ level: 'info' }, { write: (line: string) => void logged.push(line) });
    const before = threadNices();
    const server = await startThreadedControlServer(paths, controlImplementation({} as ControlHandlers, store, log), { source: store.state, consensus } as ReplicaReads, log, THREAD);
    try {
      const added = [...threadNices()].filter(([tid]) => !before.has(tid)).map(([, nice]) => nice);
      expect(threadNices().get(process.pid)).toBe(0);
      if (process.getuid?.() === 0) expect(added).toContain(-10);
      else expect(logged.some((l) => l.includes('the control thread runs at the priority of the process'))).toBe(true);
    } finally {
      await server.stop();
    }
  });
});

/** The nice value of each thread of this process, by thread id (Linux). */
function threadNices(): Map<number, number> {
  const nices = new Map<number, number>();
  for (const tid of fs.readdirSync('/proc/self/task')) {
    const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    // Fields after the command's closing parenthesis start at the third; the nice value is the 19th.
    nices.set(Number(tid), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19 - 3]));
  }
  return nices;
}

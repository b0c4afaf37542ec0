/**
 * The latency probe of a scale run, a process of its own (so that the simulated nodes' work in the bench
 * process does not count as the managers' latency): times a `service ls` every 250 ms and creates a
 * 0-replica service every second, as a user's CLI would meanwhile, printing one JSON line per call:
 * `{"call":"service ls","ms":12.3}` (with `"error"` when it failed). Stops on SIGTERM.
 *
 *   node dist/bench/scale/latency-probe.js CONTROL_SOCKET NAME_PREFIX
 */
import { ControlClient } from '../../core/api/client';
import { sleep } from '../support';
import { simServiceSpec, timed } from './load';

const LIST_EVERY_MS = 250;
const CREATE_EVERY_MS = 1000;
const TIMEOUT_MS = 60_000;

async function main(): Promise<void> {
  const [socket, prefix] = process.argv.slice(2);
  if (!socket || !prefix) throw new Error('usage: latency-probe.js CONTROL_SOCKET NAME_PREFIX');
  const api = new ControlClient(`unix:${socket}`);
  let stopped = false;
  process.once('SIGTERM', () => (stopped = true));
  const report = (call: string, r: { ms: number; error?: Error }) => console.log(JSON.stringify({ call, ms: r.ms, ...(r.error && { error: r.error.message }) }));
  const lists = (async () => {
    while (!stopped) {
      report('service ls', await timed(() => api.call('ServiceList', {}, TIMEOUT_MS)));
      await sleep(LIST_EVERY_MS);
    }
  })();
  for (let k = 0; !stopped; k++) {
    const spec = simServiceSpec({ name: `${prefix}-${k}`, replicas: 0, constraints: [] });
    report('service create', await timed(() => api.call('ServiceCreate', { spec }, TIMEOUT_MS)));
    await sleep(CREATE_EVERY_MS);
  }
  await lists;
  api.close();
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});

import { spawn } from 'node:child_process';
import * as path from 'node:path';
import * as readline from 'node:readline';

/** What the latency probe measured. */
export interface Latencies {
  /** `service ls` latencies (ms), failed calls included (until they failed). */
  readonly listMs: number[];
  /** `service create` latencies (ms), failed calls included. */
  readonly createMs: number[];
  /** The errors of the calls that failed. */
  readonly errors: string[];
}

/** One line of the probe's output, or undefined for a line that is not one. Pure. */
export function parseProbeLine(line: string): { readonly call: string; readonly ms: number; readonly error?: string } | undefined {
  try {
    const v = JSON.parse(line) as { call?: unknown; ms?: unknown; error?: unknown };
    if (typeof v.call !== 'string' || typeof v.ms !== 'number') return undefined;
    return typeof v.error === 'string' ? { call: v.call, ms: v.ms, error: v.error } : { call: v.call, ms: v.ms };
  } catch {
    return undefined;
  }
}

/**
 * Starts the latency probe (latency-probe.js) against a manager's control socket; `stop` ends it and
 * resolves with what it measured.
 */
export function startLatencyProbe(socket: string, prefix: string): { stop(): Promise<Latencies> } {
  const child = spawn(process.execPath, [path.join(__dirname, 'latency-probe.js'), socket, prefix], { stdio: ['ignore', 'pipe', 'inherit'] });
  const measured: Latencies = { listMs: [], createMs: [], errors: [] };
  const lines = readline.createInterface({ input: child.stdout });
  lines.on('line', (line) => {
    const r = parseProbeLine(line);
    if (!r) return;
    (r.call === 'service ls' ? measured.listMs : measured.createMs).push(r.ms);
    if (r.error) measured.errors.push(`${r.call}: ${r.error}`);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    async stop() {
      child.kill('SIGTERM');
      await exited;
      return measured;
    },
  };
}

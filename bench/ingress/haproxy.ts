/**
 * HAProxy as the peer of the routing mesh: a TCP balancer (`mode tcp`, `balance leastconn`) on a free
 * loopback port, in front of the given backends, run in the foreground as a child of this process with
 * its config, stats socket and output in a temp dir. Threads are left at HAProxy's default.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort, waitUntil } from '../support';

/** HAProxy's version line. */
export function haproxyVersion(): string {
  return spawnSync('haproxy', ['-v'], { encoding: 'utf8' }).stdout.split('\n')[0].trim();
}

/** The config: a TCP frontend on `bind`, balancing over `backends` (`host:port`) by least connections. */
function haproxyConfig(bind: string, backends: readonly string[], statsSocket: string): string {
  return [
    'global',
    `  stats socket ${statsSocket} mode 600 level user`,
    'defaults',
    '  mode tcp',
    '  timeout connect 5s',
    '  timeout client 60s',
    '  timeout server 60s',
    'frontend ingress',
    `  bind ${bind}`,
    '  default_backend tasks',
    'backend tasks',
    '  balance leastconn',
    ...backends.map((b, i) => `  server task${i} ${b}`),
    '',
  ].join('\n');
}

/** One HAProxy process; see the module comment. */
export class Haproxy {
  private readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'orch-bench-haproxy-'));
  private readonly statsSocket = path.join(this.dir, 'stats.sock');
  private proc: ChildProcess | undefined;
  /** `127.0.0.1:PORT` it listens on, once started. */
  address = '';

  constructor(private readonly backends: readonly string[]) {}

  /** Its pid, once started. */
  get pid(): number | undefined {
    return this.proc?.pid;
  }

  /** Writes the config and starts HAProxy (`haproxy -f CONFIG -db`); resolves once its stats socket answers. */
  async start(): Promise<void> {
    this.address = `127.0.0.1:${await freePort()}`;
    const config = path.join(this.dir, 'haproxy.cfg');
    const out = path.join(this.dir, 'haproxy.out');
    fs.writeFileSync(config, haproxyConfig(this.address, this.backends, this.statsSocket));
    const log = fs.openSync(out, 'a');
    const proc = spawn('haproxy', ['-f', config, '-db'], { stdio: ['ignore', log, log] });
    this.proc = proc;
    fs.closeSync(log);
    const exited = once(proc, 'exit').then(([code, signal]) => {
      throw new Error(`haproxy exited (${signal ?? `code ${code}`}) before it was ready: ${fs.readFileSync(out, 'utf8')}`);
    });
    const ready = waitUntil('haproxy to answer on its stats socket', async () => (await this.threads()) > 0, 10_000, 100);
    // Racing them handles both rejections: `exited`'s when stop() kills HAProxy later, `ready`'s after an early exit.
    await Promise.race([exited, ready]);
  }

  /** The number of threads HAProxy runs (`Nbthread` of `show info` on its stats socket). */
  async threads(): Promise<number> {
    const info = await statsCommand(this.statsSocket, 'show info');
    const m = /^Nbthread: (\d+)$/m.exec(info);
    if (!m) throw new Error(`haproxy's show info has no Nbthread:\n${info}`);
    return Number(m[1]);
  }

  /** Kills HAProxy if it runs, waits for it to exit, and removes the temp dir. Never throws. */
  async stop(): Promise<void> {
    const proc = this.proc;
    if (proc && proc.exitCode === null && proc.signalCode === null) {
      const exited = once(proc, 'exit');
      proc.kill('SIGKILL');
      await exited;
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Sends one command to a HAProxy stats socket and resolves with the whole answer. */
function statsCommand(socket: string, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const conn = net.connect(socket, () => conn.end(`${command}\n`));
    conn.on('data', (c: Buffer) => chunks.push(c));
    conn.on('error', reject);
    conn.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

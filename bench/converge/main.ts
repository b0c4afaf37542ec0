/**
 * bench/converge: time from `service create --replicas N` to N containers running, orch against
 * Docker's own swarm mode on the same engine, alternating runs. Prints both medians and the ratio.
 * Needs a built checkout (`npm run build`), a running Docker engine and the orch-test/busybox image.
 *
 *   node dist/bench/converge/main.js [--replicas 20] [--runs 5]
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Docker from 'dockerode';
import { median, parseBenchArgs } from '../stats';

const CLI = path.resolve(__dirname, '../../cli/main.js');
const IMAGE = 'orch-test/busybox';
/** orch's cluster listener, clear of swarm mode's 2377. */
const ORCH_LISTEN = '127.0.0.1:4377';
/** Exits on SIGTERM, so removal measures the engine and not the stop grace period. */
const COMMAND = ['sh', '-c', 'trap "exit 0" TERM; sleep 1000000 & wait'];
const docker = new Docker();

function sh(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): string {
  return execFileSync(cmd, args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

async function runningWithLabel(label: string): Promise<number> {
  const list = await docker.listContainers({ filters: { label: [label], status: ['running'] } });
  return list.length;
}

async function waitCount(label: string, want: (n: number) => boolean, timeoutMs = 300_000): Promise<void> {
  const start = Date.now();
  while (!want(await runningWithLabel(label))) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting on containers labelled ${label}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

interface Peer {
  readonly name: string;
  setup(): void;
  /** Creates the service and resolves with ms until `replicas` containers run. */
  converge(service: string, replicas: number): Promise<number>;
  teardown(): void;
}

function orchPeer(): Peer {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'orch-bench-'));
  const env = { ...process.env, ORCH_DATA_DIR: dataDir };
  const orch = (...args: string[]) => sh(process.execPath, [CLI, ...args], env);
  return {
    name: 'orch',
    // Swarm mode's manager takes port 2377 on every address: orch's cluster port goes elsewhere.
    setup: () => void orch('swarm', 'init', '--advertise-addr', '127.0.0.1', '--listen-addr', ORCH_LISTEN),
    async converge(service, replicas) {
      const start = Date.now();
      orch('service', 'create', '--detach', '--name', service, '--replicas', String(replicas), IMAGE, ...COMMAND);
      await waitCount(`orch.service.name=${service}`, (n) => n >= replicas);
      const ms = Date.now() - start;
      orch('service', 'rm', service);
      await waitCount(`orch.service.name=${service}`, (n) => n === 0);
      return ms;
    },
    teardown() {
      orch('swarm', 'leave', '--force');
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function swarmPeer(): Peer {
  return {
    name: 'swarm mode',
    setup: () => void sh('docker', ['swarm', 'init', '--advertise-addr', '127.0.0.1']),
    async converge(service, replicas) {
      const start = Date.now();
      sh('docker', ['service', 'create', '--detach', '--no-resolve-image', '--name', service, '--replicas', String(replicas), IMAGE, ...COMMAND]);
      await waitCount(`com.docker.swarm.service.name=${service}`, (n) => n >= replicas);
      const ms = Date.now() - start;
      sh('docker', ['service', 'rm', service]);
      await waitCount(`com.docker.swarm.service.name=${service}`, (n) => n === 0);
      return ms;
    },
    teardown: () => void sh('docker', ['swarm', 'leave', '--force']),
  };
}

async function main(): Promise<void> {
  const { replicas, runs } = parseBenchArgs(process.argv.slice(2), { replicas: 20, runs: 5 });
  if (sh('docker', ['info', '--format', '{{.Swarm.LocalNodeState}}']).trim() === 'active') {
    throw new Error('this engine is already in swarm mode: leave it first (the benchmark makes and leaves its own swarm)');
  }
  const peers = [orchPeer(), swarmPeer()];
  const times = new Map<string, number[]>(peers.map((p) => [p.name, []]));
  const started: Peer[] = [];
  try {
    for (const p of peers) {
      p.setup();
      started.push(p);
    }
    for (let i = 0; i < runs; i++) {
      for (const p of i % 2 === 0 ? peers : [...peers].reverse()) {
        const ms = await p.converge(`conv${i}`, replicas);
        times.get(p.name)!.push(ms);
        console.log(`run ${i + 1}/${runs} ${p.name.padEnd(10)} ${ms} ms`);
      }
    }
  } finally {
    for (const p of started) p.teardown();
  }
  const o = median(times.get('orch')!);
  const s = median(times.get('swarm mode')!);
  console.log(`\nconverge ${replicas} replicas, ${runs} runs each (median)`);
  console.log(`orch        ${o} ms`);
  console.log(`swarm mode  ${s} ms`);
  console.log(`ratio orch/swarm = ${(o / s).toFixed(2)} (goal <= 0.5)`);
}

main().catch((err) => {
  console.error(`Error: ${(err as Error).message}`);
  process.exit(1);
});

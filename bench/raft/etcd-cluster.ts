/**
 * Three etcd members on loopback (Debian's etcd-server 3.4, installed with apt-get when `etcd` is not
 * on PATH), each with its own data dir under one temp dir and etcd's default durability (fsync on).
 * Writes are KV Puts over gRPC; health and leadership come from the members' JSON gateway.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { rotatingWriter, WRITE_TIMEOUT_MS, type RaftCluster, type Writer } from './cluster';
import { EtcdKv } from './etcd-kv';
import { freePort, waitUntil } from '../support';

const STATUS_TIMEOUT_MS = 2000;

/** Installs Debian's etcd-server (saying so on stderr) unless `etcd` is on PATH; returns `etcd --version`'s first line. */
export function ensureEtcd(): string {
  if (spawnSync('sh', ['-c', 'command -v etcd'], { stdio: 'ignore' }).status !== 0) {
    console.error('etcd is not on PATH: installing Debian\'s etcd-server (apt-get install -y etcd-server)');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive', NEEDRESTART_SUSPEND: '1' };
    execFileSync('apt-get', ['update', '-qq'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    execFileSync('apt-get', ['install', '-y', '-qq', 'etcd-server'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  return execFileSync('etcd', ['--version'], { encoding: 'utf8' }).split('\n')[0];
}

interface Member {
  readonly name: string;
  readonly peerUrl: string;
  /** `HOST:PORT` of its client (gRPC and JSON gateway) listener. */
  readonly clientAddr: string;
  proc?: ChildProcess;
}

/** A member's view of the cluster, from `/v3/maintenance/status` (uint64 ids as decimal strings). */
interface MemberStatus {
  readonly header: { readonly member_id: string };
  readonly leader?: string;
}

/** Three etcd members on loopback; see the module comment. */
export class EtcdCluster implements RaftCluster {
  readonly name = 'etcd';
  private readonly root = fs.mkdtempSync(path.join(os.tmpdir(), 'etcd-raft-'));
  private readonly members: Member[] = [];
  private destroyed?: Promise<void>;

  /** @param valueBytes size of the value of every Put. */
  constructor(private readonly valueBytes: number) {}

  async start(): Promise<void> {
    for (let i = 0; i < 3; i++) {
      this.members.push({ name: `m${i}`, peerUrl: `http://127.0.0.1:${await freePort()}`, clientAddr: `127.0.0.1:${await freePort()}` });
    }
    this.members.forEach((_, i) => this.spawn(i));
    await this.waitHealthy();
  }

  async leader(): Promise<number> {
    const statuses = await Promise.all(this.members.map((_, i) => this.status(i).catch(() => undefined)));
    const i = statuses.findIndex((s) => s !== undefined && s.leader === s.header.member_id);
    if (i < 0) throw new Error('no etcd member leads');
    return i;
  }

  writer(members: readonly number[], tag: string): Writer {
    const value = Buffer.alloc(this.valueBytes, 'x');
    const clients = members.map((i) => new EtcdKv(this.members[i].clientAddr));
    return rotatingWriter(
      clients.length,
      (at, seq) => clients[at].put(Buffer.from(`${tag}/${seq}`), value, WRITE_TIMEOUT_MS),
      () => clients.forEach((c) => c.close()),
    );
  }

  kill(member: number): void {
    this.members[member].proc?.kill('SIGKILL');
  }

  async restart(member: number): Promise<void> {
    await this.stop(this.members[member]);
    this.spawn(member);
    await this.waitHealthy();
  }

  destroy(): Promise<void> {
    this.destroyed ??= Promise.all(this.members.map((m) => this.stop(m))).then(() => fs.rmSync(this.root, { recursive: true, force: true }));
    return this.destroyed;
  }

  /** Starts member `i` (a new cluster on first start; its data dir holds the membership after that), logging to `<name>.log`. */
  private spawn(i: number): void {
    const m = this.members[i];
    const initialCluster = this.members.map((x) => `${x.name}=${x.peerUrl}`).join(',');
    const clientUrl = `http://${m.clientAddr}`;
    const log = fs.openSync(path.join(this.root, `${m.name}.log`), 'a');
    m.proc = spawn('etcd', [
      '--name', m.name, '--data-dir', path.join(this.root, m.name), '--logger', 'zap',
      '--listen-peer-urls', m.peerUrl, '--initial-advertise-peer-urls', m.peerUrl,
      '--listen-client-urls', clientUrl, '--advertise-client-urls', clientUrl,
      '--initial-cluster', initialCluster, '--initial-cluster-state', 'new', '--initial-cluster-token', 'raft-bench',
    ], { stdio: ['ignore', log, log] });
    m.proc.on('error', (err) => console.error(`etcd ${m.name}: ${err.message}`));
    fs.closeSync(log);
  }

  /** SIGKILLs a member's process unless it has exited, and waits until it has. */
  private async stop(m: Member): Promise<void> {
    const proc = m.proc;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = once(proc, 'exit');
    proc.kill('SIGKILL');
    await exited;
  }

  private async status(i: number): Promise<MemberStatus> {
    const res = await fetch(`http://${this.members[i].clientAddr}/v3/maintenance/status`, { method: 'POST', body: '{}', signal: AbortSignal.timeout(STATUS_TIMEOUT_MS) });
    if (!res.ok) throw new Error(`etcd ${this.members[i].name} status: HTTP ${res.status}`);
    return (await res.json()) as MemberStatus;
  }

  /** Waits until all three members answer and agree on a leader among them. */
  private async waitHealthy(): Promise<void> {
    await waitUntil(`three healthy etcd members with a leader (logs in ${this.root})`, async () => {
      const statuses = await Promise.all(this.members.map((_, i) => this.status(i)));
      const leader = statuses[0].leader;
      return leader !== undefined && statuses.every((s) => s.leader === leader) && statuses.some((s) => s.header.member_id === leader);
    });
  }
}

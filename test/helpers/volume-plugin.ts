import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';

/** One call the test plugin received. */
export interface PluginCall {
  readonly method: string;
  readonly body: Record<string, unknown>;
}

/**
 * A small Docker volume plugin for tests, speaking Docker's plugin protocol (HTTP + JSON on a unix
 * socket): Plugin.Activate and VolumeDriver.Create/Remove/Mount/Unmount/Path/Get/List/Capabilities. A
 * volume is a directory under `root`; it records every call, and refuses to remove a mounted volume.
 */
export class TestVolumePlugin {
  readonly calls: PluginCall[] = [];
  private readonly volumes = new Map<string, { dir: string; mounts: Set<string>; createdAt: string }>();
  private readonly server: http.Server;

  constructor(
    readonly socketPath: string,
    private readonly root: string,
  ) {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const method = (req.url ?? '/').slice(1);
        const text = Buffer.concat(chunks).toString('utf8');
        const body = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
        this.calls.push({ method, body });
        const answer = this.handle(method, body);
        res.writeHead(answer === undefined ? 404 : 200, { 'Content-Type': 'application/vnd.docker.plugins.v1.2+json' });
        res.end(JSON.stringify(answer ?? { Err: `unknown method ${method}` }));
      });
    });
  }

  /** Starts listening on the socket (its directory is made). */
  listen(): Promise<void> {
    fs.mkdirSync(path.dirname(this.socketPath), { recursive: true });
    fs.rmSync(this.socketPath, { force: true });
    return new Promise((resolve) => this.server.listen(this.socketPath, resolve));
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private handle(method: string, body: Record<string, unknown>): object | undefined {
    const name = String(body.Name ?? '');
    const v = this.volumes.get(name);
    switch (method) {
      case 'Plugin.Activate':
        return { Implements: ['VolumeDriver'] };
      case 'VolumeDriver.Capabilities':
        return { Capabilities: { Scope: 'local' } };
      case 'VolumeDriver.Create': {
        if (!v) {
          const dir = path.join(this.root, name);
          fs.mkdirSync(dir, { recursive: true });
          this.volumes.set(name, { dir, mounts: new Set(), createdAt: new Date().toISOString() });
        }
        return { Err: '' };
      }
      case 'VolumeDriver.Remove':
        if (!v) return { Err: `no such volume: ${name}` };
        if (v.mounts.size > 0) return { Err: `volume ${name} is mounted` };
        fs.rmSync(v.dir, { recursive: true, force: true });
        this.volumes.delete(name);
        return { Err: '' };
      case 'VolumeDriver.Mount':
        if (!v) return { Err: `no such volume: ${name}` };
        v.mounts.add(String(body.ID));
        return { Mountpoint: v.dir, Err: '' };
      case 'VolumeDriver.Unmount':
        v?.mounts.delete(String(body.ID));
        return { Err: '' };
      case 'VolumeDriver.Path':
        return v ? { Mountpoint: v.dir, Err: '' } : { Err: `no such volume: ${name}` };
      case 'VolumeDriver.Get':
        return v ? { Volume: { Name: name, Mountpoint: v.dir, CreatedAt: v.createdAt, Status: { mounts: v.mounts.size } }, Err: '' } : { Err: `no such volume: ${name}` };
      case 'VolumeDriver.List':
        return { Volumes: [...this.volumes].map(([n, x]) => ({ Name: n, Mountpoint: x.dir })), Err: '' };
      default:
        return undefined;
    }
  }
}

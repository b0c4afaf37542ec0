import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { OrchError } from '../../core/errors';
import type { Labels } from '../../core/model/types';
import type { Volume, VolumeDriver } from '../../core/volume/contract';

/** What the driver keeps beside a volume's data. */
interface VolumeMeta {
  readonly labels: Labels;
  readonly createdAt: string;
}

const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
const META_FILE = 'volume.json';

/**
 * The `local` volume driver: a volume is a directory of the node, `<root>/<name>/_data`, with its labels in
 * `<root>/<name>/volume.json`; it works with any runtime (tasks bind the directory). It takes no driver
 * options. A volume cannot be removed while a task has it mounted (mounts are counted while the daemon runs).
 */
export class LocalVolumeDriver implements VolumeDriver {
  readonly name = 'local';
  /** Mount ids per volume name. */
  private readonly mounts = new Map<string, Set<string>>();

  constructor(private readonly root: string) {}

  async create(name: string, options: Labels, labels: Labels): Promise<Volume> {
    checkName(name);
    const unknown = Object.keys(options);
    if (unknown.length > 0) throw new OrchError('invalid', `the local volume driver takes no options (got ${unknown.map((o) => `"${o}"`).join(', ')})`, 'options');
    const existing = await this.get(name);
    if (existing) return existing;
    await fs.mkdir(this.dataDir(name), { recursive: true });
    const meta: VolumeMeta = { labels, createdAt: new Date().toISOString() };
    await fs.writeFile(path.join(this.root, name, META_FILE), JSON.stringify(meta));
    return this.describe(name, meta);
  }

  async remove(name: string): Promise<void> {
    checkName(name);
    const users = this.mounts.get(name);
    if (users && users.size > 0) throw new OrchError('conflict', `volume ${name} is in use by task ${[...users].join(', ')}`);
    await fs.rm(path.join(this.root, name), { recursive: true, force: true });
  }

  async mount(name: string, mountId: string): Promise<string> {
    if (!(await this.get(name))) await this.create(name, {}, {});
    let users = this.mounts.get(name);
    if (!users) this.mounts.set(name, (users = new Set()));
    users.add(mountId);
    return this.dataDir(name);
  }

  async unmount(name: string, mountId: string): Promise<void> {
    this.mounts.get(name)?.delete(mountId);
  }

  async get(name: string): Promise<Volume | undefined> {
    checkName(name);
    const meta = await readMeta(path.join(this.root, name, META_FILE));
    return meta && this.describe(name, meta);
  }

  async list(): Promise<Volume[]> {
    const names = await fs.readdir(this.root).catch(() => [] as string[]);
    const volumes = await Promise.all(names.filter((n) => NAME.test(n)).map((n) => this.get(n)));
    return volumes.filter((v): v is Volume => v !== undefined).sort((a, b) => a.name.localeCompare(b.name));
  }

  private dataDir(name: string): string {
    return path.join(this.root, name, '_data');
  }

  private describe(name: string, meta: VolumeMeta): Volume {
    return { name, driver: this.name, mountpoint: this.dataDir(name), labels: meta.labels, options: {}, createdAt: meta.createdAt, scope: 'local' };
  }
}

function checkName(name: string): void {
  if (!NAME.test(name)) throw new OrchError('invalid', `"${name}" is not a volume name: expected letters, digits, "_", "." or "-", starting with a letter or digit`, 'name');
}

/** A volume's metadata; undefined when it has none (not a volume), or it cannot be read as one. */
async function readMeta(file: string): Promise<VolumeMeta | undefined> {
  try {
    const meta = JSON.parse(await fs.readFile(file, 'utf8')) as Partial<VolumeMeta>;
    return { labels: meta.labels ?? {}, createdAt: meta.createdAt ?? '' };
  } catch {
    return undefined;
  }
}
